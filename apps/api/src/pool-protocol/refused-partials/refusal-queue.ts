/**
 * A bounded queue drained in batches by one async sink, one batch at a time. Whoever offers never waits: when the
 * queue is full the item is dropped and counted. For work that must never slow the caller and may be lost (the
 * refused-partials log), not for facts.
 */
export class BoundedBatchQueue<T> {
  private readonly waiting: T[] = [];
  private draining: Promise<void> | undefined;
  private droppedCount = 0;

  constructor(
    private readonly sink: (batch: T[]) => Promise<void>,
    private readonly options: {
      /** Items waiting at most (the batch being written is not counted). */
      capacity: number;
      /** Items handed to the sink at once at most. */
      batchSize: number;
      /** A failed batch is lost: say so, and go on with the next. */
      onSinkError: (error: unknown, batch: readonly T[]) => void;
    },
  ) {}

  /** Queues `item` for the sink; false (and counted) when the queue is full. */
  offer(item: T): boolean {
    if (this.waiting.length >= this.options.capacity) {
      this.droppedCount++;
      return false;
    }
    this.waiting.push(item);
    this.draining ??= this.drain();
    return true;
  }

  /** Items dropped because the queue was full, since it was created. */
  get dropped(): number {
    return this.droppedCount;
  }

  get size(): number {
    return this.waiting.length;
  }

  /** Resolves once everything offered so far has been handed to the sink and the sink has finished. */
  idle(): Promise<void> {
    return this.draining ?? Promise.resolve();
  }

  private async drain(): Promise<void> {
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting.splice(0, this.options.batchSize);
        try {
          await this.sink(batch);
        } catch (error) {
          this.options.onSinkError(error, batch);
        }
      }
    } finally {
      this.draining = undefined;
    }
  }
}

/**
 * At most `perMinute` items per key in each clock minute. Anyone can send a partial naming a registered launcher
 * with a bad signature; this keeps such a flood from writing more into that farmer's log than a farmer could read.
 * Memory: the keys seen in the current minute only.
 */
export class PerMinuteBudget {
  private minute = Number.NaN;
  private readonly used = new Map<string, number>();

  constructor(private readonly perMinute: number) {}

  /** Takes one unit of `key`'s budget at `now` (unix seconds); false when it is spent. */
  take(key: string, now: number): boolean {
    const minute = Math.floor(now / 60);
    if (minute !== this.minute) {
      this.minute = minute;
      this.used.clear();
    }
    const used = this.used.get(key) ?? 0;
    if (used >= this.perMinute) return false;
    this.used.set(key, used + 1);
    return true;
  }
}
