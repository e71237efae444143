import { type BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '@pool/runtime';
import { RecordRefusedPartialsCommand } from './record-refused-partials.command';
import { BoundedBatchQueue, PerMinuteBudget } from './refusal-queue';
import { ownerOf, refusedPartialOf, type RefusedPartialData, type RefusedRequest } from './refused-partial';

/** Refusals waiting to be written at most: a few seconds of a flood, a few hundred kilobytes. */
export const REFUSAL_QUEUE_CAPACITY = 1000;
/** Refusals per append command (grouped by farmer inside it). */
export const REFUSAL_BATCH_SIZE = 100;
/**
 * Refusals kept per farmer and minute. Chia's farmer sends a handful of partials a minute at the difficulty pools
 * set; past this, the log already shows what goes wrong, and a forger naming the launcher cannot grow it further.
 */
export const REFUSALS_PER_LAUNCHER_PER_MINUTE = 30;
/** How long shutdown waits for the queue to be written. */
const SHUTDOWN_WAIT_MS = 5_000;

/**
 * Records refused partials after the farmer has its answer: best effort, never on the answer's path. The work is
 * deferred past the current turn of the event loop (the answer is written first), then queued; the queue is bounded
 * and drops what does not fit, and a failed append is logged and lost. None of it can slow or fail an answer.
 */
@Injectable()
export class RefusedPartialsRecorder implements BeforeApplicationShutdown {
  private readonly logger = new Logger('RefusedPartials');
  private readonly queue: BoundedBatchQueue<RefusedPartialData>;
  private readonly budget = new PerMinuteBudget(REFUSALS_PER_LAUNCHER_PER_MINUTE);
  private overBudget = 0;
  private lastWarning = Number.NEGATIVE_INFINITY;
  private closed = false;

  constructor(
    commands: CommandBus,
    @Inject(CLOCK) private readonly now: Clock,
  ) {
    this.queue = new BoundedBatchQueue(
      async (batch) => {
        await commands.execute(new RecordRefusedPartialsCommand(batch));
      },
      {
        capacity: REFUSAL_QUEUE_CAPACITY,
        batchSize: REFUSAL_BATCH_SIZE,
        onSinkError: (error, batch) => this.logger.warn(`${batch.length} refused partials were not recorded: ${(error as Error).message}`),
      },
    );
  }

  /** On the answer path: only schedules the work. */
  afterAnswer(refused: RefusedRequest): void {
    if (!this.closed) setImmediate(() => this.take(refused));
  }

  /** Refusals dropped so far: the queue was full, or the farmer's budget for the minute was spent. */
  get dropped(): { queueFull: number; overBudget: number } {
    return { queueFull: this.queue.dropped, overBudget: this.overBudget };
  }

  async beforeApplicationShutdown(): Promise<void> {
    // Refusals answered just before the close are still scheduled: let them reach the queue, then write it out.
    await new Promise((resolve) => setImmediate(resolve));
    this.closed = true;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.queue.idle(), new Promise((resolve) => (timer = setTimeout(resolve, SHUTDOWN_WAIT_MS)))]);
    clearTimeout(timer);
  }

  private take(refused: RefusedRequest): void {
    const owner = ownerOf(refused);
    if (owner === undefined) return;
    // The budget first: a flood over it costs a map lookup, not a proof decoded and hashed.
    if (!this.budget.take(owner.launcherId, this.now())) {
      this.overBudget++;
      return;
    }
    if (!this.queue.offer(refusedPartialOf(refused, owner))) this.warnDropped();
  }

  /** At most once a minute: a flood would otherwise log a line per dropped refusal. */
  private warnDropped(): void {
    const now = this.now();
    if (now - this.lastWarning < 60) return;
    this.lastWarning = now;
    const { queueFull, overBudget } = this.dropped;
    this.logger.warn(`refused partials are arriving faster than they can be recorded: ${queueFull} dropped so far (queue full), ${overBudget} over a farmer's budget`);
  }
}
