import { randomUUID } from 'node:crypto';
import {
  ANY,
  NO_STREAM,
  STREAM_EXISTS,
  StreamNotFoundError as ClientStreamNotFoundError,
  WrongExpectedVersionError,
  type EventData,
} from '@eventstore/db-client';
import * as fc from 'fast-check';
import { serializeEvents } from '../append-rules';
import { StreamNotFoundError, WrongExpectedRevisionError } from '@pool/event-sourcing';
import type { GlobalPosition } from '@pool/event-sourcing';
import {
  claimEventData,
  claimStreamName,
  decodePosition,
  encodePosition,
  isSystemEvent,
  SCHEMA_VERSION_KEY,
  toAppendError,
  toClientExpectedRevision,
  toEventData,
  toReadError,
  toRecordedEvent,
  toServerFilter,
} from './eventstoredb-mapping';
import { decodedByClient, type StoredOnServer } from '@pool/testing';

const UINT64_MAX = 2n ** 64n - 1n;
const logOffset = fc.bigInt({ min: 0n, max: UINT64_MAX });
const position = fc.record({ commit: logOffset, prepare: logOffset });

describe('EventStoreDB positions', () => {
  it('decodes what it encodes, across the whole uint64 range', () => {
    fc.assert(fc.property(position, (p) => expect(decodePosition(encodePosition(p))).toEqual(p)));
    expect(decodePosition(encodePosition({ commit: UINT64_MAX, prepare: 0n }))).toEqual({ commit: UINT64_MAX, prepare: 0n });
  });

  it('orders the strings as the log orders {commit, prepare}: by commit, then by prepare', () => {
    fc.assert(
      fc.property(position, position, (a, b) => {
        const logOrder = a.commit !== b.commit ? (a.commit < b.commit ? -1 : 1) : a.prepare === b.prepare ? 0 : a.prepare < b.prepare ? -1 : 1;
        const ea = encodePosition(a);
        const eb = encodePosition(b);
        expect(ea < eb ? -1 : ea > eb ? 1 : 0).toBe(logOrder);
      }),
    );
    // Plain numeric text would put 9 after 10; the fixed width must not.
    expect(encodePosition({ commit: 9n, prepare: 9n }) < encodePosition({ commit: 10n, prepare: 10n })).toBe(true);
  });

  it('refuses strings that are not its own positions', () => {
    for (const bad of ['', '12:34', '00000000000000000001', `${'0'.repeat(20)}:${'0'.repeat(19)}x`, '00000000000000000003']) {
      expect(() => decodePosition(bad as GlobalPosition)).toThrow(TypeError);
    }
  });
});

describe('expected revisions', () => {
  it("maps the port's expectations onto the client's constants and passes revisions through", () => {
    expect(toClientExpectedRevision('any')).toBe(ANY);
    expect(toClientExpectedRevision('no_stream')).toBe(NO_STREAM);
    expect(toClientExpectedRevision('stream_exists')).toBe(STREAM_EXISTS);
    expect(toClientExpectedRevision(0n)).toBe(0n);
    expect(toClientExpectedRevision(41n)).toBe(41n);
  });
});

describe('client errors', () => {
  it("turns the client's WrongExpectedVersionError (batch-append form) into ours, with the actual revision", () => {
    const clientError = new WrongExpectedVersionError(undefined, { streamName: 'farmer-1', expected: 1n, current: 2n });
    const mapped = toAppendError(clientError, 'farmer-1', 1n);
    expect(mapped).toBeInstanceOf(WrongExpectedRevisionError);
    expect(mapped).toMatchObject({ stream: 'farmer-1', expected: 1n, actual: 2n });
  });

  it("reports a missing stream as 'no_stream' and keeps our own name for the expectation", () => {
    const clientError = new WrongExpectedVersionError(undefined, { streamName: 's', expected: STREAM_EXISTS, current: NO_STREAM });
    expect(toAppendError(clientError, 's', 'stream_exists')).toMatchObject({ expected: 'stream_exists', actual: 'no_stream' });
  });

  it('reads the gRPC trailer form of the error (the plain append call) the same way', () => {
    // What the client builds from a server status whose trailers name the versions (expected -1 = no stream).
    const trailers = { 'stream-name': 's', 'expected-version': '-1', 'actual-version': '0' };
    const serviceError = Object.assign(new Error('wrong expected version'), {
      code: 9,
      details: 'wrong expected version',
      metadata: { getMap: () => trailers },
    });
    const clientError = new WrongExpectedVersionError(serviceError as never);
    expect(toAppendError(clientError, 's', 'no_stream')).toMatchObject({ expected: 'no_stream', actual: 0n });
    const missing = new WrongExpectedVersionError(
      Object.assign(new Error('x'), { code: 9, details: 'x', metadata: { getMap: () => ({ 'stream-name': 's', 'expected-version': '3' }) } }) as never,
    );
    expect(toAppendError(missing, 's', 3n)).toMatchObject({ actual: 'no_stream' });
  });

  it('leaves every other error as it is', () => {
    const other = new Error('unavailable');
    expect(toAppendError(other, 's', 'any')).toBe(other);
    const notFound = new ClientStreamNotFoundError(undefined, 's');
    expect(toAppendError(notFound, 's', 'any')).toBe(notFound);
    expect(toReadError(other, 's')).toBe(other);
  });

  it("turns the client's StreamNotFoundError into ours", () => {
    const mapped = toReadError(new ClientStreamNotFoundError(undefined, 'payout-7'), 'payout-7');
    expect(mapped).toBeInstanceOf(StreamNotFoundError);
    expect(mapped).toMatchObject({ stream: 'payout-7' });
  });
});

describe('event envelopes', () => {
  const stored = (event: EventData, overrides: Partial<StoredOnServer> = {}): StoredOnServer => ({
    stream: 'farmer-abc',
    revision: 4n,
    commit: 1234n,
    prepare: 1300n,
    created: new Date('2026-11-21T20:00:00.123Z'),
    event,
    ...overrides,
  });

  it('round-trips id, type, schemaVersion, data and metadata through what the client sends and decodes', () => {
    const data = { amount: '18446744073709551615', nested: { list: [1, 'two', null, true] }, text: 'ünïcödé' };
    const metadata = { causationId: 'c1', correlationId: 'k2' };
    const [serialized] = serializeEvents('farmer-abc', [{ id: randomUUID(), type: 'PartialConfirmed', schemaVersion: 3, data, metadata }]);
    const sent = toEventData(serialized!);
    expect(sent.metadata).toMatchObject({ [SCHEMA_VERSION_KEY]: 3 });

    const read = toRecordedEvent(decodedByClient(stored(sent)).event!);
    expect(read).toEqual({
      id: serialized!.id,
      type: 'PartialConfirmed',
      schemaVersion: 3,
      data,
      metadata,
      stream: 'farmer-abc',
      revision: 4n,
      position: encodePosition({ commit: 1234n, prepare: 1300n }),
      recordedAt: new Date('2026-11-21T20:00:00.123Z'),
    });
  });

  it('gives empty metadata and schemaVersion 1 when none was written', () => {
    const [serialized] = serializeEvents('s', [{ id: randomUUID(), type: 'T', data: [1, 2] }]);
    const read = toRecordedEvent(decodedByClient(stored(toEventData(serialized!))).event!);
    expect(read).toMatchObject({ schemaVersion: 1, metadata: {}, data: [1, 2] });
    const foreign = toRecordedEvent(decodedByClient(stored({ id: randomUUID(), contentType: 'application/json', type: 'T', data: {}, metadata: undefined })).event!);
    expect(foreign).toMatchObject({ schemaVersion: 1, metadata: {} });
  });

  it('refuses an event without a log position (servers before 22.6 leave it out of stream reads)', () => {
    const event = decodedByClient(stored({ id: randomUUID(), contentType: 'application/json', type: 'T', data: {}, metadata: undefined })).event!;
    expect(() => toRecordedEvent({ ...event, position: undefined } as never)).toThrow(/22\.6/);
  });

  it('treats `$` event types and `$` streams as system events, including id claims', () => {
    expect(isSystemEvent({ type: '$statsCollected', streamId: 'anything' })).toBe(true);
    expect(isSystemEvent({ type: 'Whatever', streamId: '$$farmer-1' })).toBe(true);
    expect(isSystemEvent({ type: 'PartialSubmitted', streamId: 'farmer-1' })).toBe(false);
    const id = randomUUID();
    expect(isSystemEvent({ type: claimEventData(id, 'farmer-1').type, streamId: claimStreamName(id) })).toBe(true);
  });
});

describe('event id claims', () => {
  it('names one claim stream per event id and gives a claim an id fixed by (event id, stream)', () => {
    const id = randomUUID();
    expect(claimStreamName(id)).toContain(id);
    expect(claimStreamName(id)).not.toBe(claimStreamName(randomUUID()));
    // Same pair: the same claim id, which the server answers idempotently; another stream: a different one.
    expect(claimEventData(id, 'farmer-1').id).toBe(claimEventData(id, 'farmer-1').id);
    expect(claimEventData(id, 'farmer-1').id).not.toBe(claimEventData(id, 'farmer-2').id);
    expect(claimEventData(id, 'farmer-1').id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(claimEventData(id, 'farmer-1').data).toEqual({ stream: 'farmer-1' });
  });
});

describe('server-side subscription filters', () => {
  it('filters on stream prefixes when there are some, otherwise leaves out system events by type', () => {
    expect(toServerFilter({ streamPrefixes: ['farmer-', 'payout-'] })).toMatchObject({ filterOn: 'streamName', prefixes: ['farmer-', 'payout-'] });
    const noPrefixes = toServerFilter({ types: ['PartialSubmitted'] });
    expect(noPrefixes).toMatchObject({ filterOn: 'eventType' });
    const regex = new RegExp((noPrefixes as { regex: string }).regex);
    expect(regex.test('$statsCollected')).toBe(false);
    expect(regex.test('PartialSubmitted')).toBe(true);
    expect(toServerFilter(undefined)).toEqual(noPrefixes);
    expect(toServerFilter({ streamPrefixes: [] })).toEqual(noPrefixes);
  });
});
