import { type CommandBus } from '@nestjs/cqrs';
import { RecordReorgCommand } from '@pool/commands';
import { CHAIN_REORGS_STREAM, decodePoolEvent, type ChainReorgDetected } from '@pool/domain';
import { StreamNotFoundError, type EventStore } from '@pool/event-sourcing';
import { type ChainEvents } from './chain-events';
import { type Reorg } from './chain-follower';

export interface ReorgLogger {
  warn(message: string): void;
  error(message: string): void;
}

export interface ReorgReporterOptions {
  /** Where ChainReorgDetected is recorded (RecordReorg). */
  commandBus: CommandBus;
  events: ChainEvents;
  safeReorgDepth: number;
  logger: ReorgLogger;
  /** Unix seconds on the chain's clock. */
  now(): number;
  /** Reverts what the reorg took back (the confirmer's revertAfterReorg); returns how many partials. */
  revert(forkHeight: number): Promise<number>;
}

/**
 * Handles each reorg the follower finds: counts and logs it (an error when deeper than the safety depth),
 * records ChainReorgDetected, then reverts the confirmed partials it took back. The follower forgets a
 * reorg once it has reported it, so a reorg whose recording or reverts failed is kept and retried here.
 */
export class ReorgReporter {
  private readonly unhandled: { reorg: Reorg; counted: boolean }[] = [];

  constructor(private readonly options: ReorgReporterOptions) {}

  get backlog(): number {
    return this.unhandled.length;
  }

  /** Queues `reorg` (if any) and handles the queue in order; throws the first failure, keeping what is left. */
  async report(reorg?: Reorg): Promise<void> {
    if (reorg) this.unhandled.push({ reorg, counted: false });
    while (this.unhandled.length > 0) {
      const item = this.unhandled[0]!;
      if (!item.counted) {
        this.announce(item.reorg);
        item.counted = true;
      }
      await this.handle(item.reorg);
      this.unhandled.shift();
    }
  }

  /**
   * On taking over the loops (start, restart, another instance's lease): a follower starts with no memory,
   * so reorgs a previous holder recorded but may not have finished reverting are handled again from the
   * ledger. Reverting is idempotent: only partials whose signage point the node reports reverted are touched.
   * Call once the confirmer has caught up with the ledger. Returns the partials reverted.
   */
  async resume(store: EventStore, windowSeconds: number): Promise<number> {
    let recorded: ChainReorgDetected['data'][];
    try {
      recorded = (await store.readStream(CHAIN_REORGS_STREAM)).flatMap((e) => {
        const event = decodePoolEvent(e);
        return event?.type === 'ChainReorgDetected' ? [event.data] : [];
      });
    } catch (error) {
      if (error instanceof StreamNotFoundError) return 0;
      throw error;
    }
    const since = this.options.now() - windowSeconds;
    let reverted = 0;
    for (const reorg of recorded.filter((r) => r.at >= since)) reverted += await this.options.revert(reorg.forkHeight);
    this.options.events.partialsRevertedByReorg += reverted;
    if (reverted > 0) this.options.logger.warn(`reverted ${reverted} confirmed partial(s) on resuming after recorded reorgs`);
    return reverted;
  }

  private announce(reorg: Reorg): void {
    const { safeReorgDepth, logger, events } = this.options;
    const deep = reorg.depth > safeReorgDepth;
    events.recordReorg({ ...reorg, deep });
    const what = `reorg at height ${reorg.forkHeight}: ${reorg.depth} block(s) orphaned (old peak ${reorg.oldPeak.height} ${reorg.oldPeak.headerHash}, new peak ${reorg.newPeak.height} ${reorg.newPeak.headerHash})`;
    if (deep) logger.error(`DEEP REORG beyond the safety depth of ${safeReorgDepth} blocks: ${what}; confirmed partials it removed are being reverted`);
    else logger.warn(what);
  }

  private async handle(reorg: Reorg): Promise<void> {
    const { commandBus, safeReorgDepth, now } = this.options;
    await commandBus.execute(
      new RecordReorgCommand({
        forkHeight: reorg.forkHeight,
        firstOrphanedHash: reorg.firstOrphanedHash,
        depth: reorg.depth,
        oldPeak: reorg.oldPeak,
        newPeak: reorg.newPeak,
        safeDepth: safeReorgDepth,
        now: Math.floor(now()),
      }),
    );
    const reverted = await this.options.revert(reorg.forkHeight);
    this.options.events.partialsRevertedByReorg += reverted;
    if (reverted > 0) this.options.logger.warn(`reverted ${reverted} confirmed partial(s) whose signage point the reorg at ${reorg.forkHeight} removed`);
  }
}
