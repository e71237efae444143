import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  BACKWARDS,
  type END,
  NO_STREAM,
  START,
  StreamNotFoundError as ClientStreamNotFoundError,
  WrongExpectedVersionError,
  type AppendExpectedRevision,
  type EventData,
  type EventStoreDBClient,
  type Position,
} from '@eventstore/db-client';
import { StreamNotFoundError, WrongExpectedRevisionError } from '@pool/event-sourcing';
import type { GlobalPosition, RecordedEvent } from '@pool/event-sourcing';
import { CLAIM_STREAM_PREFIX, encodePosition } from './eventstoredb-mapping';
import { EventStoreDbEventStore } from './eventstoredb-event-store';
import { decodedByClient, type StoredOnServer } from '@pool/testing';

/**
 * The adapter's own loops (readAll paging and client-side filtering, the backwards search for the
 * head, id claims, reading back the appended position) over a stand-in for the client. The stand-in
 * keeps a log in memory and knows only what those loops rely on; it says nothing about the server's
 * semantics, which only the contract run against a real EventStoreDB (EVENTSTORE_URL) can check.
 * Whether a read from a position includes that position is not something the adapter may depend on,
 * so every read test runs both ways.
 */
class StandInServer {
  readonly log: StoredOnServer[] = [];
  private offset = 0n;

  constructor(private readonly readsIncludeFromPosition: boolean) {}

  record(stream: string, event: EventData): StoredOnServer {
    this.offset += 64n;
    const revision = BigInt(this.log.filter((s) => s.stream === stream).length);
    const stored = { stream, revision, commit: this.offset, prepare: this.offset + 7n, created: new Date(), event };
    this.log.push(stored);
    return stored;
  }

  add(stream: string, type = 'Tested'): StoredOnServer {
    return this.record(stream, { id: randomUUID(), contentType: 'application/json', type, data: { n: this.log.length }, metadata: undefined });
  }

  streamEvents(stream: string): StoredOnServer[] {
    return this.log.filter((s) => s.stream === stream);
  }

  client(): EventStoreDBClient {
    const client = {
      readAll: (o: { fromPosition: Position | typeof START | typeof END; direction?: string; maxCount: number }) => {
        const backwards = o.direction === BACKWARDS;
        const key = (s: StoredOnServer): string => encodePosition(s);
        const from = typeof o.fromPosition === 'object' ? encodePosition(o.fromPosition) : undefined;
        const include = (s: StoredOnServer): boolean => {
          if (from === undefined) return o.fromPosition === START ? !backwards : backwards;
          if (key(s) === from) return this.readsIncludeFromPosition;
          return backwards ? key(s) < from : key(s) > from;
        };
        const ordered = backwards ? [...this.log].reverse() : this.log;
        return Readable.from(ordered.filter(include).slice(0, o.maxCount).map(decodedByClient));
      },
      readStream: (stream: string, o: { fromRevision: bigint | typeof START | typeof END; direction?: string; maxCount?: number }) => {
        const events = this.streamEvents(stream);
        if (events.length === 0) {
          return new Readable({ objectMode: true, read() { this.destroy(new ClientStreamNotFoundError(undefined, stream)); } });
        }
        const backwards = o.direction === BACKWARDS;
        const from = typeof o.fromRevision === 'bigint' ? o.fromRevision : undefined;
        const ordered = (backwards ? [...events].reverse() : events).filter((s) => from === undefined || (backwards ? s.revision <= from : s.revision >= from));
        return Readable.from(ordered.slice(0, o.maxCount ?? ordered.length).map(decodedByClient));
      },
      appendToStream: async (stream: string, input: EventData | EventData[], o: { expectedRevision: AppendExpectedRevision }) => {
        const events = Array.isArray(input) ? input : [input];
        const existing = this.streamEvents(stream);
        const current = existing.length === 0 ? NO_STREAM : BigInt(existing.length - 1);
        // Only what the adapter leans on: an exact expectation is checked, and repeating the very
        // same ids at the same place answers with the original result.
        const firstRevision = o.expectedRevision === NO_STREAM ? 0n : typeof o.expectedRevision === 'bigint' ? o.expectedRevision + 1n : undefined;
        if (firstRevision !== undefined && current !== (firstRevision === 0n ? NO_STREAM : firstRevision - 1n)) {
          const atPlace = existing.slice(Number(firstRevision), Number(firstRevision) + events.length);
          if (atPlace.length === events.length && atPlace.every((s, i) => s.event.id === events[i]!.id)) {
            return { success: true, nextExpectedRevision: atPlace[atPlace.length - 1]!.revision };
          }
          throw new WrongExpectedVersionError(undefined, { streamName: stream, expected: o.expectedRevision, current });
        }
        const written = events.map((event) => this.record(stream, event));
        const last = written[written.length - 1]!;
        // A position that is not the last event's own, as a server may answer: the adapter must not use it.
        return { success: true, nextExpectedRevision: last.revision, position: { commit: written[0]!.commit, prepare: 0n } };
      },
      dispose: async () => undefined,
    };
    return client as unknown as EventStoreDBClient;
  }
}

const positionOf = (stored: StoredOnServer): GlobalPosition => encodePosition(stored);
const isUserEvent = (s: StoredOnServer): boolean => !s.event.type.startsWith('$') && !s.stream.startsWith('$');

async function readEverything(store: EventStoreDbEventStore, filter: { streamPrefixes?: string[]; types?: string[] }, pageSize: number) {
  const all: RecordedEvent[] = [];
  let after: GlobalPosition | undefined;
  for (;;) {
    const page = await store.readAll({ after, maxCount: pageSize, filter });
    all.push(...page);
    if (page.length < pageSize) return all;
    after = page[page.length - 1]!.position;
  }
}

describe.each([
  ['reads include the start position', true],
  ['reads exclude the start position', false],
])('EventStoreDbEventStore loops over a stand-in client (%s)', (_label, inclusive) => {
  it('pages through $all past the raw page size, filtering client-side and leaving out system events', async () => {
    const server = new StandInServer(inclusive);
    for (let i = 0; i < 2600; i++) {
      if (i % 7 === 0) server.add('$stats-node', '$statsCollected');
      else if (i % 5 === 0) server.add(`y-${i % 3}`, 'PartialSubmitted');
      else server.add(`x-${i % 4}`, i % 2 === 0 ? 'PartialSubmitted' : 'PartialConfirmed');
    }
    const store = new EventStoreDbEventStore(server.client());
    const filter = { streamPrefixes: ['x-'], types: ['PartialConfirmed'] };
    const expected = server.log.filter((s) => isUserEvent(s) && s.stream.startsWith('x-') && s.event.type === 'PartialConfirmed');
    expect(server.log.length).toBeGreaterThan(2 * 1000); // more than two raw pages of the adapter

    const read = await readEverything(store, filter, 333);
    expect(read.map((e) => e.id)).toEqual(expected.map((s) => s.event.id));
    expect(read.map((e) => e.position)).toEqual(expected.map(positionOf));

    const unfiltered = await readEverything(store, {}, 500);
    expect(unfiltered.map((e) => e.id)).toEqual(server.log.filter(isUserEvent).map((s) => s.event.id));
  });

  it('reads strictly after `after` and returns at most maxCount', async () => {
    const server = new StandInServer(inclusive);
    const events = Array.from({ length: 10 }, (_, i) => server.add(`s-${i % 2}`));
    const store = new EventStoreDbEventStore(server.client());
    const page = await store.readAll({ after: positionOf(events[3]!), maxCount: 4 });
    expect(page.map((e) => e.id)).toEqual(events.slice(4, 8).map((s) => s.event.id));
    expect(await store.readAll({ after: positionOf(events[9]!) })).toEqual([]);
    expect(await store.readAll({ maxCount: 0 })).toEqual([]);
  });

  it('finds the head behind a long tail of system events, and none in a store without user events', async () => {
    const server = new StandInServer(inclusive);
    const store = new EventStoreDbEventStore(server.client());
    expect(await store.headPosition()).toBeUndefined();
    for (let i = 0; i < 250; i++) server.add('$stats-node', '$statsCollected');
    expect(await store.headPosition()).toBeUndefined();
    const newest = server.add('farmer-1');
    expect(await store.headPosition()).toBe(positionOf(newest));
    for (let i = 0; i < 250; i++) server.add(i % 2 ? '$stats-node' : 'farmer-1', '$statsCollected');
    expect(await store.headPosition()).toBe(positionOf(newest));
  });

  it('reads the newest user events across raw pages, oldest first, without repeating a page boundary', async () => {
    const server = new StandInServer(inclusive);
    const store = new EventStoreDbEventStore(server.client());
    expect(await store.readNewest(10)).toEqual([]);
    for (let i = 0; i < 2600; i++) server.add(i % 7 === 0 ? '$stats-node' : `x-${i % 4}`, i % 7 === 0 ? '$statsCollected' : 'Tested');
    const users = server.log.filter(isUserEvent);
    expect((await store.readNewest(1500)).map((e) => e.id)).toEqual(users.slice(-1500).map((s) => s.event.id));
    expect((await store.readNewest(5000)).map((e) => e.id)).toEqual(users.map((s) => s.event.id));
  });
});

describe('EventStoreDbEventStore append over a stand-in client', () => {
  const newEvents = (count: number) => Array.from({ length: count }, (_, i) => ({ id: randomUUID(), type: 'Tested', data: { i } }));

  it("returns the last appended event's own position, read back, also for a retry", async () => {
    const server = new StandInServer(true);
    const store = new EventStoreDbEventStore(server.client());
    const events = newEvents(3);
    const result = await store.append('farmer-1', events, { expectedRevision: 'no_stream' });
    const stored = server.streamEvents('farmer-1');
    expect(stored.map((s) => s.event.id)).toEqual(events.map((e) => e.id));
    expect(result).toEqual({ nextExpectedRevision: 2n, position: positionOf(stored[2]!) });
    expect(await store.append('farmer-1', events, { expectedRevision: 'no_stream' })).toEqual(result);
    expect(server.streamEvents('farmer-1')).toHaveLength(3);
  });

  it('claims each id for its stream first, and refuses ids claimed for another stream without writing', async () => {
    const server = new StandInServer(true);
    const store = new EventStoreDbEventStore(server.client());
    const events = newEvents(2);
    await store.append('farmer-1', events, { expectedRevision: 'no_stream' });
    const claims = server.log.filter((s) => s.stream.startsWith(CLAIM_STREAM_PREFIX));
    expect(claims.map((s) => s.stream).sort()).toEqual(events.map((e) => `${CLAIM_STREAM_PREFIX}${e.id.toLowerCase()}`).sort());
    expect(claims.every((s) => s.event.type.startsWith('$'))).toBe(true);

    await store.append('farmer-2', newEvents(1), { expectedRevision: 'no_stream' });
    const clash = store.append('farmer-2', [events[1]!], { expectedRevision: 'any' });
    await expect(clash).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    await expect(clash).rejects.toMatchObject({ stream: 'farmer-2', expected: 'any', actual: 0n });
    await expect(store.append('farmer-3', events, { expectedRevision: 'any' })).rejects.toMatchObject({ actual: 'no_stream' });
    expect(server.streamEvents('farmer-2')).toHaveLength(1);
    expect(server.streamEvents('farmer-3')).toHaveLength(0);
    // Claims are system events: invisible to readAll and to the head.
    expect((await store.readAll()).map((e) => e.stream)).toEqual(['farmer-1', 'farmer-1', 'farmer-2']);
    expect(await store.headPosition()).toBe(positionOf(server.streamEvents('farmer-2')[0]!));
  });

  it('writes no claims when claimEventIds is off', async () => {
    const server = new StandInServer(true);
    const store = new EventStoreDbEventStore(server.client(), { claimEventIds: false });
    await store.append('farmer-1', newEvents(2), { expectedRevision: 'any' });
    expect(server.log.map((s) => s.stream)).toEqual(['farmer-1', 'farmer-1']);
  });

  it("maps a stale revision to WrongExpectedRevisionError and a missing stream to StreamNotFoundError", async () => {
    const server = new StandInServer(true);
    const store = new EventStoreDbEventStore(server.client());
    await store.append('farmer-1', newEvents(2), { expectedRevision: 'no_stream' });
    await expect(store.append('farmer-1', newEvents(1), { expectedRevision: 0n })).rejects.toMatchObject({ expected: 0n, actual: 1n });
    await expect(store.readStream('farmer-9')).rejects.toBeInstanceOf(StreamNotFoundError);
    const backwards = await store.readStream('farmer-1', { direction: 'backwards' });
    expect(backwards.map((e) => e.revision)).toEqual([1n, 0n]);
  });
});
