import { type Command, type CommandBus } from '@nestjs/cqrs';
import { coinId, poolRewardHeight, spendBundleName, type CoinRecord, type FullNodeRpc, type JsonValue, type SpendBundle, type WalletRpc, G2_INFINITY_HEX } from '@pool/chia';
import { AbsorbRewardCommand, DetectRewardCommand, RevertRewardCommand } from '@pool/commands';
import { eventTypesOf, type PoolEvent, poolEvents, rewardDecider, type RewardEvent, type RewardState } from '@pool/domain';
import { LedgerFollower, type EventStore } from '@pool/event-sourcing';
import { type AbsorbContext, type ClaimableReward, type RewardAbsorber, type RewardLauncher } from './reward-absorber';

export interface RewardCollectorOptions {
  store: EventStore;
  /** Where the rewards' facts are recorded (DetectReward, AbsorbReward, RevertReward). */
  commandBus: CommandBus;
  chain: Pick<FullNodeRpc, 'getBlockchainState' | 'getNetworkInfo' | 'getCoinRecordsByPuzzleHashes' | 'getCoinRecordsByNames' | 'pushTx'>;
  /** v1 always; a v2 absorber (RewardPuzzle forwarding) joins here. The first that handles a launcher is used. */
  absorbers: RewardAbsorber[];
  /** The pool's wallet puzzle hash: absorbs pay it. */
  targetPuzzleHash: string;
  /** Blocks a reward coin must be buried before it is absorbed (reference: 32). */
  confirmationThreshold: number;
  /**
   * Blockchain fee per absorbed reward, in mojos, paid by a wallet spend that asserts the reward's
   * announcement (so it cannot be included without the absorb). 0 (the reference's default) needs no wallet.
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

type KnownReward = Exclude<RewardState, { status: 'none' }>;

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
 */
export class RewardCollector {
  private readonly launchers = new Map<string, RewardLauncher>();
  private readonly byPuzzleHash = new Map<string, RewardLauncher>();
  private readonly rewards = new Map<string, KnownReward>();
  /** The farmers' registrations and the rewards' events, read incrementally. */
  private readonly ledger: LedgerFollower<PoolEvent>;
  private genesisChallenge?: string;
  /** Name of the last bundle pushed per launcher (for logs; the ledger records the absorb as found on chain). */
  readonly lastPushed = new Map<string, string>();

  constructor(private readonly options: RewardCollectorOptions) {
    this.ledger = new LedgerFollower(options.store, poolEvents('FarmerRegistered', ...eventTypesOf('reward')));
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
    const settled = await this.settle(context);
    result.absorbed = settled.absorbed;
    result.reverted = settled.reverted;
    await this.catchUp();
    result.absorbsPushed = await this.absorb(context, settled.unspent);
    return result;
  }

  /**
   * After the chain follower saw a reorg back to `forkHeight`: every reward confirmed above it whose coin the
   * new chain does not have is reverted (absorbed or not). Returns how many.
   */
  async revertAfterReorg(forkHeight: number): Promise<number> {
    await this.catchUp();
    const candidates = [...this.rewards.values()].filter((r) => r.status !== 'reverted' && r.confirmedHeight > forkHeight);
    if (candidates.length === 0) return 0;
    const present = new Set(
      (await this.options.chain.getCoinRecordsByNames(candidates.map((r) => r.coinId), { includeSpentCoins: true })).map((r) => coinIdOf(r)),
    );
    let reverted = 0;
    for (const reward of candidates) {
      if (present.has(reward.coinId)) continue;
      reverted += await this.record(new RevertRewardCommand(reward.coinId, forkHeight, this.now()));
    }
    return reverted;
  }

  private async detect(context: AbsorbContext): Promise<number> {
    const puzzleHashes = [...this.byPuzzleHash.keys()];
    if (puzzleHashes.length === 0) return 0;
    const records = await this.options.chain.getCoinRecordsByPuzzleHashes(puzzleHashes, {
      includeSpentCoins: false,
      startHeight: this.options.scanStartHeight ?? 0,
    });
    let detected = 0;
    for (const record of records) {
      if (!record.coinbase) continue;
      const farmedHeight = poolRewardHeight(record.coin.parentCoinInfo, context.genesisChallenge);
      if (farmedHeight === undefined) continue; // a farmer (1/8) coinbase paid to the p2 puzzle hash is not a pool reward
      const launcher = this.byPuzzleHash.get(strip(record.coin.puzzleHash));
      if (!launcher) continue;
      const id = coinIdOf(record);
      const known = this.rewards.get(id);
      if (known && known.status !== 'reverted') continue;
      detected += await this.record(
        new DetectRewardCommand({
          coinId: id,
          launcherId: launcher.launcherId,
          puzzleHash: strip(record.coin.puzzleHash),
          amount: record.coin.amount,
          farmedHeight,
          confirmedHeight: record.confirmedBlockIndex,
          now: this.now(),
        }),
      );
    }
    return detected;
  }

  /** Reverts vanished rewards, records absorbs found on chain; returns the unspent rewards' records too. */
  private async settle(context: AbsorbContext): Promise<{ absorbed: number; reverted: number; unspent: Map<string, CoinRecord> }> {
    const window = this.options.reorgWindow ?? 200;
    const open = [...this.rewards.values()].filter(
      (r) => r.status === 'detected' || (r.status === 'absorbed' && r.confirmedHeight > context.peakHeight - window),
    );
    const unspent = new Map<string, CoinRecord>();
    let absorbed = 0;
    let reverted = 0;
    if (open.length === 0) return { absorbed, reverted, unspent };
    const records = new Map(
      (await this.options.chain.getCoinRecordsByNames(open.map((r) => r.coinId), { includeSpentCoins: true })).map((r) => [coinIdOf(r), r]),
    );
    for (const reward of open) {
      const record = records.get(reward.coinId);
      if (!record) {
        // Missed the reorg (a restart): the fork was at most just below the reward's block.
        reverted += await this.record(new RevertRewardCommand(reward.coinId, reward.confirmedHeight - 1, this.now()));
        continue;
      }
      if (!record.spent) {
        unspent.set(reward.coinId, record);
        continue;
      }
      if (reward.status !== 'detected') continue;
      const launcher = this.launchers.get(reward.launcherId);
      const absorber = launcher && this.absorberFor(launcher);
      if (!launcher || !absorber) continue;
      const claimable = { coin: record.coin, coinId: reward.coinId, farmedHeight: reward.farmedHeight };
      const found = await absorber.findAbsorb(launcher, claimable, record.spentBlockIndex, context);
      if (!found) {
        this.options.onAbsorbError?.(reward.launcherId, new Error(`reward ${reward.coinId} was spent at ${record.spentBlockIndex} without paying the pool`));
        continue;
      }
      absorbed += await this.record(
        new AbsorbRewardCommand(reward.coinId, {
          absorbTransactionId: found.absorbTransactionId,
          absorbedHeight: record.spentBlockIndex,
          poolCoinId: found.poolCoinId,
          fee: this.options.wallet ? (this.options.feePerReward ?? 0n) : 0n,
          now: this.now(),
        }),
      );
    }
    return { absorbed, reverted, unspent };
  }

  private async absorb(context: AbsorbContext, unspent: Map<string, CoinRecord>): Promise<number> {
    const buriedBy = context.peakHeight - this.options.confirmationThreshold;
    const byLauncher = new Map<string, ClaimableReward[]>();
    for (const [id, record] of unspent) {
      const reward = this.rewards.get(id);
      if (!reward || reward.status === 'reverted' || record.confirmedBlockIndex > buriedBy) continue;
      const list = byLauncher.get(reward.launcherId) ?? [];
      list.push({ coin: record.coin, coinId: id, farmedHeight: reward.farmedHeight });
      byLauncher.set(reward.launcherId, list);
    }
    let pushed = 0;
    for (const [launcherId, claimable] of byLauncher) {
      try {
        const launcher = this.launchers.get(launcherId);
        const absorber = launcher && this.absorberFor(launcher);
        if (!launcher || !absorber) continue;
        const spends = await absorber.buildAbsorb(launcher, claimable, context);
        if (!spends) continue;
        const bundle = await this.withFee({ coinSpends: spends.coinSpends, aggregatedSignature: G2_INFINITY_HEX }, spends.feeAnnouncementIds);
        await this.options.chain.pushTx(bundle);
        this.lastPushed.set(launcherId, spendBundleName(bundle));
        pushed += spends.rewardCoinIds.length;
      } catch (error) {
        // Typically the previous absorb of this plot NFT is still in the mempool; the next run builds from its tip.
        this.options.onAbsorbError?.(launcherId, error);
      }
    }
    return pushed;
  }

  private async withFee(bundle: SpendBundle, announcementIds: string[]): Promise<SpendBundle> {
    const fee = this.options.feePerReward ?? 0n;
    if (fee <= 0n || !this.options.wallet || announcementIds.length === 0) return bundle;
    // Chia's wallet needs an output to build a transaction: one mojo back to the pool's target, as the reference does.
    const signed = await this.options.wallet.createSignedTransaction({
      additions: [{ puzzleHash: strip(this.options.targetPuzzleHash), amount: 1n }],
      fee: fee * BigInt(announcementIds.length),
      extraConditions: announcementIds.map((id): JsonValue => ({ opcode: 61, args: { msg: id } })),
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

  /** Records a reward fact and applies what it recorded at once (the next scan step relies on it). */
  private async record(command: Command<RewardEvent[]>): Promise<number> {
    const events = await this.options.commandBus.execute(command);
    for (const event of events) this.apply(event);
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

  /** Folds new FarmerRegistered and reward events from the store into the launcher list and reward states. */
  private async catchUp(): Promise<void> {
    await this.ledger.catchUp((event) => {
      switch (event.type) {
        case 'FarmerRegistered': {
          const { data } = event;
          const launcher: RewardLauncher = {
            launcherId: strip(data.launcherId),
            protocolVersion: data.protocolVersion,
            rewardPuzzleHash: strip(data.p2SingletonPuzzleHash),
            delayTime: data.delayTime,
            delayPuzzleHash: strip(data.delayPuzzleHash),
          };
          this.launchers.set(launcher.launcherId, launcher);
          this.byPuzzleHash.set(launcher.rewardPuzzleHash, launcher);
          break;
        }
        case 'RewardDetected':
        case 'RewardAbsorbed':
        case 'RewardReverted':
          this.apply(event);
          break;
      }
    });
  }

  /**
   * Applying an event twice (once after our own append, again when the store is read) gives the same state:
   * every event sets the status outright.
   */
  private apply(event: RewardEvent): void {
    const current = this.rewards.get(event.data.coinId) ?? rewardDecider.initialState();
    const next = rewardDecider.evolve(current, event);
    if (next.status !== 'none') this.rewards.set(event.data.coinId, next);
  }
}

function coinIdOf(record: CoinRecord): string {
  return coinId(record.coin);
}
