import type { EventFilter, GlobalPosition, ReadAllOptions, RecordedEvent, SubscriptionMessage } from '@pool/event-sourcing';

export const DEFAULT_BATCH_SIZE = 1000;
export const DEFAULT_POLL_INTERVAL_MS = 100;

/**
 * Wakes sleeping subscribers early. Appends in this process call notify() after commit; other
 * processes' appends are found by the poll, which stays the source of truth.
 */
export class AppendSignal {
  private waiters = new Set<() => void>();

  notify(): void {
    const waiters = this.waiters;
    this.waiters = new Set();
    for (const wake of waiters) wake();
  }

  /** Resolves on notify(), after `timeoutMs`, or when the signal aborts, whichever is first. */
  wait(timeoutMs: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiters.add(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }
}

/**
 * Catch-up subscription for stores that can page through their global order: read pages after the
 * last delivered position until a page comes back short, say caughtUp once, then poll for new pages.
 * Correct only when readAll never shows a later position before an earlier one becomes visible (the
 * SQL adapters guarantee this: BEGIN IMMEDIATE in SQLite, the xmin horizon in PostgreSQL).
 *
 * A store whose reads may lag its commits (PostgreSQL shows a commit once every older transaction has ended)
 * passes `committedVisible`: it answers whether everything committed before the subscription's first call is
 * visible now. caughtUp waits for a short page read after it said yes, so it never comes before an event that
 * was committed when the subscription started.
 */
export async function* pollAll(
  readAll: (options: ReadAllOptions) => Promise<RecordedEvent[]>,
  options: {
    after?: GlobalPosition;
    filter?: EventFilter;
    signal: AbortSignal;
    batchSize?: number;
    appendSignal: AppendSignal;
    pollIntervalMs?: number;
    committedVisible?: () => Promise<boolean>;
  },
): AsyncGenerator<SubscriptionMessage> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  let after = options.after;
  let caughtUp = false;
  while (!options.signal.aborted) {
    const settled = caughtUp || options.committedVisible === undefined || (await options.committedVisible());
    const events = await readAll({ after, maxCount: batchSize, filter: options.filter });
    if (options.signal.aborted) return;
    if (events.length > 0) {
      after = events[events.length - 1]!.position;
      yield { kind: 'events', events };
      if (events.length === batchSize) continue;
    }
    if (!caughtUp && settled) {
      caughtUp = true;
      yield { kind: 'caughtUp', position: after };
    }
    await options.appendSignal.wait(pollIntervalMs, options.signal);
  }
}
