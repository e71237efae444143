import {
  hexToBytes,
  type AdditionsAndRemovals,
  type BlockchainState,
  type BlockRecord,
  type Coin,
  type CoinRecord,
  type CoinRecordQuery,
  type CoinSpend,
  type FeeEstimate,
  type FeeEstimateRequest,
  type FeeEstimateSpendType,
  type FullNodeRpc,
  type Hex,
  type NetworkInfo,
  type PushTxResult,
  type RecentSignagePointOrEos,
  type SignagePointOrEosQuery,
  type SpendBundle,
  calculatePoolReward,
  coinId,
  farmerParentId,
  normalizeCoin,
  poolParentId,
  requiredIterations,
  spendBundleName,
} from '@pool/chia';
import { DEVNET_NETWORK, type NetworkConstants, signagePointIntervalIters, signagePointIntervalMs } from '../network';
import { type ChainClock, ManualClock } from './chain-clock';
import { DevnetChainError } from './chain-errors';
import { seededBytes, seededHex } from './seeded-hash';
import { type CompactBlock, CompactBlocks } from './compact-blocks';
import { type TimelineEntry, buildTimelineEntry } from './signage-point-timeline';
import {
  type MempoolEntry,
  MAX_BLOCK_COST_CLVM,
  MEMPOOL_BLOCK_BUFFER,
  bundleCost,
  byPriority,
  feeToBeIncluded,
  makeRoom,
  replacementRefusal,
  selectForBlock,
} from './mempool-policy';
import {
  type RequiredSignature,
  type SpendContext,
  type ValidatedBundle,
  validateSpendBundle,
} from './spend-validator';

export interface DevnetChainOptions {
  /** Default DEVNET_NETWORK. */
  network?: NetworkConstants;
  /** Default a ManualClock at 2026-01-01 (move it with `advance`). */
  clock?: ChainClock;
  /** Every simulated hash derives from it; the same seed and the same calls give the same chain. Default "devnet". */
  seed?: string;
  /**
   * The rest of the network farms a block every this many signage points (2 ≈ mainnet's 32 blocks per
   * sub-slot); 0 means only `submitBlock`/`farmBlock` make blocks. Default 2.
   */
  networkBlockEverySignagePoints?: number;
  /** Where the rest of the network's rewards go. Default a puzzle hash derived from the seed. */
  networkFarmerPuzzleHash?: Hex;
  /**
   * How many signage point positions the node remembers (answering get_recent_signage_point_or_eos for them, the
   * reverted ones included); older ones are forgotten, a whole sub-slot at a time, as a real node forgets them
   * ("not found"). At least two sub-slots. Default 4,096 (64 sub-slots: about 68 devnet minutes, more than the
   * pool's partial confirmation delay and reorg window).
   */
  signagePointCacheSize?: number;
  /**
   * How many of the newest heights keep their full block (record, transactions, additions and removals); older
   * blocks are compacted to what rebuilds their record, so get_block_record(_by_height) still answers for every
   * height. Must exceed `maxReorgDepth` plus the pool's chain follower window (200). Default 1,000.
   */
  fullBlockHeights?: number;
  /** The deepest reorg `reorg` makes (deeper blocks may be compacted). Default 100. */
  maxReorgDepth?: number;
  /** A block may use a signage point at most this many signage points old. Default one sub-slot. */
  maxSignagePointAge?: number;
  /**
   * Verifies AGG_SIG_ME/AGG_SIG_UNSAFE signatures (e.g. with @pool/chia's BLS `aggregateVerify`). Without it
   * signatures are not checked: any 96-byte signature is accepted.
   */
  verifySignatures?: SpendContext['verifySignatures'];
  /**
   * The most CLVM cost one block takes from the mempool (best fee per cost first). Default Chia's
   * MAX_BLOCK_COST_CLVM (11,000,000,000); a smaller one makes a congested network out of a few transactions.
   */
  blockMaxCost?: bigint;
  /**
   * The most CLVM cost the mempool holds; when full, a transaction gets in only by paying more per cost than what it
   * evicts. Default ten blocks (Chia's MEMPOOL_BLOCK_BUFFER).
   */
  mempoolMaxTotalCost?: bigint;
}

/** A farmer's winning proof at a signage point (see `submitBlock`). */
export interface BlockSubmission {
  /** The signage point hash (or EOS challenge chain hash for signage point 0) the proof answered. */
  signagePointHash: Hex;
  /** Farmer reward (1/8 + fees) goes here. */
  farmerPuzzleHash: Hex;
  /** Pool reward (7/8): the plot's pool contract (p2 singleton) puzzle hash for pooled plots. */
  poolPuzzleHash: Hex;
  /**
   * required_iters of the proof at the network difficulty, when the caller computed it; it must be below the
   * signage point interval (sub_slot_iters / 64), as Chia requires. The simulator does not verify proofs.
   */
  requiredIters?: bigint;
  /**
   * Instead of (or as a check on) `requiredIters`: the proof's quality string and plot size, from which the chain
   * computes required_iters at the network difficulty and constant factor (Chia's calculate_iterations_quality).
   */
  quality?: { qualityString: Hex; plotSize: number };
  /** Any bytes identifying the proof (e.g. the proof of space hash); only mixed into the header hash. */
  proofHash?: Hex;
}

export interface FarmedBlock {
  block: BlockRecord;
  poolRewardCoin: Coin;
  farmerRewardCoin: Coin;
  /** Spend bundles (by name) the block included. */
  includedTransactions: Hex[];
}

export interface ReorgOptions {
  /** Blocks on the new branch; default depth + 1 (the new branch must be heavier). */
  newBlocks?: number;
  /** Rewards of the new branch's blocks; default the network farmer. */
  farmerPuzzleHash?: Hex;
  poolPuzzleHash?: Hex;
  /**
   * Drop the orphaned blocks' transactions instead of returning them to the mempool (a node that restarted or
   * never saw them): whoever pushed them must push again.
   */
  dropOrphanedTransactions?: boolean;
}

export interface ReorgResult {
  orphaned: BlockRecord[];
  newBlocks: BlockRecord[];
  /** Signage points (and EOS) that the reorg reverted. */
  revertedSignagePoints: number;
}

interface StoredCoin {
  coin: Coin;
  confirmedBlockIndex: number;
  spentBlockIndex: number;
  coinbase: boolean;
  timestamp: number;
}

interface Mint {
  coin: Coin;
}

interface MempoolItem extends MempoolEntry {
  bundle: SpendBundle;
  validated: ValidatedBundle;
}

interface BlockEntry {
  compact?: false;
  record: BlockRecord;
  seq: number;
  additions: Hex[];
  removals: Hex[];
  bundles: SpendBundle[];
  mints: Mint[];
  /** CLVM cost of the transactions it took (get_fee_estimate's last_block_cost). */
  cost: bigint;
}

type StoredBlock = BlockEntry | CompactBlock;

/** The pool's chain follower reads this many heights back (POOL_CHAIN_FOLLOWER_WINDOW default). */
const FOLLOWER_WINDOW = 200;

const UINT32_MAX = 0xffffffff;
/** Chia's fixed costs of the spend kinds get_fee_estimate prices without a bundle (`_get_spendbundle_type_cost`). */
const SPEND_TYPE_COSTS: Record<FeeEstimateSpendType, bigint> = {
  send_xch_transaction: 9_401_710n,
  cat_spend: 36_382_111n,
  take_offer: 721_393_265n,
  cancel_offer: 212_443_993n,
  nft_set_nft_did: 115_540_006n,
  nft_transfer_nft: 74_385_541n,
  create_new_pool_wallet: 18_055_407n,
  pw_absorb_rewards: 82_668_466n,
  create_new_did_wallet: 57_360_396n,
};
/** Chia's target: 32 blocks per sub-slot on average. */
const BLOCKS_PER_SUB_SLOT_TARGET = 32;

/**
 * A deterministic, in-process Chia full node for the pool to run against.
 *
 * Time: signage points follow the injected clock, one every sub_slot_time / 64; every call catches up first
 * (`tick`), so with a ManualClock nothing happens until `advance(ms)`. A real-time or accelerated devnet uses
 * an AcceleratedClock plus `startChainDriver` (chain-clock.ts).
 *
 * Blocks: the rest of the network farms one every `networkBlockEverySignagePoints` signage points, and a farmer
 * wins one with `submitBlock` (its winning proof at a recent signage point). Every block is a transaction block
 * (a simplification: on mainnet about one in three is), includes the whole mempool and creates its own reward
 * coins exactly as Chia's coinbase does: 7/8 to the pool puzzle hash with parent `poolParentId(height)`, 1/8 plus
 * the fees to the farmer with parent `farmerParentId(height)`. Height 0 is a genesis block paying the prefarm.
 *
 * Reorgs: `reorg(depth)` orphans the last blocks (their coins and spends disappear, their transactions go back
 * to the mempool), replaces the signage points since the fork with a new branch (the old ones stay in the cache
 * with `reverted: true`) and farms a heavier branch. Orphaned blocks stay known to `getBlockRecord` until they fall
 * below the full-block horizon. A reorg is at most `maxReorgDepth` blocks deep.
 *
 * Memory: a devnet runs for days, so the node keeps what a real one answers the pool with and compacts the rest.
 * Signage points are remembered for `signagePointCacheSize` positions (a real node forgets them after a few
 * sub-slots); blocks older than `fullBlockHeights` keep only what rebuilds their record (compact-blocks.ts); coins
 * and spends are kept, except the rest of the network's unspendable rewards in compacted blocks.
 */
export class DevnetChain implements FullNodeRpc {
  readonly network: NetworkConstants;
  readonly clock: ChainClock;
  readonly seed: string;
  readonly networkFarmerPuzzleHash: Hex;
  readonly startMs: number;

  private readonly networkBlockEvery: number;
  private readonly cacheSize: number;
  private readonly maxSignagePointAge: number;
  private readonly verifySignatures: SpendContext['verifySignatures'];

  private readonly fullBlockHeights: number;
  private readonly maxReorgDepth: number;

  /** The remembered signage points of the current chain: `timeline[i]` is position `timelineOffset + i`. */
  private timeline: TimelineEntry[] = [];
  private timelineOffset = 0;
  private readonly spCache = new Map<Hex, TimelineEntry>();
  private readonly eosCache = new Map<Hex, TimelineEntry>();
  private branch = 0;

  /** Heights 0..compacted.length-1; `full[i]` is height `compacted.length + i`. */
  private readonly compacted = new CompactBlocks();
  private full: BlockEntry[] = [];
  /** Full blocks by header hash: the main chain's and the orphans'. */
  private readonly knownBlocks = new Map<Hex, BlockEntry>();
  /** Orphaned blocks in the order they were orphaned, forgotten once below the full-block horizon. */
  private orphans: BlockEntry[] = [];
  private blockNonce = 0;

  private readonly coins = new Map<Hex, StoredCoin>();
  private readonly coinsByPuzzleHash = new Map<Hex, Set<Hex>>();
  private readonly coinsByParent = new Map<Hex, Set<Hex>>();
  private readonly spends = new Map<Hex, CoinSpend>();

  private mempool: MempoolItem[] = [];
  private mempoolSeq = 0;
  private readonly blockMaxCost: bigint;
  private readonly mempoolMaxTotalCost: bigint;
  private pendingMints: Mint[] = [];
  private mintCounter = 0;

  constructor(options: DevnetChainOptions = {}) {
    this.network = options.network ?? DEVNET_NETWORK;
    this.clock = options.clock ?? new ManualClock();
    this.seed = options.seed ?? 'devnet';
    this.networkBlockEvery = options.networkBlockEverySignagePoints ?? 2;
    this.cacheSize = options.signagePointCacheSize ?? 4096;
    if (!Number.isInteger(this.cacheSize) || this.cacheSize < 2 * this.network.numSpsSubSlot) {
      throw new RangeError(`signagePointCacheSize must be at least two sub-slots (${2 * this.network.numSpsSubSlot})`);
    }
    this.maxReorgDepth = options.maxReorgDepth ?? 100;
    this.fullBlockHeights = options.fullBlockHeights ?? 1000;
    if (!Number.isInteger(this.fullBlockHeights) || this.fullBlockHeights <= this.maxReorgDepth + FOLLOWER_WINDOW) {
      throw new RangeError(`fullBlockHeights must exceed maxReorgDepth + ${FOLLOWER_WINDOW}`);
    }
    this.maxSignagePointAge = options.maxSignagePointAge ?? this.network.numSpsSubSlot;
    this.verifySignatures = options.verifySignatures;
    this.blockMaxCost = options.blockMaxCost ?? MAX_BLOCK_COST_CLVM;
    this.mempoolMaxTotalCost = options.mempoolMaxTotalCost ?? this.blockMaxCost * MEMPOOL_BLOCK_BUFFER;
    if (this.blockMaxCost <= 0n || this.mempoolMaxTotalCost < this.blockMaxCost) throw new RangeError('blockMaxCost must be positive and mempoolMaxTotalCost at least one block');
    this.networkFarmerPuzzleHash = options.networkFarmerPuzzleHash ?? seededHex(this.seed, 'network-farmer');
    this.startMs = this.clock.now();
    this.emit(0, this.startMs);
    this.appendBlock({ seq: 0, timeMs: this.startMs, farmerPuzzleHash: this.networkFarmerPuzzleHash, poolPuzzleHash: seededHex(this.seed, 'prefarm') });
  }

  // ---------------------------------------------------------------- time

  /** Moves a ManualClock forward and produces what became due. */
  advance(ms: number): void {
    if (!(this.clock instanceof ManualClock)) throw new Error('advance() needs a ManualClock; this chain follows its own clock');
    this.clock.advance(ms);
    this.tick();
  }

  /** Moves forward to just after the next `count` signage points. */
  advanceSignagePoints(count = 1): void {
    const target = this.currentSeq() + count;
    this.advance(Math.max(0, this.seqTime(target) - this.clock.now()));
  }

  /** Produces every signage point (and network block) whose time has come. */
  tick(): void {
    const now = this.clock.now();
    for (let seq = this.currentSeq() + 1; this.seqTime(seq) <= now; seq++) {
      this.emit(seq, this.seqTime(seq));
      if (this.networkBlockEvery > 0 && seq % this.networkBlockEvery === 0) {
        this.appendBlock({ seq, timeMs: this.seqTime(seq), farmerPuzzleHash: this.networkFarmerPuzzleHash, poolPuzzleHash: this.networkFarmerPuzzleHash });
      }
      if (seq % this.network.numSpsSubSlot === 0) this.forgetOldSignagePoints();
    }
    this.compactOldBlocks();
  }

  // ---------------------------------------------------------------- signage points

  /** The newest signage point or EOS of the current chain. */
  latestSignagePoint(): TimelineEntry {
    this.tick();
    return this.timeline[this.timeline.length - 1];
  }

  /** The oldest signage point position the node still remembers. */
  oldestRememberedSeq(): number {
    return this.timelineOffset;
  }

  /** The current chain's signage points from `fromSeq` on (tests and the farmer simulator). */
  signagePoints(fromSeq = 0): readonly TimelineEntry[] {
    this.tick();
    return this.timeline.slice(Math.max(0, fromSeq - this.timelineOffset));
  }

  async getRecentSignagePointOrEos(query: SignagePointOrEosQuery): Promise<RecentSignagePointOrEos | null> {
    this.tick();
    const entry = 'spHash' in query ? this.spCache.get(query.spHash) : this.eosCache.get(query.challengeHash);
    if (entry === undefined) return null;
    const reverted = this.timelineAt(entry.seq) !== entry;
    if (entry.eos !== null) return { kind: 'eos', eos: entry.eos, timeReceived: entry.timeReceived, reverted };
    if (entry.signagePoint === null) return null;
    return { kind: 'signage_point', signagePoint: entry.signagePoint, timeReceived: entry.timeReceived, reverted };
  }

  // ---------------------------------------------------------------- blocks

  /**
   * A farmer won a block with a proof at a signage point: the block is added on top of the peak now, with the
   * mempool and the reward coins. The signage point must be on the current chain and at most
   * `maxSignagePointAge` signage points old; `requiredIters`, when given, must be below the signage point
   * interval iterations. Throws DevnetChainError otherwise.
   */
  submitBlock(submission: BlockSubmission): FarmedBlock {
    this.tick();
    const hash = submission.signagePointHash;
    const entry = this.spCache.get(hash) ?? this.eosCache.get(hash);
    if (entry === undefined) throw new DevnetChainError('SP_NOT_IN_CACHE', `unknown signage point ${hash}`);
    if (this.timelineAt(entry.seq) !== entry) throw new DevnetChainError('SP_REVERTED', `signage point ${hash} was reverted`);
    if (this.currentSeq() - entry.seq > this.maxSignagePointAge) {
      throw new DevnetChainError('SP_TOO_OLD', `signage point ${hash} is more than ${this.maxSignagePointAge} signage points old`);
    }
    const limit = signagePointIntervalIters(this.network);
    let requiredIters = submission.requiredIters;
    if (submission.quality !== undefined) {
      const computed = requiredIterations(
        hexToBytes(submission.quality.qualityString),
        hexToBytes(entry.hash),
        submission.quality.plotSize,
        this.network.difficulty,
        this.network.difficultyConstantFactor,
      );
      if (requiredIters !== undefined && requiredIters !== computed) {
        throw new DevnetChainError('INVALID_REQUIRED_ITERS', `required_iters ${requiredIters} does not match the quality (${computed})`);
      }
      requiredIters = computed;
    }
    if (requiredIters !== undefined && (requiredIters < 1n || requiredIters >= limit)) {
      throw new DevnetChainError('INVALID_REQUIRED_ITERS', `required_iters ${requiredIters} is not below ${limit}`);
    }
    return this.appendBlock({
      seq: entry.seq,
      timeMs: this.clock.now(),
      farmerPuzzleHash: submission.farmerPuzzleHash,
      poolPuzzleHash: submission.poolPuzzleHash,
      requiredIters,
      proofHash: submission.proofHash,
    });
  }

  /** Farms a block for the rest of the network (or the given puzzle hashes) at the latest signage point. */
  farmBlock(rewards: { farmerPuzzleHash?: Hex; poolPuzzleHash?: Hex } = {}): FarmedBlock {
    this.tick();
    return this.appendBlock({
      seq: this.currentSeq(),
      timeMs: this.clock.now(),
      farmerPuzzleHash: rewards.farmerPuzzleHash ?? this.networkFarmerPuzzleHash,
      poolPuzzleHash: rewards.poolPuzzleHash ?? this.networkFarmerPuzzleHash,
    });
  }

  /** Farms `count` network blocks at the latest signage point. */
  farmBlocks(count: number): FarmedBlock[] {
    return Array.from({ length: count }, () => this.farmBlock());
  }

  peak(): BlockRecord {
    this.tick();
    return this.peakEntry().record;
  }

  peakHeight(): number {
    return this.peak().height;
  }

  async getBlockRecordByHeight(height: number): Promise<BlockRecord | null> {
    this.tick();
    const stored = this.storedAt(height);
    return stored === undefined ? null : this.blockRecordOf(stored);
  }

  async getBlockRecord(headerHash: Hex): Promise<BlockRecord | null> {
    this.tick();
    const known = this.knownBlocks.get(headerHash);
    if (known !== undefined) return known.record;
    const height = this.compacted.heightOf(headerHash);
    return height === undefined ? null : this.blockRecordOf(this.compacted.get(height)!);
  }

  /** True when the block is on the current chain (not orphaned by a reorg). */
  isInMainChain(headerHash: Hex): boolean {
    const entry = this.knownBlocks.get(headerHash);
    if (entry === undefined) return this.compacted.heightOf(headerHash) !== undefined;
    return this.storedAt(entry.record.height) === entry;
  }

  async getAdditionsAndRemovals(headerHash: Hex): Promise<AdditionsAndRemovals> {
    this.tick();
    const entry = this.knownBlocks.get(headerHash);
    if (entry === undefined) {
      if (this.compacted.heightOf(headerHash) !== undefined) {
        // Nothing the pool runs asks for an old block's coins this way (it asks by coin name, parent or puzzle hash).
        throw new DevnetChainError('BLOCK_COMPACTED', `block ${headerHash} is older than the devnet's ${this.fullBlockHeights} full blocks`);
      }
      throw new DevnetChainError('BLOCK_NOT_FOUND', `block ${headerHash} not found`);
    }
    if (this.storedAt(entry.record.height) !== entry) {
      throw new DevnetChainError('BLOCK_NOT_IN_MAIN_CHAIN', `block ${headerHash} is not in the main chain`);
    }
    return {
      additions: entry.additions.map((id) => this.recordOf(id)),
      removals: entry.removals.map((id) => this.recordOf(id)),
    };
  }

  async getBlockchainState(): Promise<BlockchainState> {
    this.tick();
    const peak = this.peakEntry().record;
    return {
      peak,
      genesisChallengeInitialized: true,
      sync: { syncMode: false, synced: true, syncTipHeight: peak.height, syncProgressHeight: peak.height },
      difficulty: this.network.difficulty,
      subSlotIters: this.network.subSlotIters,
      space: this.estimateSpace(),
      averageBlockTime: this.averageBlockTime(),
      mempoolSize: this.mempool.length,
      mempoolCost: this.mempoolCost(),
      mempoolFees: this.mempool.reduce((sum, item) => sum + item.fee, 0n),
      mempoolMaxTotalCost: this.mempoolMaxTotalCost,
      blockMaxCost: this.blockMaxCost,
      nodeId: seededHex(this.seed, 'node-id'),
    };
  }

  async getNetworkInfo(): Promise<NetworkInfo> {
    return {
      networkName: this.network.networkName,
      networkPrefix: this.network.addressPrefix,
      genesisChallenge: this.network.genesisChallenge,
    };
  }

  // ---------------------------------------------------------------- coins

  async getCoinRecordByName(name: Hex): Promise<CoinRecord | null> {
    this.tick();
    return this.coins.has(name) ? this.recordOf(name) : null;
  }

  async getCoinRecordsByNames(names: Hex[], query: CoinRecordQuery = {}): Promise<CoinRecord[]> {
    this.tick();
    return this.selectRecords(names.filter((name) => this.coins.has(name)), query);
  }

  async getCoinRecordsByPuzzleHash(puzzleHash: Hex, query: CoinRecordQuery = {}): Promise<CoinRecord[]> {
    return this.getCoinRecordsByPuzzleHashes([puzzleHash], query);
  }

  async getCoinRecordsByPuzzleHashes(puzzleHashes: Hex[], query: CoinRecordQuery = {}): Promise<CoinRecord[]> {
    this.tick();
    return this.selectRecords(puzzleHashes.flatMap((ph) => [...(this.coinsByPuzzleHash.get(ph) ?? [])]), query);
  }

  async getCoinRecordsByParentIds(parentIds: Hex[], query: CoinRecordQuery = {}): Promise<CoinRecord[]> {
    this.tick();
    return this.selectRecords(parentIds.flatMap((parent) => [...(this.coinsByParent.get(parent) ?? [])]), query);
  }

  async getPuzzleAndSolution(coinIdHex: Hex, height: number): Promise<CoinSpend> {
    this.tick();
    const spend = this.spends.get(coinIdHex);
    const stored = this.coins.get(coinIdHex);
    if (spend === undefined || stored === undefined || stored.spentBlockIndex !== height) {
      throw new DevnetChainError('COIN_NOT_SPENT_AT_HEIGHT', `coin ${coinIdHex} was not spent at height ${height}`);
    }
    return spend;
  }

  /** Synchronous coin lookups for the wallet and plot NFT helpers. */
  coinRecord(id: Hex): CoinRecord | undefined {
    return this.coins.has(id) ? this.recordOf(id) : undefined;
  }

  coinSpend(id: Hex): CoinSpend | undefined {
    return this.spends.get(id);
  }

  unspentCoinsAt(puzzleHash: Hex): CoinRecord[] {
    this.tick();
    return this.selectRecords([...(this.coinsByPuzzleHash.get(puzzleHash) ?? [])], {});
  }

  childrenOf(parentId: Hex): CoinRecord[] {
    return [...(this.coinsByParent.get(parentId) ?? [])].map((id) => this.recordOf(id));
  }

  // ---------------------------------------------------------------- mempool

  /**
   * Validates the bundle (spend-validator.ts) against the chain, pending mints and the mempool and queues it for
   * the next block. The same bundle again answers SUCCESS. A bundle spending a coin a waiting one spends replaces it
   * only as Chia's mempool allows (mempool-policy.ts `replacementRefusal`: the same coins or more, a higher fee per
   * cost and at least MEMPOOL_MIN_FEE_INCREASE more fee); otherwise it is refused with MEMPOOL_CONFLICT (Chia keeps
   * it aside and answers PENDING; the devnet says no at once). A full mempool takes it only by evicting bundles that
   * pay less per cost (INVALID_FEE_LOW_FEE otherwise).
   */
  async pushTx(spendBundle: SpendBundle): Promise<PushTxResult> {
    return this.addToMempool(spendBundle);
  }

  /** `pushTx` without the promise: throws DevnetChainError at once when the bundle is refused. */
  addToMempool(spendBundle: SpendBundle): PushTxResult {
    this.tick();
    const bundle = normalizeBundle(spendBundle);
    const name = spendBundleName(bundle);
    if (this.mempool.some((item) => item.name === name)) return { status: 'SUCCESS' };
    this.admit(name, bundle, validateSpendBundle(bundle, this.spendContext()));
    return { status: 'SUCCESS' };
  }

  /** The waiting transactions, best payers first (the order a block takes them in). */
  mempoolItems(): { name: Hex; cost: bigint; fee: bigint }[] {
    this.tick();
    return [...this.mempool].sort(byPriority).map(({ name, cost, fee }) => ({ name, cost, fee }));
  }

  /**
   * get_fee_estimate from the mempool as it stands (mempool-policy.ts `feeToBeIncluded`): for each target time, the
   * fee that gets a transaction of the asked cost into the blocks expected by then (at least the next one). The
   * answer has the fields and units of Chia's (full_node_rpc_api.py `get_fee_estimate`): fees in mojos, sizes in
   * CLVM cost, target times sorted, estimates never rising with time.
   */
  async getFeeEstimate(request: FeeEstimateRequest): Promise<FeeEstimate> {
    this.tick();
    const targetTimes = [...request.targetTimes].sort((a, b) => a - b);
    if (targetTimes.some((t) => !Number.isFinite(t) || t < 0)) throw new DevnetChainError('TARGET_TIMES_NON_NEGATIVE', "'target_times' array members must be non-negative");
    const cost = this.requestedCost(request);
    const limits = { blockMaxCost: this.blockMaxCost, maxTotalCost: this.mempoolMaxTotalCost };
    const blockSeconds = this.expectedBlockSeconds();
    const estimates: bigint[] = [];
    for (const t of targetTimes) {
      const fee = feeToBeIncluded(this.mempool, cost, Math.floor(t / blockSeconds), limits);
      estimates.push(estimates.length > 0 && fee > estimates[estimates.length - 1]! ? estimates[estimates.length - 1]! : fee);
    }
    const unitCost = 1_000_000n;
    const peak = this.peakEntry();
    const fees = peak.record.fees ?? 0n;
    return {
      estimates,
      targetTimes,
      currentFeeRate: Number(feeToBeIncluded(this.mempool, unitCost, 1, limits)) / Number(unitCost),
      mempoolSize: this.mempoolCost(),
      mempoolFees: this.mempool.reduce((sum, item) => sum + item.fee, 0n),
      numSpends: this.mempool.length,
      mempoolMaxSize: this.mempoolMaxTotalCost,
      fullNodeSynced: true,
      peakHeight: peak.record.height,
      lastPeakTimestamp: peak.record.timestamp ?? 0,
      nodeTimeUtc: Math.floor(this.clock.now() / 1000),
      lastBlockCost: peak.cost,
      feesLastBlock: fees,
      feeRateLastBlock: peak.cost > 0n ? Number(fees) / Number(peak.cost) : 0,
      lastTxBlockHeight: peak.record.height,
    };
  }

  /**
   * The AGG_SIG conditions a bundle would have to satisfy on this chain now (signature not checked), for
   * signing helpers. Throws like pushTx when the bundle is invalid for other reasons.
   */
  requiredSignatures(spendBundle: SpendBundle): RequiredSignature[] {
    this.tick();
    return validateSpendBundle(normalizeBundle(spendBundle), { ...this.spendContext(), verifySignatures: undefined }).signatures;
  }

  /** Names of the bundles waiting for the next block. */
  mempoolNames(): Hex[] {
    return this.mempool.map((item) => item.name);
  }

  /**
   * Devnet faucet: creates a (non-coinbase) coin in the next block, out of thin air. Its id is known at once, and
   * a bundle pushed before that block may already spend it.
   */
  mint(puzzleHash: Hex, amount: bigint): Coin {
    const coin = normalizeCoin({ parentCoinInfo: seededHex(this.seed, 'mint', this.mintCounter++), puzzleHash, amount });
    this.pendingMints.push({ coin });
    return coin;
  }

  // ---------------------------------------------------------------- reorgs

  /**
   * Orphans the last `depth` blocks and farms a heavier branch in their place (see the class comment). The
   * signage points since the first orphaned block's signage point are replaced, so partials on them come back
   * `reverted`.
   */
  reorg(depth: number, options: ReorgOptions = {}): ReorgResult {
    this.tick();
    const peakHeight = this.blockCount() - 1;
    const deepest = Math.min(peakHeight, this.maxReorgDepth);
    if (!Number.isInteger(depth) || depth < 1 || depth > deepest) {
      throw new RangeError(`reorg depth must be between 1 and ${deepest} (the peak height ${peakHeight}, at most ${this.maxReorgDepth})`);
    }
    const newBlockCount = options.newBlocks ?? depth + 1;
    if (!Number.isInteger(newBlockCount) || newBlockCount < 1) throw new RangeError('a reorg needs at least one new block');
    // maxReorgDepth < fullBlockHeights: every orphaned block is still a full one.
    const orphaned = this.full.splice(peakHeight - depth + 1 - this.compacted.length);
    for (const entry of [...orphaned].reverse()) this.undoBlock(entry);
    this.orphans.push(...orphaned);
    const returned = options.dropOrphanedTransactions ? [] : orphaned.flatMap((entry) => entry.bundles);
    this.pendingMints = [...orphaned.flatMap((entry) => entry.mints), ...this.pendingMints];
    const waiting = this.mempool.map((item) => item.bundle);
    this.mempool = [];
    for (const bundle of [...returned, ...waiting]) this.requeue(bundle);

    const currentSeq = this.currentSeq();
    const forkBlockSeq = this.peakEntry().seq;
    // Signage points the node has forgotten cannot be replaced (nor a sub-slot whose opening EOS it forgot).
    const oldestReplaceable = this.timelineOffset === 0 ? 0 : this.timelineOffset + this.network.numSpsSubSlot;
    const forkSeq = Math.min(currentSeq, Math.max(orphaned[0].seq, forkBlockSeq + 1, oldestReplaceable));
    this.branch += 1;
    const now = this.clock.now();
    let reverted = 0;
    for (let seq = forkSeq; seq <= currentSeq; seq++) {
      this.emit(seq, now);
      reverted++;
    }
    const newBlocks: BlockRecord[] = [];
    const span = currentSeq - forkSeq + 1;
    for (let i = 0; i < newBlockCount; i++) {
      const seq = forkSeq + Math.floor((i * span) / newBlockCount);
      newBlocks.push(
        this.appendBlock({
          seq,
          timeMs: this.seqTime(seq),
          farmerPuzzleHash: options.farmerPuzzleHash ?? this.networkFarmerPuzzleHash,
          poolPuzzleHash: options.poolPuzzleHash ?? this.networkFarmerPuzzleHash,
        }).block,
      );
    }
    return { orphaned: orphaned.map((entry) => entry.record), newBlocks, revertedSignagePoints: reverted };
  }

  // ---------------------------------------------------------------- internals

  private currentSeq(): number {
    return this.timelineOffset + this.timeline.length - 1;
  }

  private blockCount(): number {
    return this.compacted.length + this.full.length;
  }

  /** The newest block is always a full one (fullBlockHeights > 0). */
  private peakEntry(): BlockEntry {
    return this.full[this.full.length - 1];
  }

  private storedAt(height: number): StoredBlock | undefined {
    return height < this.compacted.length ? this.compacted.get(height) : this.full[height - this.compacted.length];
  }

  /** A block's record, rebuilt for a compact block exactly as `appendBlock` made it. */
  private blockRecordOf(stored: StoredBlock): BlockRecord {
    if (!stored.compact) return stored.record;
    const height = stored.height;
    const prevHash = height === 0 ? this.network.genesisChallenge : headerHashOf(this.storedAt(height - 1)!);
    return this.blockRecord({
      headerHash: stored.headerHash,
      prevHash,
      height,
      seq: stored.seq,
      timestamp: stored.timestamp,
      farmerPuzzleHash: stored.farmerPuzzleHash,
      poolPuzzleHash: stored.poolPuzzleHash,
      requiredIters: stored.requiredIters,
      fees: stored.fees,
    });
  }

  private blockRecord(input: {
    headerHash: Hex;
    prevHash: Hex;
    height: number;
    seq: number;
    timestamp: number;
    farmerPuzzleHash: Hex;
    poolPuzzleHash: Hex;
    requiredIters: bigint;
    fees: bigint;
  }): BlockRecord {
    const { headerHash, prevHash, height, requiredIters, fees } = input;
    const poolReward = calculatePoolReward(height);
    const poolRewardCoin = normalizeCoin({ parentCoinInfo: poolParentId(this.network.genesisChallenge, height), puzzleHash: input.poolPuzzleHash, amount: poolReward });
    const farmerRewardCoin = normalizeCoin({
      parentCoinInfo: farmerParentId(this.network.genesisChallenge, height),
      puzzleHash: input.farmerPuzzleHash,
      amount: poolReward / 7n + fees,
    });
    return {
      headerHash,
      prevHash,
      height,
      // The devnet's difficulty never changes, so every block adds the same weight.
      weight: BigInt(height + 1) * this.network.difficulty,
      totalIters: BigInt(input.seq) * signagePointIntervalIters(this.network) + requiredIters,
      signagePointIndex: input.seq % this.network.numSpsSubSlot,
      challengeVdfOutput: { data: seededBytes(100, this.seed, 'block-cc-output', headerHash) },
      infusedChallengeVdfOutput: null,
      rewardInfusionNewChallenge: seededHex(this.seed, 'block-rc', headerHash),
      challengeBlockInfoHash: seededHex(this.seed, 'block-cbi', headerHash),
      subSlotIters: this.network.subSlotIters,
      poolPuzzleHash: input.poolPuzzleHash,
      farmerPuzzleHash: input.farmerPuzzleHash,
      requiredIters,
      deficit: 0,
      overflow: false,
      prevTransactionBlockHeight: Math.max(0, height - 1),
      timestamp: input.timestamp,
      prevTransactionBlockHash: prevHash,
      fees,
      rewardClaimsIncorporated: [poolRewardCoin, farmerRewardCoin],
      finishedChallengeSlotHashes: null,
      finishedInfusedChallengeSlotHashes: null,
      finishedRewardSlotHashes: null,
      subEpochSummaryIncluded: null,
    };
  }

  /**
   * Keeps the newest `fullBlockHeights` blocks whole and compacts older ones to what rebuilds their record. Their
   * coins stay, except the rest of the network's unspent rewards: the network farmer's puzzle hash is no puzzle
   * anyone can spend and nothing the pool runs asks for it, yet two such coins a block would grow without end.
   * Orphans below the horizon are forgotten (no reorg can bring them back).
   */
  private compactOldBlocks(): void {
    const below = this.blockCount() - this.fullBlockHeights;
    if (below <= this.compacted.length) return;
    const old = this.full.splice(0, below - this.compacted.length);
    for (const entry of old) {
      for (const id of entry.additions) {
        const coin = this.coins.get(id);
        if (coin !== undefined && coin.coinbase && coin.spentBlockIndex === 0 && coin.coin.puzzleHash === this.networkFarmerPuzzleHash) this.forgetCoin(id, coin);
      }
      const record = entry.record;
      this.compacted.push({
        headerHash: record.headerHash,
        seq: entry.seq,
        timestamp: record.timestamp ?? 0,
        farmerPuzzleHash: record.farmerPuzzleHash,
        poolPuzzleHash: record.poolPuzzleHash,
        requiredIters: record.requiredIters,
        fees: record.fees ?? 0n,
      });
      this.knownBlocks.delete(record.headerHash);
    }
    const kept = this.orphans.filter((orphan) => orphan.record.height >= below);
    for (const orphan of this.orphans) if (orphan.record.height < below) this.knownBlocks.delete(orphan.record.headerHash);
    this.orphans = kept;
  }

  private forgetCoin(id: Hex, stored: StoredCoin): void {
    this.coins.delete(id);
    this.spends.delete(id);
    removeFromIndex(this.coinsByPuzzleHash, stored.coin.puzzleHash, id);
    removeFromIndex(this.coinsByParent, stored.coin.parentCoinInfo, id);
  }

  private timelineAt(seq: number): TimelineEntry | undefined {
    return seq < this.timelineOffset ? undefined : this.timeline[seq - this.timelineOffset];
  }

  /**
   * Forgets whole sub-slots older than the horizon (the timeline keeps starting with an EOS, so every remembered
   * signage point's sub-slot challenge stays at hand), and every cached entry of those positions, reverted or not.
   */
  private forgetOldSignagePoints(): void {
    const sps = this.network.numSpsSubSlot;
    const excess = this.timeline.length - this.cacheSize;
    const drop = Math.floor(excess / sps) * sps;
    if (drop <= 0) return;
    this.timeline = this.timeline.slice(drop);
    this.timelineOffset += drop;
    for (const cache of [this.spCache, this.eosCache]) {
      for (const [hash, entry] of cache) if (entry.seq < this.timelineOffset) cache.delete(hash);
    }
  }

  private seqTime(seq: number): number {
    return this.startMs + seq * signagePointIntervalMs(this.network);
  }

  /** Builds (or rebuilds, on a new branch) the timeline entry at `seq` and caches it. */
  private emit(seq: number, receivedMs: number): void {
    const sps = this.network.numSpsSubSlot;
    const subSlot = Math.floor(seq / sps);
    const challengeAt = (at: number): Hex => {
      const known = this.timelineAt(at);
      if (known === undefined) throw new Error(`signage point ${at} is no longer remembered`);
      return known.hash;
    };
    const previousChallenge = subSlot === 0 ? this.network.genesisChallenge : challengeAt((subSlot - 1) * sps);
    const currentChallenge = seq % sps === 0 ? null : challengeAt(subSlot * sps);
    const entry = buildTimelineEntry(this.network, this.seed, seq, this.branch, previousChallenge, currentChallenge, this.startMs, receivedMs);
    this.timeline[seq - this.timelineOffset] = entry;
    const cache = entry.eos !== null ? this.eosCache : this.spCache;
    cache.set(entry.hash, entry);
  }

  private spendContext(extraUnspent: Map<Hex, CoinRecord> = new Map()): SpendContext {
    const nextHeight = this.blockCount();
    const nextTimestamp = Math.floor(this.clock.now() / 1000);
    const mints = new Map(this.pendingMints.map((mint) => [coinId(mint.coin), mint.coin]));
    return {
      nextHeight,
      nextTimestamp,
      genesisChallenge: this.network.genesisChallenge,
      verifySignatures: this.verifySignatures,
      unspentCoin: (id) => {
        const stored = this.coins.get(id);
        if (stored !== undefined) return stored.spentBlockIndex === 0 ? this.recordOf(id) : undefined;
        const minted = mints.get(id);
        if (minted !== undefined) {
          return { coin: minted, confirmedBlockIndex: nextHeight, spentBlockIndex: 0, coinbase: false, timestamp: nextTimestamp, spent: false };
        }
        return extraUnspent.get(id);
      },
    };
  }

  private requeue(bundle: SpendBundle): void {
    try {
      const name = spendBundleName(bundle);
      if (!this.mempool.some((item) => item.name === name)) this.admit(name, bundle, validateSpendBundle(bundle, this.spendContext()));
    } catch {
      // A transaction the new chain makes invalid (or that no longer gets in) is dropped, as a node's mempool would.
    }
  }

  /**
   * Puts a validated bundle in the mempool as Chia's would: replacing the waiting bundles that spend its coins when
   * the replacement rules allow, evicting the lowest payers when full; throws DevnetChainError when it is refused.
   */
  private admit(name: Hex, bundle: SpendBundle, validated: ValidatedBundle): void {
    const entry: MempoolItem = { name, bundle, validated, cost: bundleCost(bundle, validated), fee: validated.fee, seq: this.mempoolSeq++, spends: validated.removals.map((removal) => removal.id) };
    const spends = new Set(entry.spends);
    const conflicting = this.mempool.filter((item) => item.spends.some((coin) => spends.has(coin)));
    if (conflicting.length > 0) {
      const refusal = replacementRefusal(conflicting, entry);
      if (refusal !== null) throw new DevnetChainError('MEMPOOL_CONFLICT', `a bundle in the mempool already spends its coins, and ${refusal}`);
    }
    const others = this.mempool.filter((item) => !conflicting.includes(item));
    const room = makeRoom(others, entry, this.mempoolMaxTotalCost);
    if ('refused' in room) throw new DevnetChainError('INVALID_FEE_LOW_FEE', room.refused);
    const evicted = new Set(room.evict);
    this.mempool = [...others.filter((item) => !evicted.has(item.name)), entry];
  }

  private mempoolCost(): bigint {
    return this.mempool.reduce((sum, item) => sum + item.cost, 0n);
  }

  /** The cost a fee estimate is asked for, as Chia reads it: exactly one of a cost, a spend bundle, a spend kind. */
  private requestedCost(request: FeeEstimateRequest): bigint {
    const given = ['cost', 'spendBundle', 'spendType'].filter((key) => key in request);
    if (given.length !== 1) throw new DevnetChainError('REQUEST_MUST_CONTAIN_EXACTLY_ONE', 'Request must contain exactly one of [spend_bundle, cost, spend_type]');
    if ('cost' in request) {
      if (request.cost < 0n) throw new DevnetChainError('INVALID_COST', `Invalid cost value: ${request.cost}`);
      return request.cost;
    }
    if ('spendBundle' in request) {
      const bundle = normalizeBundle(request.spendBundle);
      return bundleCost(bundle, validateSpendBundle(bundle, { ...this.spendContext(), verifySignatures: undefined }));
    }
    const cost = SPEND_TYPE_COSTS[request.spendType];
    if (cost === undefined) throw new DevnetChainError('INVALID_COST', `unknown spend_type ${String(request.spendType)}`);
    return cost * BigInt(request.spendCount ?? 1);
  }

  /** Seconds between blocks the estimate counts on: the network's own pace, or Chia's target when only calls farm. */
  private expectedBlockSeconds(): number {
    const ms = this.networkBlockEvery > 0 ? this.networkBlockEvery * signagePointIntervalMs(this.network) : this.network.subSlotTimeMs / BLOCKS_PER_SUB_SLOT_TARGET;
    return ms / 1000;
  }

  private appendBlock(input: {
    seq: number;
    timeMs: number;
    farmerPuzzleHash: Hex;
    poolPuzzleHash: Hex;
    requiredIters?: bigint;
    proofHash?: Hex;
  }): FarmedBlock {
    const height = this.blockCount();
    if (height > UINT32_MAX) throw new RangeError('height overflow');
    const prev = height === 0 ? undefined : this.peakEntry().record;
    const timestamp = Math.max(prev?.timestamp ?? 0, Math.floor(input.timeMs / 1000));
    const entry: BlockEntry = { record: undefined as unknown as BlockRecord, seq: input.seq, additions: [], removals: [], bundles: [], mints: [], cost: 0n };

    for (const mint of this.pendingMints) {
      this.addCoin(mint.coin, height, false, timestamp, entry);
      entry.mints.push(mint);
    }
    this.pendingMints = [];
    let fees = 0n;
    const included: Hex[] = [];
    // The best payers that fit in the block; the rest wait for the next one. A taken bundle the chain no longer
    // accepts (its coin spent meanwhile) is dropped.
    const taken = selectForBlock(this.mempool, this.blockMaxCost);
    const takenNames = new Set(taken.map((item) => item.name));
    this.mempool = this.mempool.filter((item) => !takenNames.has(item.name));
    for (const item of taken) {
      let validated: ValidatedBundle;
      try {
        validated = validateSpendBundle(item.bundle, { ...this.spendContext(), nextHeight: height, nextTimestamp: timestamp });
      } catch {
        continue;
      }
      entry.cost += item.cost;
      for (const addition of validated.additions) this.addCoin(addition.coin, height, false, timestamp, entry);
      for (const spend of item.bundle.coinSpends) {
        const id = coinId(spend.coin);
        const stored = this.coins.get(id);
        if (stored === undefined) continue;
        stored.spentBlockIndex = height;
        this.spends.set(id, spend);
        entry.removals.push(id);
      }
      fees += validated.fee;
      entry.bundles.push(item.bundle);
      included.push(item.name);
    }

    const sp = this.timelineAt(input.seq);
    if (sp === undefined) throw new Error(`signage point ${input.seq} is no longer remembered`);
    const spIntervalIters = signagePointIntervalIters(this.network);
    const requiredIters = input.requiredIters ?? BigInt(1 + (this.blockNonce % 97)) * (spIntervalIters / 100n);
    const nonce = this.blockNonce++;
    const prevHash = prev?.headerHash ?? this.network.genesisChallenge;
    const headerHash = seededHex(this.seed, 'block', this.branch, height, prevHash, sp.hash, input.farmerPuzzleHash, input.poolPuzzleHash, requiredIters, input.proofHash ?? '', nonce);
    entry.record = this.blockRecord({
      headerHash,
      prevHash,
      height,
      seq: input.seq,
      timestamp,
      farmerPuzzleHash: input.farmerPuzzleHash,
      poolPuzzleHash: input.poolPuzzleHash,
      requiredIters,
      fees,
    });
    // The record's reward claims are the block's coinbase coins, pool reward first.
    for (const reward of entry.record.rewardClaimsIncorporated ?? []) this.addCoin(reward, height, true, timestamp, entry);
    const [poolRewardCoin, farmerRewardCoin] = entry.record.rewardClaimsIncorporated ?? [];
    this.full.push(entry);
    this.knownBlocks.set(headerHash, entry);
    return { block: entry.record, poolRewardCoin, farmerRewardCoin, includedTransactions: included };
  }

  private undoBlock(entry: BlockEntry): void {
    for (const id of entry.removals) {
      const stored = this.coins.get(id);
      if (stored !== undefined) stored.spentBlockIndex = 0;
      this.spends.delete(id);
    }
    for (const id of entry.additions) {
      const stored = this.coins.get(id);
      if (stored === undefined) continue;
      this.coins.delete(id);
      this.spends.delete(id);
      this.coinsByPuzzleHash.get(stored.coin.puzzleHash)?.delete(id);
      this.coinsByParent.get(stored.coin.parentCoinInfo)?.delete(id);
    }
  }

  private addCoin(coin: Coin, height: number, coinbase: boolean, timestamp: number, entry: BlockEntry): void {
    const id = coinId(coin);
    if (this.coins.has(id)) return;
    this.coins.set(id, { coin, confirmedBlockIndex: height, spentBlockIndex: 0, coinbase, timestamp });
    addToIndex(this.coinsByPuzzleHash, coin.puzzleHash, id);
    addToIndex(this.coinsByParent, coin.parentCoinInfo, id);
    entry.additions.push(id);
  }

  private recordOf(id: Hex): CoinRecord {
    const stored = this.coins.get(id);
    if (stored === undefined) throw new Error(`unknown coin ${id}`);
    return {
      coin: stored.coin,
      confirmedBlockIndex: stored.confirmedBlockIndex,
      spentBlockIndex: stored.spentBlockIndex,
      coinbase: stored.coinbase,
      timestamp: stored.timestamp,
      spent: stored.spentBlockIndex > 0,
    };
  }

  /** Chia's filter: unspent unless asked, start_height <= confirmed height < end_height. */
  private selectRecords(ids: Hex[], query: CoinRecordQuery): CoinRecord[] {
    const start = query.startHeight ?? 0;
    const end = query.endHeight ?? UINT32_MAX;
    const unique = [...new Set(ids)];
    return unique
      .map((id) => this.recordOf(id))
      .filter((record) => (query.includeSpentCoins ?? false) || !record.spent)
      .filter((record) => record.confirmedBlockIndex >= start && record.confirmedBlockIndex < end)
      .sort((a, b) => a.confirmedBlockIndex - b.confirmedBlockIndex);
  }

  private estimateSpace(): bigint {
    const window = Math.min(this.blockCount() - 1, 100);
    if (window < 1) return 0n;
    const newest = this.peakEntry().record;
    const oldest = this.blockRecordOf(this.storedAt(this.blockCount() - 1 - window)!);
    const deltaWeight = newest.weight - oldest.weight;
    const deltaIters = newest.totalIters - oldest.totalIters;
    if (deltaIters <= 0n) return 0n;
    // Chia's estimate (get_network_space): 0.78 * DIFFICULTY_CONSTANT_FACTOR * 2^filter_bits * weight/iters, the
    // space whose proofs would win blocks at this rate (0.78 turns expected entries into bytes).
    const numerator = 78n * this.network.difficultyConstantFactor * (1n << BigInt(this.network.plotFilterBits)) * deltaWeight;
    return numerator / (100n * deltaIters);
  }

  private averageBlockTime(): number | null {
    const window = Math.min(this.blockCount() - 1, 100);
    if (window < 1) return null;
    const newest = this.peakEntry().record.timestamp ?? 0;
    const older = this.storedAt(this.blockCount() - 1 - window)!;
    const oldest = older.compact ? older.timestamp : (older.record.timestamp ?? 0);
    return (newest - oldest) / window;
  }
}

function headerHashOf(stored: StoredBlock): Hex {
  return stored.compact ? stored.headerHash : stored.record.headerHash;
}

function removeFromIndex(index: Map<Hex, Set<Hex>>, key: Hex, id: Hex): void {
  const set = index.get(key);
  if (set === undefined) return;
  set.delete(id);
  if (set.size === 0) index.delete(key);
}

function addToIndex(index: Map<Hex, Set<Hex>>, key: Hex, id: Hex): void {
  let set = index.get(key);
  if (set === undefined) {
    set = new Set();
    index.set(key, set);
  }
  set.add(id);
}

function normalizeBundle(bundle: SpendBundle): SpendBundle {
  const hex = (value: string): string => value.toLowerCase().replace(/^0x/, '');
  return {
    coinSpends: bundle.coinSpends.map((spend) => ({
      coin: normalizeCoin(spend.coin),
      puzzleReveal: hex(spend.puzzleReveal),
      solution: hex(spend.solution),
    })),
    aggregatedSignature: hex(bundle.aggregatedSignature),
  };
}
