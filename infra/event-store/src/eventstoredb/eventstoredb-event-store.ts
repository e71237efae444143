import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  type AllStreamRecordedEvent,
  type AppendResult as ClientAppendResult,
  type Position,
  type ReadRevision,
} from '@eventstore/db-client';
import { matchesFilter, serializeEvents } from '../append-rules';
import { WrongExpectedRevisionError } from '@pool/event-sourcing';
import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  GlobalPosition,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  SubscriptionMessage,
} from '@pool/event-sourcing';
import { DEFAULT_BATCH_SIZE } from '../subscription';
import {
  claimEventData,
  claimStreamName,
  decodePosition,
  encodePosition,
  isStreamNotFound,
  isSystemEvent,
  isWrongExpectedVersion,
  toAppendError,
  toClientExpectedRevision,
  toEventData,
  toReadError,
  toRecordedEvent,
  toServerFilter,
} from './eventstoredb-mapping';
import { deliverCatchUp } from './eventstoredb-subscription';

/** Raw $all events fetched per request while readAll filters client-side (v6 has no server filter on reads). */
const READ_ALL_PAGE = 1000;
/** Raw $all events fetched per request while looking backwards for the newest non-system event. */
const HEAD_PAGE = 100;

export interface EventStoreDbEventStoreOptions {
  /**
   * Claim every event id for its stream before appending (default true), so an id already stored in
   * another stream is refused as by the SQL adapters. It costs one small append per event. With
   * false, EventStoreDB's own per-stream id check is all there is.
   */
  claimEventIds?: boolean;
}

/**
 * EventStore over EventStoreDB 22.6+ (23.10+ for an exact caughtUp on filtered subscriptions) with
 * @eventstore/db-client v6. Positions are the log's {commit, prepare} pair; see eventstoredb-mapping.
 *
 * Idempotency: a retry at an explicit revision or no_stream is checked strongly by the server and
 * answered with the original result. With 'any' or 'stream_exists' the server only remembers recent
 * ids in a bounded in-memory cache, so a late retry can store the events a second time: the write
 * side should append at explicit revisions, as the command handler does.
 */
export class EventStoreDbEventStore implements EventStore {
  readonly name = 'eventstoredb';
  private readonly client: EventStoreDBClient;
  private readonly claimEventIds: boolean;

  /**
   * `connection`: a connection string such as `esdb://localhost:2113?tls=false` (the client connects on
   * first use), or a client built elsewhere (certificates, credentials). close() disposes it.
   */
  constructor(connection: string | EventStoreDBClient, options: EventStoreDbEventStoreOptions = {}) {
    this.client = typeof connection === 'string' ? EventStoreDBClient.connectionString(connection) : connection;
    this.claimEventIds = options.claimEventIds ?? true;
  }

  async append(stream: string, events: readonly NewEvent[], options: { expectedRevision: ExpectedRevision }): Promise<AppendResult> {
    const serialized = serializeEvents(stream, events);
    const expected = options.expectedRevision;
    if (this.claimEventIds) await this.claimIds(stream, expected, serialized.map((e) => e.id));
    let result: ClientAppendResult;
    try {
      result = await this.client.appendToStream(stream, serialized.map(toEventData), {
        expectedRevision: toClientExpectedRevision(expected),
      });
    } catch (error) {
      throw toAppendError(error, stream, expected);
    }
    // The append reply carries no position for an idempotent retry, and its position need not be the
    // last event's $all position: read that event back so `position` is what readers will see.
    const last = await this.readOne(stream, result.nextExpectedRevision);
    if (!last) throw new Error(`event ${result.nextExpectedRevision} of ${stream} is not readable right after its append`);
    return { nextExpectedRevision: result.nextExpectedRevision, position: last.position };
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const read = this.client.readStream(stream, {
      fromRevision: options.fromRevision ?? (backwards ? END : START),
      direction: backwards ? BACKWARDS : FORWARDS,
      maxCount: options.maxCount,
    });
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of read) if (resolved.event) events.push(toRecordedEvent(resolved.event));
    } catch (error) {
      throw toReadError(error, stream);
    }
    return events;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const wanted = options.maxCount ?? Number.POSITIVE_INFINITY;
    const page: RecordedEvent[] = [];
    let after = options.after;
    while (page.length < wanted) {
      const raw = await this.readAllRaw(after === undefined ? START : decodePosition(after), FORWARDS, READ_ALL_PAGE);
      for (const event of raw) {
        const position = encodePosition(event.position);
        if (after !== undefined && position <= after) continue; // a read from a position includes it
        after = position;
        if (isSystemEvent(event) || !matchesFilter(event.streamId, event.type, options.filter)) continue;
        page.push(toRecordedEvent(event));
        if (page.length === wanted) break;
      }
      if (raw.length < READ_ALL_PAGE) break;
    }
    return page;
  }

  async *subscribeToAll(options: SubscribeOptions): AsyncGenerator<SubscriptionMessage> {
    // Read before subscribing: every event after this head is live, which bounds the catch-up.
    const head = await this.headPosition();
    const source = this.client.subscribeToAll(
      { fromPosition: options.after === undefined ? START : decodePosition(options.after), filter: toServerFilter(options.filter) },
      { highWaterMark: options.batchSize ?? DEFAULT_BATCH_SIZE },
    );
    yield* deliverCatchUp(source, { ...options, head });
  }

  async headPosition(): Promise<GlobalPosition | undefined> {
    let from: Position | typeof END = END;
    for (;;) {
      const raw = await this.readAllRaw(from, BACKWARDS, HEAD_PAGE);
      const newest = raw.find((event) => !isSystemEvent(event));
      if (newest) return encodePosition(newest.position);
      if (raw.length < HEAD_PAGE) return undefined;
      // The next page may start with this same (system) event again; that costs nothing.
      from = raw[raw.length - 1]!.position;
    }
  }

  async readNewest(maxCount: number): Promise<RecordedEvent[]> {
    const newest: RecordedEvent[] = [];
    let from: Position | typeof END = END;
    while (newest.length < maxCount) {
      const raw = await this.readAllRaw(from, BACKWARDS, READ_ALL_PAGE);
      for (const event of raw) {
        // A backwards read from a position includes it: the previous page's last event comes first again.
        if (from !== END && event.position.commit === from.commit && event.position.prepare === from.prepare) continue;
        if (!isSystemEvent(event)) newest.push(toRecordedEvent(event));
        if (newest.length === maxCount) break;
      }
      if (raw.length < READ_ALL_PAGE) break;
      from = raw[raw.length - 1]!.position;
    }
    return newest.reverse();
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }

  private async readAllRaw(
    fromPosition: Position | typeof START | typeof END,
    direction: typeof FORWARDS | typeof BACKWARDS,
    maxCount: number,
  ): Promise<AllStreamRecordedEvent[]> {
    const events: AllStreamRecordedEvent[] = [];
    for await (const resolved of this.client.readAll({ fromPosition, direction, maxCount })) {
      if (resolved.event) events.push(resolved.event);
    }
    return events;
  }

  /** One event of the stream (END: the last), or undefined when the stream does not exist. */
  private async readOne(stream: string, revision: ReadRevision): Promise<RecordedEvent | undefined> {
    const read = this.client.readStream(stream, { fromRevision: revision, direction: BACKWARDS, maxCount: 1, requiresLeader: true });
    try {
      for await (const resolved of read) if (resolved.event) return toRecordedEvent(resolved.event);
    } catch (error) {
      if (!isStreamNotFound(error)) throw error;
    }
    return undefined;
  }

  private async claimIds(stream: string, expected: ExpectedRevision, ids: readonly string[]): Promise<void> {
    const claims = await Promise.allSettled(
      ids.map((id) => this.client.appendToStream(claimStreamName(id), claimEventData(id, stream), { expectedRevision: NO_STREAM })),
    );
    const failed = claims.find((claim): claim is PromiseRejectedResult => claim.status === 'rejected');
    if (!failed) return;
    if (!isWrongExpectedVersion(failed.reason)) throw failed.reason;
    const current = await this.readOne(stream, END);
    throw new WrongExpectedRevisionError(stream, expected, current?.revision ?? 'no_stream', 'some event ids are already stored in another stream');
  }
}
