import type { DomainEvent } from './decider';
import type { EventFilter, EventStore, GlobalPosition, RecordedEvent } from './port';

/** Turns a recorded event into the reader's typed event; undefined skips it (a type the reader does not know). */
export type EventDecoder<Event extends DomainEvent> = (recorded: RecordedEvent) => Event | undefined;

export interface LedgerFollowerOptions<Event extends DomainEvent> {
  /** The event types this reader folds: the store filters by them, so the reader never pages through the rest. */
  types?: readonly Event['type'][];
  /** Or (and) the streams it reads, by name prefix. */
  streamPrefixes?: readonly string[];
  decode: EventDecoder<Event>;
  /** Exclusive checkpoint to start after (a reader that persisted one); omitted: from the start of the ledger. */
  after?: GlobalPosition;
  /** Events per page when catching up. */
  pageSize?: number;
}

/**
 * The one reader of the ledger's global order that every loop and reader uses: it filters by type (or stream),
 * decodes into the reader's event union, keeps its checkpoint, and either catches up on demand (`catchUp`, for
 * readers that poll) or follows live (`follow`, a catch-up subscription that says when it has caught up).
 */
export class LedgerFollower<Event extends DomainEvent> {
  private after: GlobalPosition | undefined;
  private readonly filter: EventFilter;

  constructor(
    private readonly store: EventStore,
    private readonly options: LedgerFollowerOptions<Event>,
  ) {
    this.after = options.after;
    this.filter = {
      ...(options.types ? { types: options.types } : {}),
      ...(options.streamPrefixes ? { streamPrefixes: options.streamPrefixes } : {}),
    };
  }

  /** Position of the last event handed over (the checkpoint), undefined before the first. */
  get position(): GlobalPosition | undefined {
    return this.after;
  }

  /**
   * Hands every event recorded since the checkpoint to `apply`, in order, page by page; the checkpoint moves after
   * each event, so an `apply` that throws leaves the rest to the next call. Returns how many were read.
   */
  async catchUp(apply: (event: Event, recorded: RecordedEvent) => void | Promise<void>): Promise<number> {
    let read = 0;
    for await (const page of this.pages()) {
      for (const recorded of page) {
        const event = this.options.decode(recorded);
        if (event !== undefined) await apply(event, recorded);
        this.after = recorded.position;
      }
      read += page.length;
    }
    return read;
  }

  /**
   * The recorded events since the checkpoint, one page at a time, for readers that fold the records themselves (the
   * audit and the statements need positions); the checkpoint moves past each page once the reader asks for the next.
   */
  async *pages(): AsyncGenerator<readonly RecordedEvent[]> {
    const pageSize = this.options.pageSize ?? 1000;
    for (;;) {
      const page = await this.store.readAll({ ...(this.after === undefined ? {} : { after: this.after }), maxCount: pageSize, filter: this.filter });
      if (page.length > 0) {
        yield page;
        this.after = page[page.length - 1]!.position;
      }
      if (page.length < pageSize) return;
    }
  }

  /**
   * Moves the checkpoint forward (never back) to a position known to hold nothing more for this reader: the head
   * taken before a `catchUp`, so the next one starts there instead of after the last matching event, and a store
   * full of other traffic is not looked through again.
   */
  skipTo(position: GlobalPosition | undefined): void {
    if (position !== undefined && (this.after === undefined || position > this.after)) this.after = position;
  }

  /** Whether anything was recorded after the checkpoint (without reading it). */
  async hasNew(): Promise<boolean> {
    return (await this.store.readAll({ ...(this.after === undefined ? {} : { after: this.after }), maxCount: 1, filter: this.filter })).length > 0;
  }

  /**
   * Follows the ledger live until `signal` aborts: history from the checkpoint first, then `caughtUp` once, then each
   * new event as it is committed.
   */
  async follow(signal: AbortSignal, apply: (event: Event, recorded: RecordedEvent) => void | Promise<void>, caughtUp?: () => void): Promise<void> {
    for await (const message of this.store.subscribeToAll({ ...(this.after === undefined ? {} : { after: this.after }), filter: this.filter, signal })) {
      if (message.kind === 'caughtUp') {
        caughtUp?.();
        continue;
      }
      for (const recorded of message.events) {
        const event = this.options.decode(recorded);
        if (event !== undefined) await apply(event, recorded);
        this.after = recorded.position;
      }
    }
  }
}
