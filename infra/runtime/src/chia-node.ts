import { FullNodeRpcClient, MAINNET_POS_CONSTANTS, WalletRpcClient, type FullNodeRpc, type PosConsensusConstants, type WalletRpc } from '@pool/chia';
import { type PoolConfig } from '@pool/config';

export interface ChainConnection {
  chain: FullNodeRpc;
  constants: PosConsensusConstants;
  describe: string;
  /** The wallet payouts are made from (only the worker uses it); none when the config names no wallet. */
  wallet?: WalletRpc;
  /** On the devnet: the devnet wallet's puzzle hash, which must be the pool's target puzzle hash. */
  walletPuzzleHash?: string;
  close(): void;
}

/**
 * The full node (and wallet) the config names, over mutual TLS from the configured CHIA_ROOT. The api and the worker run against a
 * real node only: the built-in devnet is poolctl's to start (`npm start`), so it is never linked into them.
 */
export function openChiaNode(config: Pick<PoolConfig, 'chia'>, { withWallet }: { withWallet: boolean }): ChainConnection {
  const { fullNode } = config.chia;
  // Only the worker pays: the api never opens the wallet, even when the config names one.
  const walletAddress = withWallet ? config.chia.wallet : undefined;
  if (fullNode === undefined) {
    throw new Error('no full node configured: set chia.full_node in pool.yaml or POOL_FULL_NODE_HOST (the devnet runs under `poolctl start`)');
  }
  // The certificates come from the configured root (chia.root / CHIA_ROOT), else Chia's default: the same for every
  // process that opens the node, poolctl's commands included.
  const tls = config.chia.chiaRoot === undefined ? {} : { tls: { chiaRoot: config.chia.chiaRoot } };
  const client = FullNodeRpcClient.fromChiaRoot({ host: fullNode.host, ...(fullNode.port === undefined ? {} : { port: fullNode.port }), ...tls });
  const wallet = walletAddress
    ? WalletRpcClient.fromChiaRoot({ host: walletAddress.host, ...(walletAddress.port === undefined ? {} : { port: walletAddress.port }), ...tls })
    : undefined;
  return {
    chain: client,
    constants: MAINNET_POS_CONSTANTS,
    describe: `full node ${fullNode.host}${wallet ? `, wallet ${walletAddress?.host}` : ''}`,
    ...(wallet ? { wallet } : {}),
    close: () => {
      client.close();
      wallet?.close();
    },
  };
}
