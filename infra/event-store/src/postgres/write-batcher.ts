/**
 * Gathers writes that arrive while earlier ones are in flight and hands them to `writeBatch` together: a store whose
 * every write is a round trip and a commit then pays one of each per batch instead of per write. A write that finds
 * a free slot goes out at once (on the next turn of the event loop, with whatever else arrived in this one), so a
 * lone write waits for nothing; under load a batch holds what arrived during the previous batch's round trip.
 *
 * `writeBatch` settles each item, in order (so one item can fail alone); when it throws, every item of that batch
 * gets the error.
 */
export class WriteBatcher<Item, Result> {
  private queue: { item: Item; resolve: (result: Result) => void; reject: (error: unknown) => void }[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly writeBatch: (items: Item[]) => Promise<PromiseSettledResult<Result>[]>,
    private readonly limits: { maxInFlight: number; maxBatch: number },
  ) {}

  write(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.queue.length === 0 || this.inFlight >= this.limits.maxInFlight) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.queue.length === 0 || this.inFlight >= this.limits.maxInFlight) return;
    const batch = this.queue.splice(0, this.limits.maxBatch);
    this.inFlight++;
    this.schedule(); // a free slot takes what is left over
    try {
      const results = await this.writeBatch(batch.map((entry) => entry.item));
      batch.forEach((entry, i) => {
        const result = results[i];
        if (result?.status === 'fulfilled') entry.resolve(result.value);
        else entry.reject(result === undefined ? new Error('the batch write gave no answer for this item') : result.reason);
      });
    } catch (error) {
      for (const entry of batch) entry.reject(error);
    } finally {
      this.inFlight--;
      this.schedule();
    }
  }
}
