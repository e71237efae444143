import {
  coinId,
  parseSingletonV11Puzzle,
  plotNftV2PuzzleHash,
  singletonV11PuzzleHash,
  PoolErrorCode,
  SINGLETON_LAUNCHER,
  type CoinRecord,
  type FullNodeRpc,
  type PlotNftV2Identity,
  type PlotNftV2Pool,
  type PlotNftV2State,
} from '@pool/chia';
import { PoolProtocolError } from '../pool-protocol.error';

export interface PlotNftV2Lookup {
  /** The launcher id and the node's genesis challenge: the pooling puzzle commits to both (the claim path). */
  id: PlotNftV2Identity;
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

/** The coins at the three puzzles of one owner's Plot NFT with this pool, each kept only when its lineage is the singleton's. */
interface FoundCoins {
  pooling: CoinRecord[];
  exiting: CoinRecord[];
  selfPooling: CoinRecord[];
  /** Coins at one of those puzzle hashes that the singleton did not create. */
  impostors: number;
}

/**
 * Finds the farmer's v2 plot NFT pooling to this pool now, as pool2-reference does (chia_pool/farmer_rpc/v2.py
 * post_farmer): the pool knows the puzzle a member's singleton must have (owner key + this pool's claim hash, lock
 * height and memoization + the network's genesis challenge, not exiting), so it asks the node for the unspent coin
 * at that puzzle hash, without waiting for it to be buried (a farmer who has just joined is welcome at once; see
 * v1AdmissionRefusal). Stricter than the reference on lineage (see isSingletonsCoin), and a refusal says where the
 * plot NFT is instead: in this pool's waiting room, self-pooling, or nowhere this pool can name. Returns the
 * singleton's current coin record.
 */
export async function findPoolingPlotNftV2(chain: ChainReads, lookup: PlotNftV2Lookup): Promise<CoinRecord> {
  const launcherId = lookup.id.launcherId;
  const found = await findPlotNftCoins(chain, lookup);
  // Impostors are dropped rather than counted: pool2-reference refuses "more than one coin" at the pooling puzzle
  // hash, so anyone could lock a farmer out for good by minting one mojo at its (public) puzzle hash.
  if (found.pooling.length > 1) fail(PoolErrorCode.INVALID_SINGLETON, `${found.pooling.length} unspent coins of plot NFT ${launcherId}'s own lineage pool here`);
  const current = found.pooling[0];
  if (current !== undefined) return current;
  const [code, message] = await whyNotPooling(chain, lookup, found);
  return fail(code, message);
}

async function findPlotNftCoins(chain: ChainReads, { id, authenticationPublicKey: ownerPublicKey, pool }: PlotNftV2Lookup): Promise<FoundCoins> {
  const states: Record<'pooling' | 'exiting' | 'selfPooling', PlotNftV2State> = {
    pooling: { ownerPublicKey, pool, exiting: false },
    exiting: { ownerPublicKey, pool, exiting: true },
    selfPooling: { ownerPublicKey, pool: null, exiting: false },
  };
  const puzzleHashes = {
    pooling: plotNftV2PuzzleHash(id, states.pooling),
    exiting: plotNftV2PuzzleHash(id, states.exiting),
    selfPooling: plotNftV2PuzzleHash(id, states.selfPooling),
  };
  const records = await chain.getCoinRecordsByPuzzleHashes(Object.values(puzzleHashes), { includeSpentCoins: false });
  const found: FoundCoins = { pooling: [], exiting: [], selfPooling: [], impostors: 0 };
  for (const record of records) {
    const name = (Object.keys(puzzleHashes) as (keyof typeof puzzleHashes)[]).find((key) => puzzleHashes[key] === record.coin.puzzleHash);
    if (name === undefined) continue;
    if (await isSingletonsCoin(chain, id, record)) found[name].push(record);
    else found.impostors++;
  }
  return found;
}

/**
 * Was `record` created by the Plot NFT of `id` itself? pool2-reference only checks that the parent's puzzle is some
 * singleton v1.1, which another singleton passes by creating an even coin at this puzzle hash (the top layer morphs
 * only the odd one). Here: the coin has amount 1, and its parent is either the launcher (a launch without an eve) or
 * a singleton v1.1 of the SAME launcher, amount 1, spent in the block that created the coin. That is enough without
 * running the parent's puzzle (tens of milliseconds of the api's main thread): singleton v1.1 allows exactly one odd
 * CREATE_COIN and rewrites it to its own puzzle, so an odd child of this singleton's spend is the singleton itself.
 */
export async function isSingletonsCoin(chain: ChainReads, id: PlotNftV2Identity, record: CoinRecord): Promise<boolean> {
  if (record.coin.amount !== 1n) return false;
  const parentId = record.coin.parentCoinInfo;
  const parent = await chain.getCoinRecordByName(parentId);
  // A coin is created in the block that spends its parent.
  if (parent === null || !parent.spent || parent.spentBlockIndex !== record.confirmedBlockIndex) return false;
  if (parentId === id.launcherId) {
    // The launcher creates one coin, as its solution says: a coin whose parent is the launcher is that coin.
    return parent.coin.puzzleHash === SINGLETON_LAUNCHER.treeHash && coinId(parent.coin) === id.launcherId;
  }
  if (parent.coin.amount !== 1n) return false;
  const singleton = parseSingletonV11Puzzle((await chain.getPuzzleAndSolution(parentId, parent.spentBlockIndex)).puzzleReveal);
  // The reveal must be the parent's own puzzle: this launcher's singleton v1.1 at the parent's puzzle hash.
  return singleton !== null && singleton.launcherId === id.launcherId && singletonV11PuzzleHash(id.launcherId, singleton.innerPuzzleHash) === parent.coin.puzzleHash;
}

/** The refusal of a plot NFT with no coin of its own at this pool's pooling puzzle: what its other coins (if any) say. */
async function whyNotPooling(chain: ChainReads, { id, authenticationPublicKey, pool, peak }: PlotNftV2Lookup, found: FoundCoins): Promise<[PoolErrorCode, string]> {
  const launcherId = id.launcherId;
  const nft = `plot NFT ${launcherId}`;
  const leaving = found.exiting[0];
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
  if (found.selfPooling.length > 0) return [PoolErrorCode.INVALID_SINGLETON, `${nft} is self-pooling; join this pool with it first`];
  if (found.impostors > 0) {
    return [
      PoolErrorCode.INVALID_SINGLETON,
      `the coin(s) at ${nft}'s puzzle hash were not created by that singleton (its launcher or a singleton v1.1 spend of the same launcher creating a coin of amount 1): they do not make it a member`,
    ];
  }
  if ((await chain.getCoinRecordByName(launcherId)) === null) return [PoolErrorCode.NOT_FOUND, `launcher ${launcherId} not found on chain`];
  return [
    PoolErrorCode.NOT_FOUND,
    `no plot NFT ${launcherId} pooling to this pool with authentication key ${authenticationPublicKey} was found on chain: it farms to another pool (or sits in its waiting room), or that key is not its owner's`,
  ];
}
