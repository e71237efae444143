import { type Command, type CommandBus } from '@nestjs/cqrs';
import { coinId, poolRewardHeight, spendBundleName, type CoinRecord, type FullNodeRpc, type JsonValue, type SpendBundle, type WalletRpc, G2_INFINITY_HEX } from '@pool/chia';
import { AbsorbRewardCommand, DetectRewardCommand, RevertRewardCommand } from '@pool/commands';
import { eventTypesOf, type ObservedRewardCoin, type PoolEvent, poolEvents, type RewardBook, type RewardEvent, type RewardLauncher, type RewardStep, rewardsAboveFork, rewardsToRecheck, rewardWorkflow } from '@pool/domain';
import { LedgerFollower, type EventStore } from '@pool/event-sourcing';
import { type AbsorbContext, type ClaimableReward, type FeeTie, type RewardAbsorber } from './reward-absorber';

export interface RewardCollectorOptions {
  store: EventStore;
  /** Where the rewards' facts are recorded (DetectReward, AbsorbReward, RevertReward). */
  commandBus: CommandBus;
  chain: Pick<FullNodeRpc, 'getBlockchainState' | 'getNetworkInfo' | 'getCoinRecordsByPuzzleHashes' | 'getCoinRecordsByNames' | 'pushTx'>;
  /** One per plot NFT generation (v1 absorbs, v2 forwards); the first that handles a launcher is used. */
  absorbers: RewardAbsorber[];
  /** The pool's wallet puzzle hash: absorbs pay it. */
  targetPuzzleHash: string;
  /** Blocks a reward coin must be buried before it is absorbed (reference: 32). */
  confirmationThreshold: number;
  /**
   * Blockchain fee per absorbed reward, in mojos, paid by a wallet spend tied to the absorb by the conditions its
   * absorber names (v1: the reward's announcement; v2: the reward coin's concurrent spend). 0 (the reference's default) needs no wallet.
   */
  feePerReward?: bigint;
  wallet?: Pick<WalletRpc, 'createSignedTransaction'>;
  /** Only coins confirmed at or above this height are looked at (reference `scan_start_height`). */
  scanStartHeight?: number;
  /** Blocks during which an absorbed reward is still checked against reorgs (the chain follower's window). */
  reorgWindow?: number;
  /** Unix seconds on the chain's clock. */
  now(): number;
  /** Called with what went wrong for one launcher's absorb; the scan goes on with the others. */
  onAbsorbError?(launcherId: string, error: unknown): void;
}

export interface RewardScan {
  peakHeight: number;
  detected: number;
  /** Rewards put into bundles pushed this run (one bundle per launcher). */
  absorbsPushed: number;
  absorbed: number;
  reverted: number;
}

const strip = (hex: string): string => hex.toLowerCase().replace(/^0x/, '');

/**
 * The pool loop that collects rewards (reference `collect_pool_rewards_loop`, made exact and reorg-safe).
 * One `scan` looks at the chain once:
 *  1. coinbase coins at registered farmers' reward puzzle hashes, with a pool coinbase parent
 *     (genesis_challenge[:16] || uint128 height), are recorded as RewardDetected;
 *  2. detected rewards whose coin is gone are reverted (a reorg took their block), spent ones are checked
 *     for our absorb and recorded as RewardAbsorbed with the pool coin it created;
 *  3. every reward buried by the confirmation threshold and still unspent (including one whose absorb a reorg
 *     undid) is absorbed: one bundle per plot NFT chaining its singleton, an optional wallet fee spend, push_tx.
 * The list of farmers and the rewards' states are folded from the store on every run, so a restart (or a
 * second instance taking over the loops) carries on from the ledger; nothing is kept only in memory.
 * What to detect, revert, look up and absorb is the reward workflow's decision (@pool/domain); this shell reads
 * the chain, builds the absorb spends with the absorbers and dispatches the commands the steps name.
 */
export class RewardCollector {
  /** The farmers' registrations and the rewards' states, folded by the workflow. */
  private readonly book: RewardBook;
  private readonly workflow: ReturnType<typeof rewardWorkflow>;
  private readonly reorgWindow: number;
  /** The farmers' registrations and the rewards' events, read incrementally. */
  private readonly ledger: LedgerFollower<PoolEvent>;
  private genesisChallenge?: string;
  /** Name of the last bundle pushed per launcher (for logs; the ledger records the absorb as found on chain). */
  readonly lastPushed = new Map<string, string>();

  constructor(private readonly options: RewardCollectorOptions) {
    this.ledger = new LedgerFollower(options.store, poolEvents('FarmerRegistered', ...eventTypesOf('reward')));
    this.reorgWindow = options.reorgWindow ?? 200;
    this.workflow = rewardWorkflow({
      confirmationThreshold: options.confirmationThreshold,
      reorgWindow: this.reorgWindow,
      absorbFee: options.wallet ? (options.feePerReward ?? 0n) : 0n,
    });
    this.book = this.workflow.initialState();
  }

  /** One look at the chain: detect, settle, absorb. */
  async scan(): Promise<RewardScan> {
    await this.catchUp();
    const blockchain = await this.options.chain.getBlockchainState();
    const peakHeight = blockchain.peak?.height ?? 0;
    const result: RewardScan = { peakHeight, detected: 0, absorbsPushed: 0, absorbed: 0, reverted: 0 };
    if (!blockchain.peak || !blockchain.sync.synced) return result;
    const context: AbsorbContext = { peakHeight, genesisChallenge: await this.genesis(), targetPuzzleHash: strip(this.options.targetPuzzleHash) };

    result.detected = await this.detect(context);
    await this.catchUp();
    const known = await this.lookUpKnown(context);
    const settled = await this.settle(known);
    result.absorbed = settled.absorbed;
    result.reverted = settled.reverted;
    await this.catchUp();
    result.absorbsPushed = await this.absorb(known);
    return result;
  }

  /**
   * After the chain follower saw a reorg back to `forkHeight`: every reward confirmed above it whose coin the
   * new chain does not have is reverted (absorbed or not). Returns how many.
   */
  async revertAfterReorg(forkHeight: number): Promise<number> {
    await this.catchUp();
    const candidates = rewardsAboveFork(this.book, forkHeight);
    if (candidates.length === 0) return 0;
    const coinsOnChain = new Set(
      (await this.options.chain.getCoinRecordsByNames(candidates.map((r) => r.coinId), { includeSpentCoins: true })).map((r) => coinIdOf(r)),
    );
    return (await this.execute(this.workflow.decide({ type: 'ReorgObserved', forkHeight, coinsOnChain, now: this.now() }, this.book))).reverted;
  }

  /** Unspent coins at the registered reward puzzle hashes, from the scan start height: the workflow picks the new rewards. */
  private async detect(context: AbsorbContext): Promise<number> {
    const puzzleHashes = [...this.book.byPuzzleHash.keys()];
    if (puzzleHashes.length === 0) return 0;
    const records = await this.options.chain.getCoinRecordsByPuzzleHashes(puzzleHashes, {
      includeSpentCoins: false,
      startHeight: this.options.scanStartHeight ?? 0,
    });
    const coins = records.map((record) => observe(record, context.genesisChallenge));
    return (await this.execute(this.workflow.decide({ type: 'RewardCoinsObserved', coins, now: this.now() }, this.book))).detected;
  }

  /** The rewards the workflow rechecks, looked up by coin id (spent ones included), in the order it lists them. */
  private async lookUpKnown(context: AbsorbContext): Promise<ChainRead> {
    const open = rewardsToRecheck(this.book, context.peakHeight, this.reorgWindow);
    const read: ChainRead = { context, records: new Map(), coins: new Map() };
    if (open.length === 0) return read;
    const found = new Map(
      (await this.options.chain.getCoinRecordsByNames(open.map((r) => r.coinId), { includeSpentCoins: true })).map((r) => [coinIdOf(r), r]),
    );
    for (const { coinId } of open) {
      const record = found.get(coinId);
      if (!record) continue;
      read.records.set(coinId, record);
      read.coins.set(coinId, observe(record, context.genesisChallenge));
    }
    return read;
  }

  /** Reverts vanished rewards, records absorbs found on chain. */
  private async settle(read: ChainRead): Promise<Tally> {
    const input = { type: 'KnownRewardsObserved' as const, coins: read.coins, peak: read.context.peakHeight, now: this.now() };
    return this.execute(this.workflow.decide(input, this.book), read);
  }

  /** Pushes one absorb bundle per launcher for the rewards due; returns how many rewards the bundles absorb. */
  private async absorb(read: ChainRead): Promise<number> {
    const steps = this.workflow.decide({ type: 'AbsorbsDue', coins: read.coins, peak: read.context.peakHeight }, this.book);
    return (await this.execute(steps, read)).absorbsPushed;
  }

  /** Executes the workflow's steps in order; the chain steps need what the scan read (`read`). */
  private async execute(steps: RewardStep[], read?: ChainRead): Promise<Tally> {
    const tally: Tally = { detected: 0, absorbsPushed: 0, absorbed: 0, reverted: 0 };
    for (const step of steps) {
      switch (step.type) {
        case 'DetectReward': {
          const { coinId: id, launcherId, puzzleHash, amount, farmedHeight, confirmedHeight, now } = step;
          tally.detected += await this.record(new DetectRewardCommand({ coinId: id, launcherId, puzzleHash, amount, farmedHeight, confirmedHeight, now }));
          break;
        }
        case 'RevertReward':
          tally.reverted += await this.record(new RevertRewardCommand(step.coinId, step.forkHeight, step.now));
          break;
        case 'AbsorbReward': {
          const { absorbTransactionId, absorbedHeight, poolCoinId, fee, now } = step;
          tally.absorbed += await this.record(new AbsorbRewardCommand(step.coinId, { absorbTransactionId, absorbedHeight, poolCoinId, fee, now }));
          break;
        }
        case 'FindAbsorb':
          tally.absorbed += (await this.execute(await this.findAbsorb(step, chainRead(read, step.type)), read)).absorbed;
          break;
        case 'ReportForeignSpend':
          this.options.onAbsorbError?.(step.launcherId, new Error(`reward ${step.coinId} was spent at ${step.spentHeight} without paying the pool`));
          break;
        case 'PushAbsorb':
          tally.absorbsPushed += await this.pushAbsorb(step, chainRead(read, step.type));
          break;
      }
    }
    return tally;
  }

  /** Asks the launcher's absorber whether the spend was our absorb, and lets the workflow say what to record. */
  private async findAbsorb(step: Extract<RewardStep, { type: 'FindAbsorb' }>, read: ChainRead): Promise<RewardStep[]> {
    const launcher = this.book.launchers.get(step.launcherId);
    const absorber = launcher && this.absorberFor(launcher);
    const record = read.records.get(step.coinId);
    const reward = this.book.rewards.get(step.coinId);
    if (!launcher || !absorber || !record || !reward) return [];
    const claimable: ClaimableReward = { coin: record.coin, coinId: step.coinId, farmedHeight: reward.farmedHeight };
    const found = (await absorber.findAbsorb(launcher, claimable, step.spentHeight, read.context)) ?? null;
    return this.workflow.decide({ type: 'AbsorbLookedUp', coinId: step.coinId, spentHeight: step.spentHeight, found, now: this.now() }, this.book);
  }

  private async pushAbsorb(step: Extract<RewardStep, { type: 'PushAbsorb' }>, read: ChainRead): Promise<number> {
    try {
      const launcher = this.book.launchers.get(step.launcherId);
      const absorber = launcher && this.absorberFor(launcher);
      if (!launcher || !absorber) return 0;
      const claimable = step.rewards.map(({ coinId: id, farmedHeight }): ClaimableReward => ({ coin: read.records.get(id)!.coin, coinId: id, farmedHeight }));
      const spends = await absorber.buildAbsorb(launcher, claimable, read.context);
      if (!spends) return 0;
      const bundle = await this.withFee({ coinSpends: spends.coinSpends, aggregatedSignature: G2_INFINITY_HEX }, spends.rewardCoinIds.length, spends.feeTies);
      await this.options.chain.pushTx(bundle);
      this.lastPushed.set(step.launcherId, spendBundleName(bundle));
      return spends.rewardCoinIds.length;
    } catch (error) {
      // Typically the previous absorb of this plot NFT is still in the mempool; the next run builds from its tip.
      this.options.onAbsorbError?.(step.launcherId, error);
      return 0;
    }
  }

  private async withFee(bundle: SpendBundle, rewards: number, ties: FeeTie[]): Promise<SpendBundle> {
    const fee = this.options.feePerReward ?? 0n;
    if (fee <= 0n || !this.options.wallet || rewards === 0) return bundle;
    // The ledger records the fee with every absorb: an absorber that cannot tie one must not be sent without it.
    if (ties.length === 0) throw new Error('the absorb names no condition to tie its fee spend to');
    // Chia's wallet needs an output to build a transaction: one mojo back to the pool's target, as the reference does.
    const signed = await this.options.wallet.createSignedTransaction({
      additions: [{ puzzleHash: strip(this.options.targetPuzzleHash), amount: 1n }],
      fee: fee * BigInt(rewards),
      extraConditions: ties.map(feeTieCondition),
      push: false,
    });
    const feeBundle = signed.signedTxs[0]?.spendBundle;
    if (!feeBundle) throw new Error('the wallet returned no spend bundle for the absorb fee');
    // The absorb spends need no signature (identity), so the aggregate is the wallet's own signature.
    return { coinSpends: [...bundle.coinSpends, ...feeBundle.coinSpends], aggregatedSignature: feeBundle.aggregatedSignature };
  }

  private absorberFor(launcher: RewardLauncher): RewardAbsorber | undefined {
    return this.options.absorbers.find((a) => a.handles(launcher));
  }

  /** Records a reward fact and folds what it recorded at once (the next scan step relies on it). */
  private async record(command: Command<RewardEvent[]>): Promise<number> {
    const events = await this.options.commandBus.execute(command);
    for (const event of events) this.workflow.evolve(this.book, event);
    return events.length;
  }

  private now(): number {
    return Math.floor(this.options.now());
  }

  private async genesis(): Promise<string> {
    if (this.genesisChallenge === undefined) {
      const info = await this.options.chain.getNetworkInfo();
      if (!info.genesisChallenge) throw new Error('the node did not report its genesis challenge; pool rewards cannot be recognised without it');
      this.genesisChallenge = strip(info.genesisChallenge);
    }
    return this.genesisChallenge;
  }

  /** Folds new FarmerRegistered and reward events from the store into the book. */
  private async catchUp(): Promise<void> {
    await this.ledger.catchUp((event) => {
      if (event.type === 'FarmerRegistered' || event.type === 'RewardDetected' || event.type === 'RewardAbsorbed' || event.type === 'RewardReverted') {
        this.workflow.evolve(this.book, event);
      }
    });
  }
}

/** What one scan read of the chain: its context, and the rechecked rewards' records (and as plain coins). */
interface ChainRead {
  context: AbsorbContext;
  records: Map<string, CoinRecord>;
  coins: Map<string, ObservedRewardCoin>;
}

type Tally = Omit<RewardScan, 'peakHeight'>;

function chainRead(read: ChainRead | undefined, step: string): ChainRead {
  if (!read) throw new Error(`the reward step ${step} needs what the scan read of the chain`);
  return read;
}

function coinIdOf(record: CoinRecord): string {
  return coinId(record.coin);
}

/** A fee tie as chia's wallet RPC takes an extra condition (`conditions_from_json_dicts`: opcode and named args). */
function feeTieCondition(tie: FeeTie): JsonValue {
  switch (tie.kind) {
    case 'coin_announcement':
      return { opcode: 61, args: { msg: tie.announcementId } };
    case 'concurrent_spend':
      return { opcode: 64, args: { coin_id: tie.coinId } };
  }
}

/** A coin record as the workflow sees it: plain data, the farmed height derived from a pool coinbase parent. */
function observe(record: CoinRecord, genesisChallenge: string): ObservedRewardCoin {
  return {
    coinId: coinIdOf(record),
    amount: record.coin.amount,
    puzzleHash: strip(record.coin.puzzleHash),
    confirmedHeight: record.confirmedBlockIndex,
    spentHeight: record.spent ? record.spentBlockIndex : null,
    coinbase: record.coinbase,
    farmedHeight: poolRewardHeight(record.coin.parentCoinInfo, genesisChallenge),
  };
}
