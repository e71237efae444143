import {
  hexToBytes,
  type AdditionsAndRemovals,
  type BlockchainState,
  type BlockRecord,
  type Coin,
  type CoinRecord,
  type CoinRecordQuery,
  type CoinSpend,
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
} from '@pool/chia';
import { DEVNET_NETWORK, type NetworkConstants, signagePointIntervalIters, signagePointIntervalMs } from '../network';
import { type ChainClock, ManualClock } from './chain-clock';
import { DevnetChainError } from './chain-errors';
import { seededBytes, seededHex } from './seeded-hash';
import { type TimelineEntry, buildTimelineEntry } from './signage-point-timeline';
import {
  type RequiredSignature,
  type SpendContext,
  type ValidatedBundle,
  spendBundleName,
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
  /** How many signage points/EOS the node remembers for get_recent_signage_point_or_eos. Default 20,000. */
  signagePointCacheSize?: number;
  /** A block may use a signage point at most this many signage points old. Default one sub-slot. */
  maxSignagePointAge?: number;
  /**
   * Verifies AGG_SIG_ME/AGG_SIG_UNSAFE signatures (e.g. with @pool/chia's BLS `aggregateVerify`). Without it
   * signatures are not checked: any 96-byte signature is accepted.
   */
  verifySignatures?: SpendContext['verifySignatures'];
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

interface MempoolItem {
  name: Hex;
  bundle: SpendBundle;
  validated: ValidatedBundle;
}

interface BlockEntry {
  record: BlockRecord;
  seq: number;
  additions: Hex[];
  removals: Hex[];
  bundles: SpendBundle[];
  mints: Mint[];
}

const UINT32_MAX = 0xffffffff;
const BLOCK_MAX_COST = 11_000_000_000n;

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
 * with `reverted: true`) and farms a heavier branch. Orphaned blocks stay known to `getBlockRecord`.
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

  private readonly timeline: TimelineEntry[] = [];
  private readonly spCache = new Map<Hex, TimelineEntry>();
  private readonly eosCache = new Map<Hex, TimelineEntry>();
  private branch = 0;

  private readonly blocks: BlockEntry[] = [];
  private readonly knownBlocks = new Map<Hex, BlockEntry>();
  private blockNonce = 0;

  private readonly coins = new Map<Hex, StoredCoin>();
  private readonly coinsByPuzzleHash = new Map<Hex, Set<Hex>>();
  private readonly coinsByParent = new Map<Hex, Set<Hex>>();
  private readonly spends = new Map<Hex, CoinSpend>();

  private mempool: MempoolItem[] = [];
  private pendingMints: Mint[] = [];
  private mintCounter = 0;

  constructor(options: DevnetChainOptions = {}) {
    this.network = options.network ?? DEVNET_NETWORK;
    this.clock = options.clock ?? new ManualClock();
    this.seed = options.seed ?? 'devnet';
    this.networkBlockEvery = options.networkBlockEverySignagePoints ?? 2;
    this.cacheSize = options.signagePointCacheSize ?? 20_000;
    this.maxSignagePointAge = options.maxSignagePointAge ?? this.network.numSpsSubSlot;
    this.verifySignatures = options.verifySignatures;
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
    for (let seq = this.timeline.length; this.seqTime(seq) <= now; seq++) {
      this.emit(seq, this.seqTime(seq));
      if (this.networkBlockEvery > 0 && seq % this.networkBlockEvery === 0) {
        this.appendBlock({ seq, timeMs: this.seqTime(seq), farmerPuzzleHash: this.networkFarmerPuzzleHash, poolPuzzleHash: this.networkFarmerPuzzleHash });
      }
    }
  }

  // ---------------------------------------------------------------- signage points

  /** The newest signage point or EOS of the current chain. */
  latestSignagePoint(): TimelineEntry {
    this.tick();
    return this.timeline[this.timeline.length - 1];
  }

  /** The current chain's signage points from `fromSeq` on (tests and the farmer simulator). */
  signagePoints(fromSeq = 0): readonly TimelineEntry[] {
    this.tick();
    return this.timeline.slice(fromSeq);
  }

  async getRecentSignagePointOrEos(query: SignagePointOrEosQuery): Promise<RecentSignagePointOrEos | null> {
    this.tick();
    const entry = 'spHash' in query ? this.spCache.get(query.spHash) : this.eosCache.get(query.challengeHash);
    if (entry === undefined) return null;
    const reverted = this.timeline[entry.seq] !== entry;
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
    if (this.timeline[entry.seq] !== entry) throw new DevnetChainError('SP_REVERTED', `signage point ${hash} was reverted`);
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
    return this.blocks[this.blocks.length - 1].record;
  }

  peakHeight(): number {
    return this.peak().height;
  }

  async getBlockRecordByHeight(height: number): Promise<BlockRecord | null> {
    this.tick();
    return this.blocks[height]?.record ?? null;
  }

  async getBlockRecord(headerHash: Hex): Promise<BlockRecord | null> {
    this.tick();
    return this.knownBlocks.get(headerHash)?.record ?? null;
  }

  /** True when the block is on the current chain (not orphaned by a reorg). */
  isInMainChain(headerHash: Hex): boolean {
    const entry = this.knownBlocks.get(headerHash);
    return entry !== undefined && this.blocks[entry.record.height] === entry;
  }

  async getAdditionsAndRemovals(headerHash: Hex): Promise<AdditionsAndRemovals> {
    this.tick();
    const entry = this.knownBlocks.get(headerHash);
    if (entry === undefined) throw new DevnetChainError('BLOCK_NOT_FOUND', `block ${headerHash} not found`);
    if (this.blocks[entry.record.height] !== entry) {
      throw new DevnetChainError('BLOCK_NOT_IN_MAIN_CHAIN', `block ${headerHash} is not in the main chain`);
    }
    return {
      additions: entry.additions.map((id) => this.recordOf(id)),
      removals: entry.removals.map((id) => this.recordOf(id)),
    };
  }

  async getBlockchainState(): Promise<BlockchainState> {
    this.tick();
    const peak = this.blocks[this.blocks.length - 1].record;
    return {
      peak,
      genesisChallengeInitialized: true,
      sync: { syncMode: false, synced: true, syncTipHeight: peak.height, syncProgressHeight: peak.height },
      difficulty: this.network.difficulty,
      subSlotIters: this.network.subSlotIters,
      space: this.estimateSpace(),
      averageBlockTime: this.averageBlockTime(),
      mempoolSize: this.mempool.length,
      mempoolCost: 0n,
      mempoolFees: this.mempool.reduce((sum, item) => sum + item.validated.fee, 0n),
      mempoolMaxTotalCost: BLOCK_MAX_COST * 10n,
      blockMaxCost: BLOCK_MAX_COST,
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
   * the next block. The same bundle again answers SUCCESS; a bundle spending a coin another queued bundle spends
   * is refused (MEMPOOL_CONFLICT: no fee-based replacement here).
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
    const inMempool = new Set(this.mempool.flatMap((item) => item.validated.removals.map((removal) => removal.id)));
    const validated = validateSpendBundle(bundle, this.spendContext());
    const conflict = validated.removals.find((removal) => inMempool.has(removal.id));
    if (conflict !== undefined) {
      throw new DevnetChainError('MEMPOOL_CONFLICT', `coin ${conflict.id} is already spent by a bundle in the mempool`);
    }
    this.mempool.push({ name, bundle, validated });
    return { status: 'SUCCESS' };
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
    const peakHeight = this.blocks.length - 1;
    if (!Number.isInteger(depth) || depth < 1 || depth > peakHeight) {
      throw new RangeError(`reorg depth must be between 1 and the peak height ${peakHeight}`);
    }
    const newBlockCount = options.newBlocks ?? depth + 1;
    if (!Number.isInteger(newBlockCount) || newBlockCount < 1) throw new RangeError('a reorg needs at least one new block');
    const orphaned = this.blocks.splice(peakHeight - depth + 1);
    for (const entry of [...orphaned].reverse()) this.undoBlock(entry);
    const returned = options.dropOrphanedTransactions ? [] : orphaned.flatMap((entry) => entry.bundles);
    this.pendingMints = [...orphaned.flatMap((entry) => entry.mints), ...this.pendingMints];
    const waiting = this.mempool.map((item) => item.bundle);
    this.mempool = [];
    for (const bundle of [...returned, ...waiting]) this.requeue(bundle);

    const currentSeq = this.currentSeq();
    const forkBlockSeq = this.blocks[this.blocks.length - 1].seq;
    const forkSeq = Math.min(currentSeq, Math.max(orphaned[0].seq, forkBlockSeq + 1));
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
    return this.timeline.length - 1;
  }

  private seqTime(seq: number): number {
    return this.startMs + seq * signagePointIntervalMs(this.network);
  }

  /** Builds (or rebuilds, on a new branch) the timeline entry at `seq` and caches it. */
  private emit(seq: number, receivedMs: number): void {
    const sps = this.network.numSpsSubSlot;
    const subSlot = Math.floor(seq / sps);
    const previousChallenge = subSlot === 0 ? this.network.genesisChallenge : this.timeline[(subSlot - 1) * sps].hash;
    const currentChallenge = seq % sps === 0 ? null : this.timeline[subSlot * sps].hash;
    const entry = buildTimelineEntry(this.network, this.seed, seq, this.branch, previousChallenge, currentChallenge, this.startMs, receivedMs);
    this.timeline[seq] = entry;
    const cache = entry.eos !== null ? this.eosCache : this.spCache;
    cache.set(entry.hash, entry);
    while (this.spCache.size + this.eosCache.size > this.cacheSize) {
      const oldestSp = this.spCache.values().next().value;
      const oldestEos = this.eosCache.values().next().value;
      const evict = oldestEos === undefined || (oldestSp !== undefined && oldestSp.timeReceived <= oldestEos.timeReceived) ? this.spCache : this.eosCache;
      const key = evict.keys().next().value;
      if (key === undefined) break;
      evict.delete(key);
    }
  }

  private spendContext(extraUnspent: Map<Hex, CoinRecord> = new Map()): SpendContext {
    const nextHeight = this.blocks.length;
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
      const validated = validateSpendBundle(bundle, this.spendContext());
      const spent = new Set(this.mempool.flatMap((item) => item.validated.removals.map((removal) => removal.id)));
      if (validated.removals.some((removal) => spent.has(removal.id))) return;
      this.mempool.push({ name: spendBundleName(bundle), bundle, validated });
    } catch {
      // A transaction the new chain makes invalid is dropped, as a node's mempool would.
    }
  }

  private appendBlock(input: {
    seq: number;
    timeMs: number;
    farmerPuzzleHash: Hex;
    poolPuzzleHash: Hex;
    requiredIters?: bigint;
    proofHash?: Hex;
  }): FarmedBlock {
    const height = this.blocks.length;
    if (height > UINT32_MAX) throw new RangeError('height overflow');
    const prev = height === 0 ? undefined : this.blocks[height - 1].record;
    const timestamp = Math.max(prev?.timestamp ?? 0, Math.floor(input.timeMs / 1000));
    const entry: BlockEntry = { record: undefined as unknown as BlockRecord, seq: input.seq, additions: [], removals: [], bundles: [], mints: [] };

    for (const mint of this.pendingMints) {
      this.addCoin(mint.coin, height, false, timestamp, entry);
      entry.mints.push(mint);
    }
    this.pendingMints = [];
    let fees = 0n;
    const included: Hex[] = [];
    const queued = this.mempool;
    this.mempool = [];
    for (const item of queued) {
      let validated: ValidatedBundle;
      try {
        validated = validateSpendBundle(item.bundle, { ...this.spendContext(), nextHeight: height, nextTimestamp: timestamp });
      } catch {
        continue;
      }
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

    const poolReward = calculatePoolReward(height);
    const poolRewardCoin = normalizeCoin({
      parentCoinInfo: poolParentId(this.network.genesisChallenge, height),
      puzzleHash: input.poolPuzzleHash,
      amount: poolReward,
    });
    const farmerRewardCoin = normalizeCoin({
      parentCoinInfo: farmerParentId(this.network.genesisChallenge, height),
      puzzleHash: input.farmerPuzzleHash,
      amount: poolReward / 7n + fees,
    });
    this.addCoin(poolRewardCoin, height, true, timestamp, entry);
    this.addCoin(farmerRewardCoin, height, true, timestamp, entry);

    const sp = this.timeline[input.seq];
    const spIntervalIters = signagePointIntervalIters(this.network);
    const requiredIters = input.requiredIters ?? BigInt(1 + (this.blockNonce % 97)) * (spIntervalIters / 100n);
    const nonce = this.blockNonce++;
    const prevHash = prev?.headerHash ?? this.network.genesisChallenge;
    const headerHash = seededHex(this.seed, 'block', this.branch, height, prevHash, sp.hash, input.farmerPuzzleHash, input.poolPuzzleHash, requiredIters, input.proofHash ?? '', nonce);
    entry.record = {
      headerHash,
      prevHash,
      height,
      weight: (prev?.weight ?? 0n) + this.network.difficulty,
      totalIters: BigInt(input.seq) * spIntervalIters + requiredIters,
      signagePointIndex: sp.index,
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
      prevTransactionBlockHeight: prev?.height ?? 0,
      timestamp,
      prevTransactionBlockHash: prevHash,
      fees,
      rewardClaimsIncorporated: [poolRewardCoin, farmerRewardCoin],
      finishedChallengeSlotHashes: null,
      finishedInfusedChallengeSlotHashes: null,
      finishedRewardSlotHashes: null,
      subEpochSummaryIncluded: null,
    };
    this.blocks.push(entry);
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
    const window = Math.min(this.blocks.length - 1, 100);
    if (window < 1) return 0n;
    const newest = this.blocks[this.blocks.length - 1].record;
    const oldest = this.blocks[this.blocks.length - 1 - window].record;
    const deltaWeight = newest.weight - oldest.weight;
    const deltaIters = newest.totalIters - oldest.totalIters;
    if (deltaIters <= 0n) return 0n;
    // Chia's estimate (get_network_space): 0.78 * DIFFICULTY_CONSTANT_FACTOR * 2^filter_bits * weight/iters, the
    // space whose proofs would win blocks at this rate (0.78 turns expected entries into bytes).
    const numerator = 78n * this.network.difficultyConstantFactor * (1n << BigInt(this.network.plotFilterBits)) * deltaWeight;
    return numerator / (100n * deltaIters);
  }

  private averageBlockTime(): number | null {
    const window = Math.min(this.blocks.length - 1, 100);
    if (window < 1) return null;
    const newest = this.blocks[this.blocks.length - 1].record.timestamp ?? 0;
    const oldest = this.blocks[this.blocks.length - 1 - window].record.timestamp ?? 0;
    return (newest - oldest) / window;
  }
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
