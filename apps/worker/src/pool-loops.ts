import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { type FullNodeRpc, type WalletRpc } from '@pool/chia';
import { type PoolConfig } from '@pool/config';
import { farmerDecider, farmerStream } from '@pool/domain';
import { type EventStore, type StreamCommandRunner } from '@pool/event-sourcing';
import { type ReadModelDatabase } from '@pool/read-models';
import { CHAIN, CLOCK, COMMAND_RUNNER, EVENT_STORE, LeaseKeeper, POOL_CONFIG, PoolMetrics, READ_MODELS, runEvery, SqlLeaseStore, type Clock } from '@pool/runtime';
import { ChainEvents } from './chain/chain-events';
import { ChainFollower } from './chain/chain-follower';
import { chainSafetySettings } from './chain/chain-settings';
import { ReorgReporter } from './chain/reorg-reporter';
import { MembershipTracker } from './membership/membership-tracker';
import { PlotNftV2Follower } from './membership/plot-nft-v2-follower';
import { PlotNftV2MembershipTracker } from './membership/plot-nft-v2-membership-tracker';
import { PartialConfirmer } from './partial-settlement/partial-confirmer';
import { LedgerPayoutPlanner } from './payouts/payout-planner';
import { PayoutSaga } from './payouts/payout-saga';
import { runPayoutSagaLoop } from './payouts/payout-saga.loop';
import { PayoutWalletGuard, PayoutWalletRefused } from './payouts/payout-wallet-guard';
import { type RewardCollector } from './rewards/reward-collector';
import { createRewardCollector, runRewardCollectorLoop } from './rewards/reward-collector.loop';
import { LedgerSealer } from './seals/ledger-sealer';
import { BooksCloser } from './books-closing/books-closer';
import { runBooksCloserLoop } from './books-closing/books-closer.loop';
import { runLedgerSealerLoop } from './seals/ledger-sealer.loop';
import { createNotifier, runNotifierLoop, type WorkerNotifier } from './notifications/notifier.loop';
import { POOL_LOOPS_ENABLED, WALLET } from './worker.tokens';

/**
 * The pool loops of this worker: chain follower and reorg reporter, partial settlement, membership, rewards and
 * payouts. They belong to exactly one worker at a time: every worker contends for the `pool-loops` lease
 * (infra/runtime/src/leases), and only the holder runs them; the others stand by, and take over once a holder stops
 * renewing.
 */
@Injectable()
export class PoolLoops implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('PoolLoops');
  private readonly controller = new AbortController();
  private running: Promise<unknown> = Promise.resolve();
  readonly confirmer: PartialConfirmer;
  private readonly follower: ChainFollower;
  private readonly membership: MembershipTracker;
  private readonly membershipV2: PlotNftV2MembershipTracker;
  private readonly reorgs: ReorgReporter;
  readonly lease: LeaseKeeper;
  private readonly reorgWindowSeconds: number;
  /** Only when the worker has a wallet to pay from. */
  readonly payouts: PayoutSaga | undefined;
  private readonly walletGuard: PayoutWalletGuard | undefined;
  private readonly payoutIntervalSeconds: number;
  /** Detects, absorbs and reverts pool rewards (rewards/). */
  readonly rewards: RewardCollector;
  /** Seals the ledger behind its head (seals/). */
  readonly sealer: LedgerSealer;
  /** Closes the books after each settled payout (books-closing/). */
  readonly closer: BooksCloser;
  /** Tells farmers about their payouts, blocks, address changes, silences (notifications/); undefined when switched off. */
  readonly notifications: WorkerNotifier | undefined;

  constructor(
    @Inject(POOL_LOOPS_ENABLED) private readonly enabled: boolean,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    commandBus: CommandBus,
    @Inject(COMMAND_RUNNER) runner: StreamCommandRunner,
    @Inject(CHAIN) chain: FullNodeRpc,
    @Inject(CLOCK) now: Clock,
    @Inject(POOL_CONFIG) config: PoolConfig,
    @Inject(READ_MODELS) readModels: ReadModelDatabase,
    private readonly chainEvents: ChainEvents,
    private readonly metrics: PoolMetrics,
    @Optional() @Inject(WALLET) wallet: WalletRpc | null = null,
  ) {
    const safety = chainSafetySettings(config.settings);
    // Decisions read the farmer's stream through the runner's cache; state changes go through the bus.
    const farmerState = async (launcherId: string) => (await runner.load(farmerStream(launcherId), farmerDecider)).state;
    this.reorgWindowSeconds = safety.partialReorgWindowSeconds;
    this.confirmer = new PartialConfirmer({
      store,
      commandBus,
      chain,
      farmerState,
      delaySeconds: config.settings.partialConfirmationDelay,
      reorgWindowSeconds: safety.partialReorgWindowSeconds,
      now,
    });
    this.follower = new ChainFollower({ chain, window: safety.chainFollowerWindow });
    this.reorgs = new ReorgReporter({
      commandBus,
      events: chainEvents,
      safeReorgDepth: safety.safeReorgDepth,
      logger: this.logger,
      now,
      revert: async (forkHeight) => {
        const reverted = await this.confirmer.revertAfterReorg(forkHeight);
        const orphanedRewards = await this.rewards.revertAfterReorg(forkHeight);
        if (orphanedRewards > 0) this.logger.warn(`reverted ${orphanedRewards} pool reward(s) whose block the reorg removed`);
        return reverted;
      },
    });
    this.lease = new LeaseKeeper({
      store: new SqlLeaseStore(readModels),
      name: 'pool-loops',
      holder: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
      // Unrenewed lifetime of the lease (renewed every quarter of it); a dead holder's loops move after this.
      ttlMs: Number(process.env.POOL_LOOPS_LEASE_TTL_MS ?? '15000'),
      logger: this.logger,
    });
    const settings = config.settings;
    this.membership = new MembershipTracker({
      store,
      commandBus,
      chain,
      pool: { targetPuzzleHash: settings.targetPuzzleHash, relativeLockHeight: settings.relativeLockHeight },
      confirmationThreshold: settings.confirmationSecurityThreshold,
      now,
    });
    // One follower of v2 Plot NFTs: membership and reward forwarding continue from the same tips.
    const plotNftV2Follower = new PlotNftV2Follower(chain);
    this.membershipV2 = new PlotNftV2MembershipTracker({
      store,
      commandBus,
      farmerState,
      chain,
      // No reward memoization: what /v2/pool_info serves and registration looks for.
      pool: { poolClaimHash: settings.targetPuzzleHash, relativeLockHeight: settings.relativeLockHeight, poolMemoization: '80' },
      now,
      follower: plotNftV2Follower,
    });
    this.payoutIntervalSeconds = settings.payouts.intervalSeconds;
    this.rewards = createRewardCollector({
      store,
      commandBus,
      chain,
      settings,
      now,
      wallet,
      logger: this.logger,
      feePerReward: settings.absorbFeePerReward,
      plotNftV2Follower,
    });
    this.walletGuard = wallet === null ? undefined : new PayoutWalletGuard({ chain, wallet, config });
    this.closer = new BooksCloser({ store, runner, now });
    this.notifications = createNotifier({ store, readModels, config, now, logger: this.logger });
    this.sealer = new LedgerSealer({ store, runner, schedule: { everyEvents: settings.sealEveryEvents, everySeconds: settings.sealEverySeconds }, now });
    this.payouts =
      wallet === null
        ? undefined
        : new PayoutSaga({ store, commandBus, chain, wallet, settings, planner: new LedgerPayoutPlanner(), now, log: (line) => this.logger.log(line), walletGuard: this.walletGuard, sealer: this.sealer });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.checkWallet();
    if (!this.enabled) return;
    this.running = Promise.all([this.lease.run(this.controller.signal, (signal) => this.runLoops(signal)), this.reportLease(this.controller.signal)]);
  }

  /**
   * As pool-reference does at start-up: the wallet logs in to the configured key, and the addresses are checked
   * against the node's network. A wrong key or address stops the start with the key named; a node or wallet not
   * reachable yet does not (every payout checks again before signing).
   */
  private async checkWallet(): Promise<void> {
    if (this.walletGuard === undefined) return;
    try {
      await this.walletGuard.check();
    } catch (error) {
      if (error instanceof PayoutWalletRefused) throw error;
      this.logger.warn(`could not check the wallet's key and the addresses' network yet (checked again before each payout): ${(error as Error).message}`);
    }
  }

  /** `pool_loops_lease_held` per worker: the sum over all workers is 1 in a healthy pool. */
  private async reportLease(signal: AbortSignal): Promise<void> {
    await runEvery(1000, signal, () => this.metrics.leaseHeld.set(this.lease.isHolder ? 1 : 0));
    this.metrics.leaseHeld.set(0);
  }

  /** The loops themselves, while this instance holds the lease; they stop when `signal` aborts. */
  private runLoops(signal: AbortSignal): Promise<unknown> {
    const payouts = this.payouts === undefined ? [] : [runPayoutSagaLoop(this.payouts, this.payoutIntervalSeconds, this.logger, signal)];
    const rewards = runRewardCollectorLoop(this.rewards, 10_000, this.logger, signal);
    const seals = runLedgerSealerLoop(this.sealer, 2000, this.logger, signal);
    const closings = runBooksCloserLoop(this.closer, 2000, this.logger, signal);
    const notifications = this.notifications === undefined ? [] : [runNotifierLoop(this.notifications.notifier, 5000, this.logger, signal)];
    return Promise.all([this.confirmer.run(signal), this.resumeReorgs(signal), this.followChain(signal), this.trackMembership(signal), rewards, seals, closings, ...payouts, ...notifications]).catch((error: unknown) =>
      this.logger.error(`pool loops stopped: ${(error as Error).stack ?? String(error)}`),
    );
  }

  /** Reorgs recorded by a previous holder are handled again once the confirmer knows the ledger (idempotent). */
  private async resumeReorgs(signal: AbortSignal): Promise<void> {
    await Promise.race([this.confirmer.whenCaughtUp(), new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }))]);
    if (signal.aborted) return;
    await this.reorgs.resume(this.store, this.reorgWindowSeconds).catch((error: unknown) => this.logger.warn(`resuming recorded reorgs: ${(error as Error).message}`));
  }

  private followChain(signal: AbortSignal): Promise<void> {
    return runEvery(
      2000,
      signal,
      async () => {
        const reorg = await this.follower.poll();
        this.chainEvents.recordPeak(this.follower.peakHeight);
        // Logs, counts, records ChainReorgDetected and reverts; a failed one is retried on the next poll.
        await this.reorgs.report(reorg);
        this.metrics.followerHeight.set(this.chainEvents.peakHeight);
        this.metrics.reorgRevertedPartials.set(this.chainEvents.partialsRevertedByReorg);
      },
      (error) => this.logger.warn(`chain follower: ${(error as Error).message}`),
    );
  }

  /** Plot NFTs that left (or came back) are recorded, so their partials stop (or start) counting. */
  private trackMembership(signal: AbortSignal): Promise<void> {
    return runEvery(
      30_000,
      signal,
      async () => {
        const changes = (await this.membership.check()) + (await this.membershipV2.check());
        if (changes > 0) this.logger.log(`recorded ${changes} membership change(s)`);
      },
      (error) => this.logger.warn(`membership tracker: ${(error as Error).message}`),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    this.controller.abort();
    await this.running;
    this.notifications?.transports.close();
  }
}
