import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type FullNodeRpc } from '@pool/chia';
import { EVENT_STORE, POOL_CONFIG, type PoolConfig } from '@pool/config';
import { type EventStore } from '@pool/event-store';
import { ChainFollower } from '../chain/chain-follower';
import { FarmerService } from '../farmers/farmer.service';
import { MembershipTracker } from '../farmers/membership-tracker';
import { StreamCommandRunner } from '../ledger/stream-command-runner';
import { abortableSleep } from '../shared/abortable-sleep';
import { CHAIN, CLOCK, COMMAND_RUNNER, type Clock } from '../tokens';
import { PartialConfirmer } from './partial-confirmer';

export const POOL_LOOPS_ENABLED = Symbol('POOL_LOOPS_ENABLED');

/** Reorgs deeper than this are reported as errors: the confirmation delay was meant to outlast them. */
const SAFE_REORG_DEPTH = 6;

/**
 * The pool loops of this instance: the chain follower, the partial confirmer and the membership tracker. They belong to exactly one
 * instance at a time (a lease across instances is still to come; run one api with loops enabled).
 */
@Injectable()
export class PoolLoopsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('PoolLoops');
  private readonly controller = new AbortController();
  private running: Promise<unknown> = Promise.resolve();
  readonly confirmer: PartialConfirmer;
  private readonly follower: ChainFollower;
  private readonly membership: MembershipTracker;

  constructor(
    @Inject(POOL_LOOPS_ENABLED) private readonly enabled: boolean,
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(COMMAND_RUNNER) runner: StreamCommandRunner,
    @Inject(CHAIN) chain: FullNodeRpc,
    @Inject(CLOCK) now: Clock,
    @Inject(POOL_CONFIG) config: PoolConfig,
    farmers: FarmerService,
  ) {
    this.confirmer = new PartialConfirmer({
      store,
      runner,
      chain,
      farmerState: (launcherId) => farmers.state(launcherId),
      delaySeconds: config.settings.partialConfirmationDelay,
      now,
    });
    this.follower = new ChainFollower({ chain });
    const settings = config.settings;
    this.membership = new MembershipTracker({
      store,
      runner,
      chain,
      pool: { targetPuzzleHash: settings.targetPuzzleHash, relativeLockHeight: settings.relativeLockHeight },
      confirmationThreshold: settings.confirmationSecurityThreshold,
      now,
    });
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    const signal = this.controller.signal;
    this.running = Promise.all([this.confirmer.run(signal), this.followChain(signal), this.trackMembership(signal)]).catch((error: unknown) =>
      this.logger.error(`pool loops stopped: ${(error as Error).stack ?? String(error)}`),
    );
  }

  private async followChain(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        const reorg = await this.follower.poll();
        if (reorg) {
          const log = reorg.depth > SAFE_REORG_DEPTH ? this.logger.error.bind(this.logger) : this.logger.warn.bind(this.logger);
          log(`reorg at height ${reorg.forkHeight}: ${reorg.depth} block(s) orphaned${reorg.depth > SAFE_REORG_DEPTH ? ' (deeper than the safe depth)' : ''}`);
          const reverted = await this.confirmer.revertAfterReorg(reorg.forkHeight);
          if (reverted > 0) this.logger.warn(`reverted ${reverted} confirmed partial(s) whose signage point the reorg removed`);
        }
      } catch (error) {
        this.logger.warn(`chain follower: ${(error as Error).message}`);
      }
      await abortableSleep(2000, signal);
    }
  }

  /** Plot NFTs that left (or came back) are recorded, so their partials stop (or start) counting. */
  private async trackMembership(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        const changes = await this.membership.check();
        if (changes > 0) this.logger.log(`recorded ${changes} membership change(s)`);
      } catch (error) {
        this.logger.warn(`membership tracker: ${(error as Error).message}`);
      }
      await abortableSleep(30_000, signal);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.controller.abort();
    await this.running;
  }
}
