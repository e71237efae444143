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
  peak: number;
  confirmationSecurityThreshold: number;
}

type ChainReads = Pick<FullNodeRpc, 'getCoinRecordsByPuzzleHashes' | 'getCoinRecordByName' | 'getPuzzleAndSolution'>;

const fail = (code: PoolErrorCode, message: string): never => {
  throw new PoolProtocolError(code, message);
};

/**
 * Finds the farmer's v2 plot NFT pooling to this pool, the way pool2-reference does: the pool knows the puzzle a
 * member's singleton must have (owner key + this pool's identity, not exiting), so it asks the node for unspent
 * coins at that puzzle hash. Beyond the reference: a coin at the exiting puzzle is named as such, the coin must
 * be buried by the confirmation threshold, and its parent must be the launcher or a singleton v1.1 of the same
 * launcher (anyone can create a coin at a puzzle hash; only the singleton's lineage proves it is the plot NFT).
 * Returns the singleton's current coin record.
 */
export async function findPoolingPlotNftV2(chain: ChainReads, lookup: PlotNftV2Lookup): Promise<CoinRecord> {
  const { launcherId, authenticationPublicKey, pool, peak, confirmationSecurityThreshold } = lookup;
  const pooling = plotNftV2PuzzleHash(launcherId, { ownerPublicKey: authenticationPublicKey, pool, exiting: false });
  const exiting = plotNftV2PuzzleHash(launcherId, { ownerPublicKey: authenticationPublicKey, pool, exiting: true });
  const records = await chain.getCoinRecordsByPuzzleHashes([pooling, exiting], { includeSpentCoins: false });
  const members = records.filter((r) => r.coin.puzzleHash === pooling);
  if (members.length === 0) {
    if (records.some((r) => r.coin.puzzleHash === exiting)) {
      fail(PoolErrorCode.INVALID_SINGLETON, `plot NFT ${launcherId} is exiting this pool; it can no longer join it`);
    }
    fail(
      PoolErrorCode.NOT_FOUND,
      `no plot NFT ${launcherId} pooling to this pool with authentication key ${authenticationPublicKey} was found on chain`,
    );
  }
  if (members.length > 1) fail(PoolErrorCode.INVALID_SINGLETON, `${members.length} unspent coins claim to be plot NFT ${launcherId}`);
  const current = members[0]!;
  if (current.confirmedBlockIndex > peak - confirmationSecurityThreshold) {
    fail(
      PoolErrorCode.INVALID_SINGLETON,
      `plot NFT ${launcherId} joined this pool at height ${current.confirmedBlockIndex}; it must be buried by ${confirmationSecurityThreshold} blocks (peak ${peak}), try again later`,
    );
  }
  await requireSingletonLineage(chain, launcherId, current);
  return current;
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
