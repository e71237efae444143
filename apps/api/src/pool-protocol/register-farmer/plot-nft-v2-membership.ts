import {
  coinId,
  parseSingletonV11Puzzle,
  plotNftV2PuzzleHash,
  PoolErrorCode,
  SINGLETON_LAUNCHER,
  type CoinRecord,
  type FullNodeRpc,
  type PlotNftV2Pool,
} from '@pool/chia';
import { PoolProtocolError } from '../pool-protocol.error';

export interface PlotNftV2Lookup {
  launcherId: string;
  /** The farmer's v2 authentication key: the plot NFT owner's synthetic key, part of its puzzle. */
  authenticationPublicKey: string;
  pool: PlotNftV2Pool;
  /** The node's peak: how far a plot NFT in its waiting room is from leaving it. */
  peak: number;
}

type ChainReads = Pick<FullNodeRpc, 'getCoinRecordsByPuzzleHashes' | 'getCoinRecordByName' | 'getPuzzleAndSolution'>;

const fail = (code: PoolErrorCode, message: string): never => {
  throw new PoolProtocolError(code, message);
};

/**
 * Finds the farmer's v2 plot NFT pooling to this pool now, the way pool2-reference does (chia_pool/farmer_rpc/v2.py
 * post_farmer): the pool knows the puzzle a member's singleton must have (owner key + this pool's identity, not
 * exiting), so it asks the node for the unspent coin at that puzzle hash, without waiting for it to be buried (a
 * farmer who has just joined is welcome at once; see v1AdmissionRefusal). Beyond the reference: its parent must be
 * the launcher or a singleton v1.1 of the same launcher (anyone can create a coin at a puzzle hash; only the
 * singleton's lineage proves it is the plot NFT), and a refusal says where the plot NFT is instead: in this pool's
 * waiting room, self-pooling, or nowhere this pool can name. Returns the singleton's current coin record.
 */
export async function findPoolingPlotNftV2(chain: ChainReads, lookup: PlotNftV2Lookup): Promise<CoinRecord> {
  const { launcherId, authenticationPublicKey: ownerPublicKey, pool } = lookup;
  const pooling = plotNftV2PuzzleHash(launcherId, { ownerPublicKey, pool, exiting: false });
  const exiting = plotNftV2PuzzleHash(launcherId, { ownerPublicKey, pool, exiting: true });
  const selfPooling = plotNftV2PuzzleHash(launcherId, { ownerPublicKey, pool: null, exiting: false });
  const records = await chain.getCoinRecordsByPuzzleHashes([pooling, exiting, selfPooling], { includeSpentCoins: false });
  const members = records.filter((r) => r.coin.puzzleHash === pooling);
  if (members.length === 0) {
    const [code, message] = await whyNotPooling(chain, lookup, records, { exiting, selfPooling });
    fail(code, message);
  }
  if (members.length > 1) fail(PoolErrorCode.INVALID_SINGLETON, `${members.length} unspent coins claim to be plot NFT ${launcherId}`);
  const current = members[0]!;
  await requireSingletonLineage(chain, launcherId, current);
  return current;
}

/** The refusal of a plot NFT with no coin at this pool's pooling puzzle: what its other coins (if any) say. */
async function whyNotPooling(
  chain: ChainReads,
  { launcherId, authenticationPublicKey, pool, peak }: PlotNftV2Lookup,
  records: CoinRecord[],
  puzzles: { exiting: string; selfPooling: string },
): Promise<[PoolErrorCode, string]> {
  const nft = `plot NFT ${launcherId}`;
  const leaving = records.find((r) => r.coin.puzzleHash === puzzles.exiting);
  if (leaving) {
    // The exiting coin is height-locked for relative_lock_height blocks from its creation (pool2-reference's
    // service computes the same exiting height).
    const freeAt = leaving.confirmedBlockIndex + pool.relativeLockHeight;
    return [
      PoolErrorCode.INVALID_SINGLETON,
      peak < freeAt
        ? `${nft} is still in its waiting room (leaving this pool) until height ${freeAt}; it cannot join this pool from there`
        : `${nft} left this pool (its waiting room ended at height ${freeAt})`,
    ];
  }
  if (records.some((r) => r.coin.puzzleHash === puzzles.selfPooling)) return [PoolErrorCode.INVALID_SINGLETON, `${nft} is self-pooling; join this pool with it first`];
  if ((await chain.getCoinRecordByName(launcherId)) === null) return [PoolErrorCode.NOT_FOUND, `launcher ${launcherId} not found on chain`];
  return [
    PoolErrorCode.NOT_FOUND,
    `no plot NFT ${launcherId} pooling to this pool with authentication key ${authenticationPublicKey} was found on chain: it farms to another pool (or sits in its waiting room), or that key is not its owner's`,
  ];
}

async function requireSingletonLineage(chain: ChainReads, launcherId: string, current: CoinRecord): Promise<void> {
  const parentId = current.coin.parentCoinInfo;
  const parent = await chain.getCoinRecordByName(parentId);
  if (parent === null || !parent.spent) fail(PoolErrorCode.INVALID_SINGLETON, `the parent of plot NFT ${launcherId}'s coin is not on chain`);
  if (parentId === launcherId) {
    if (parent!.coin.puzzleHash !== SINGLETON_LAUNCHER.treeHash || coinId(parent!.coin) !== launcherId) {
      fail(PoolErrorCode.INVALID_SINGLETON, `${launcherId} is not a singleton launcher`);
    }
    return;
  }
  const spend = await chain.getPuzzleAndSolution(parentId, parent!.spentBlockIndex);
  const singleton = parseSingletonV11Puzzle(spend.puzzleReveal);
  if (singleton === null || singleton.launcherId !== launcherId) {
    fail(PoolErrorCode.INVALID_SINGLETON, `the coin at plot NFT ${launcherId}'s puzzle hash was not created by that singleton (v1.1)`);
  }
}
