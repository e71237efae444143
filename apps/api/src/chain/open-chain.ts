import { FullNodeRpcClient, MAINNET_POS_CONSTANTS, type FullNodeRpc, type PosConsensusConstants } from '@pool/chia';
import { AcceleratedClock, DevnetChain, startChainDriver } from '@pool/devnet/chain';
import { DEVNET_NETWORK, posConstantsFor } from '@pool/devnet/network';

export interface ChainConnection {
  chain: FullNodeRpc;
  constants: PosConsensusConstants;
  describe: string;
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
    return { chain: client, constants: MAINNET_POS_CONSTANTS, describe: `full node ${env.POOL_FULL_NODE_HOST}`, close: () => client.close() };
  }
  const speed = Number(env.POOL_DEVNET_SPEED ?? '1');
  const chain = new DevnetChain({ network: DEVNET_NETWORK, clock: new AcceleratedClock(speed) });
  const driver = startChainDriver(chain);
  return { chain, constants: posConstantsFor(DEVNET_NETWORK), describe: `devnet (x${speed})`, close: () => driver.stop() };
}
