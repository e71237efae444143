import { FullNodeRpcClient, MAINNET_POS_CONSTANTS, WalletRpcClient, type FullNodeRpc, type PosConsensusConstants, type WalletRpc } from '@pool/chia';
import { AcceleratedClock, DevnetChain, startChainDriver } from '@pool/devnet/chain';
import { DEVNET_NETWORK, posConstantsFor } from '@pool/devnet/network';
import { DevnetWallet } from '@pool/devnet/wallet';

export interface ChainConnection {
  chain: FullNodeRpc;
  constants: PosConsensusConstants;
  describe: string;
  /**
   * The wallet payouts are made from: a real wallet RPC when POOL_WALLET_HOST is set (mutual TLS from
   * CHIA_ROOT), the devnet's wallet on the devnet, none otherwise (then no payouts are made).
   */
  wallet?: WalletRpc;
  /** On the devnet: the devnet wallet's puzzle hash, which must be the pool's target puzzle hash. */
  walletPuzzleHash?: string;
  close(): void;
}

/**
 * The full node the pool follows: a real one when POOL_FULL_NODE_HOST is set (mutual TLS from CHIA_ROOT),
 * else the built-in devnet, running at POOL_DEVNET_SPEED times real time.
 */
export function openChain(env: NodeJS.ProcessEnv = process.env): ChainConnection {
  if (env.POOL_FULL_NODE_HOST) {
    const client = FullNodeRpcClient.fromChiaRoot({
      host: env.POOL_FULL_NODE_HOST,
      ...(env.POOL_FULL_NODE_PORT ? { port: Number(env.POOL_FULL_NODE_PORT) } : {}),
    });
    const wallet = env.POOL_WALLET_HOST
      ? WalletRpcClient.fromChiaRoot({ host: env.POOL_WALLET_HOST, ...(env.POOL_WALLET_PORT ? { port: Number(env.POOL_WALLET_PORT) } : {}) })
      : undefined;
    return {
      chain: client,
      constants: MAINNET_POS_CONSTANTS,
      describe: `full node ${env.POOL_FULL_NODE_HOST}${wallet ? `, wallet ${env.POOL_WALLET_HOST}` : ''}`,
      ...(wallet ? { wallet } : {}),
      close: () => {
        client.close();
        wallet?.close();
      },
    };
  }
  const speed = Number(env.POOL_DEVNET_SPEED ?? '1');
  const chain = new DevnetChain({ network: DEVNET_NETWORK, clock: new AcceleratedClock(speed) });
  const driver = startChainDriver(chain);
  const wallet = new DevnetWallet(chain);
  return {
    chain,
    constants: posConstantsFor(DEVNET_NETWORK),
    describe: `devnet (x${speed})`,
    wallet,
    walletPuzzleHash: wallet.puzzleHash,
    close: () => driver.stop(),
  };
}
