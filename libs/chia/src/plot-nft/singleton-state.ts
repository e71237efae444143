import { type CoinRecord } from '../chain';
import { coinId, decodeLauncherSpend, decodePoolSingletonSpend, p2SingletonOrDelayedPuzzleHash, PoolSingletonState, type PoolState } from '../puzzles';
import { type FullNodeRpc } from '../rpc';

/** A plot NFT as the chain shows it, with the last state the pool may trust (buried) and the latest one. */
export interface SingletonState {
  launcherId: string;
  delayTime: bigint;
  delayPuzzleHash: string;
  /** The plots' pool contract puzzle hash: where the pool's rewards for this farmer land. */
  p2SingletonPuzzleHash: string;
  /** The newest state buried by the confirmation threshold, or null when even the launch is too recent. */
  buriedState: PoolState | null;
  buriedStateHeight: number | null;
  latestState: PoolState;
  /** Height at which the latest state was set (launcher or travel spend). */
  latestStateHeight: number;
  /** The current (unspent) singleton coin. */
  tipCoinId: string;
}

export type SingletonChain = Pick<FullNodeRpc, 'getCoinRecordByName' | 'getCoinRecordsByParentIds' | 'getPuzzleAndSolution'>;

/** Longest lineage followed in one read; a plot NFT absorbs once per pool block, so this is generous. */
const MAX_SPENDS = 10_000;

/**
 * Follows a plot NFT from its launcher to its unspent tip through the node, decoding every state change.
 * Returns null when the launcher id is not a pool singleton (never launched, not spent, malformed).
 */
export async function readSingletonState(
  chain: SingletonChain,
  launcherId: string,
  peakHeight: number,
  confirmationThreshold: number,
): Promise<SingletonState | null> {
  const launcher = await chain.getCoinRecordByName(launcherId);
  if (!launcher || !launcher.spent) return null;
  const launch = decodeLauncherSpend(await chain.getPuzzleAndSolution(launcherId, launcher.spentBlockIndex));
  const buriedBy = peakHeight - confirmationThreshold;
  let latestState = launch.poolState;
  let latestStateHeight = launcher.spentBlockIndex;
  let buriedState = latestStateHeight <= buriedBy ? latestState : null;
  let buriedStateHeight = buriedState ? latestStateHeight : null;

  let coin = await singletonChild(chain, launcherId);
  for (let spends = 0; coin && coin.spent; spends++) {
    if (spends >= MAX_SPENDS) throw new Error(`singleton ${launcherId} has more than ${MAX_SPENDS} spends`);
    const id = coinId(coin.coin);
    const spend = await chain.getPuzzleAndSolution(id, coin.spentBlockIndex);
    const decoded = decodePoolSingletonSpend(spend);
    if (decoded.kind === 'unknown') return null;
    if (decoded.kind === 'travel') {
      latestState = decoded.poolState;
      latestStateHeight = coin.spentBlockIndex;
      if (latestStateHeight <= buriedBy) {
        buriedState = latestState;
        buriedStateHeight = latestStateHeight;
      }
    }
    coin = await singletonChild(chain, id);
  }
  if (!coin) return null;
  return {
    launcherId,
    delayTime: launch.delayTime,
    delayPuzzleHash: launch.delayPuzzleHash,
    p2SingletonPuzzleHash: p2SingletonOrDelayedPuzzleHash(launcherId, launch.delayTime, launch.delayPuzzleHash),
    buriedState,
    buriedStateHeight,
    latestState,
    latestStateHeight,
    tipCoinId: coinId(coin.coin),
  };
}

/** A singleton's next coin is its parent's one child with an odd amount. */
async function singletonChild(chain: SingletonChain, parentId: string): Promise<CoinRecord | undefined> {
  const children = await chain.getCoinRecordsByParentIds([parentId], { includeSpentCoins: true });
  return children.find((record) => record.coin.amount % 2n === 1n);
}

const POOL_STATE_NAMES = {
  [PoolSingletonState.SELF_POOLING]: 'self_pooling',
  [PoolSingletonState.LEAVING_POOL]: 'leaving_pool',
  [PoolSingletonState.FARMING_TO_POOL]: 'farming_to_pool',
} as const;

/** What the pool's membership rule (libs/domain farmers/membership.workflow.ts) reads of a PoolState, its state by name. */
export function namedPoolState(state: PoolState): { version: number; state: (typeof POOL_STATE_NAMES)[keyof typeof POOL_STATE_NAMES]; targetPuzzleHash: string; relativeLockHeight: number } {
  return { version: state.version, state: POOL_STATE_NAMES[state.state], targetPuzzleHash: state.targetPuzzleHash, relativeLockHeight: state.relativeLockHeight };
}
