import { BOOKS_CLOSINGS_STREAM, BOOKS_TRACKER_EVENT_TYPES, booksClosingDecider, BooksTracker, type BooksClosed } from '@pool/domain';
import { LedgerFollower, StreamNotFoundError, type EventStore, type GlobalPosition, type RecordedEvent, type StreamCommandRunner } from '@pool/event-sourcing';

export interface BooksCloserOptions {
  store: EventStore;
  /** Appends the closings (stream `books-closings`, through the closing decider). */
  runner: StreamCommandRunner;
  /** Unix seconds (the pool's clock): when a closing is made. */
  now(): number;
  /** Events read per page. */
  pageSize?: number;
}

/**
 * Follows the money events of the ledger and closes the books (BooksClosed, libs/domain/src/books-closing) right after
 * each event that settles a payout: the snapshot is the books as they stand after that event, whatever was appended
 * since. Appends never wait for it.
 *
 * Its checkpoint is the newest closing itself: a restarted closer, or the next holder of the pool-loops lease, starts
 * its books from that closing's snapshot and reads only the events after it. A closing at or before the newest one
 * records nothing (the decider), so a retry or a second closer never closes twice. Anything that goes wrong drops the
 * books in memory, and the next round starts again from the newest closing.
 */
export class BooksCloser {
  private tracker: BooksTracker | undefined;
  private follower: LedgerFollower<RecordedEvent> | undefined;
  private closed: string | null = null;

  constructor(private readonly options: BooksCloserOptions) {}

  /** Closed position of the newest closing this closer knows (null: none yet). */
  get lastClosedPosition(): string | null {
    return this.closed;
  }

  /** Reads what was committed since the last round, closing the books after each settlement; returns the closings recorded. */
  async catchUp(): Promise<number> {
    try {
      if (this.tracker === undefined || this.follower === undefined) await this.resume();
      let closings = 0;
      for await (const page of this.follower!.pages()) {
        for (const recorded of page) {
          const settles = this.tracker!.apply(recorded, recorded.position);
          if (settles && (this.closed === null || recorded.position > this.closed)) closings += await this.close(recorded);
        }
      }
      return closings;
    } catch (error) {
      this.tracker = undefined;
      this.follower = undefined;
      throw error;
    }
  }

  private async resume(): Promise<void> {
    const last = await this.newestClosing();
    this.tracker = new BooksTracker(last);
    this.closed = last?.closedPosition ?? null;
    this.follower = new LedgerFollower<RecordedEvent>(this.options.store, {
      types: BOOKS_TRACKER_EVENT_TYPES,
      decode: (recorded) => recorded,
      pageSize: this.options.pageSize ?? 5000,
      ...(last === undefined ? {} : { after: last.closedPosition as GlobalPosition }),
    });
  }

  private async newestClosing(): Promise<BooksClosed['data'] | undefined> {
    try {
      const [last] = await this.options.store.readStream(BOOKS_CLOSINGS_STREAM, { direction: 'backwards', maxCount: 1 });
      return last === undefined ? undefined : (last.data as BooksClosed['data']);
    } catch (error) {
      if (error instanceof StreamNotFoundError) return undefined;
      throw error;
    }
  }

  /** 1 when a closing was recorded, 0 when the books were closed here (or later) already. */
  private async close(settlement: RecordedEvent): Promise<number> {
    const payoutId = String((settlement.data as { payoutId?: unknown }).payoutId);
    const { events, state } = await this.options.runner.run(
      BOOKS_CLOSINGS_STREAM,
      booksClosingDecider,
      { type: 'CloseBooks', closedPosition: settlement.position, payoutId, snapshot: this.tracker!.snapshot(), now: this.options.now() },
      // Keyed by where it closes: a retry of this closing is the same event, whoever appends it.
      { idempotencyKey: `books-closing:${settlement.position}` },
    );
    const newest = state.last?.closedPosition ?? null;
    // Another closer closed later than this settlement: start again from its closing rather than close behind it.
    if (events.length === 0 && newest !== null && newest > settlement.position) throw new Error(`the newest closing is at ${newest}, after ${settlement.position}: starting again from it`);
    this.closed = settlement.position;
    return events.length;
  }
}
