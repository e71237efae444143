import { InvalidEventError, WrongExpectedRevisionError } from '@pool/event-sourcing';
import type { AppendResult, EventFilter, ExpectedRevision, GlobalPosition, NewEvent } from '@pool/event-sourcing';

/** Rules every adapter applies the same way, so the contract suite tests one behaviour. */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface SerializedEvent {
  id: string;
  type: string;
  schemaVersion: number;
  data: string;
  metadata: string;
}

/** Validates and serializes once, before any transaction is opened. */
export function serializeEvents(stream: string, events: readonly NewEvent[]): SerializedEvent[] {
  if (stream.length === 0) throw new InvalidEventError('stream name is empty');
  if (events.length === 0) throw new InvalidEventError(`append to ${stream} with no events`);
  const ids = new Set<string>();
  return events.map((event) => {
    if (!UUID.test(event.id)) throw new InvalidEventError(`event id ${JSON.stringify(event.id)} is not a UUID`);
    const id = event.id.toLowerCase();
    if (ids.has(id)) throw new InvalidEventError(`event id ${id} appears twice in one append`);
    ids.add(id);
    if (!event.type) throw new InvalidEventError('event type is empty');
    let data: string;
    let metadata: string;
    try {
      data = JSON.stringify(event.data);
      metadata = JSON.stringify(event.metadata ?? {});
    } catch (error) {
      // bigint amounts must be decimal strings in events; JSON.stringify refuses them, so do we.
      throw new InvalidEventError(`event ${event.type} is not JSON: ${(error as Error).message}`);
    }
    if (data === undefined) throw new InvalidEventError(`event ${event.type} has no data`);
    return { id, type: event.type, schemaVersion: event.schemaVersion ?? 1, data, metadata };
  });
}

/** Throws when the stream's current revision (undefined: no stream) does not satisfy the expectation. */
export function checkExpectedRevision(
  stream: string,
  expected: ExpectedRevision,
  current: bigint | undefined,
): void {
  const ok =
    expected === 'any' ||
    (expected === 'no_stream' && current === undefined) ||
    (expected === 'stream_exists' && current !== undefined) ||
    (typeof expected === 'bigint' && current === expected);
  if (!ok) throw new WrongExpectedRevisionError(stream, expected, current ?? 'no_stream');
}

export interface StoredEventRef {
  id: string;
  stream: string;
  revision: bigint;
  position: GlobalPosition;
}

/**
 * Called when an append conflicts (wrong revision or an event id already stored). If the very same
 * events already sit in this stream, in order and where the expectation puts them, the append is a
 * retry of one that succeeded: answer with the original result and write nothing. Anything else is
 * a conflict.
 */
export function resolveRetry(
  stream: string,
  expected: ExpectedRevision,
  ids: readonly string[],
  stored: readonly StoredEventRef[],
  current: bigint | undefined,
): AppendResult {
  const byId = new Map(stored.map((ref) => [ref.id, ref]));
  const refs = ids.map((id) => byId.get(id));
  const first = refs[0];
  const expectedFirst = expected === 'no_stream' ? 0n : typeof expected === 'bigint' ? expected + 1n : undefined;
  const sameRun =
    first !== undefined &&
    refs.every((ref, i) => ref !== undefined && ref.stream === stream && ref.revision === first.revision + BigInt(i)) &&
    (expectedFirst === undefined || first.revision === expectedFirst);
  if (!sameRun) {
    const clash = stored.length > 0 ? 'some event ids are already stored elsewhere' : undefined;
    throw new WrongExpectedRevisionError(stream, expected, current ?? 'no_stream', clash);
  }
  const last = refs[refs.length - 1] as StoredEventRef;
  return { nextExpectedRevision: last.revision, position: last.position };
}

export function matchesFilter(stream: string, type: string, filter: EventFilter | undefined): boolean {
  if (!filter) return true;
  if (filter.types && !filter.types.includes(type)) return false;
  if (filter.streamPrefixes && !filter.streamPrefixes.some((prefix) => stream.startsWith(prefix))) return false;
  return true;
}

/** Fixed-width decimal so that string order equals numeric order (20 digits hold any uint64). */
export function encodeSequence(value: bigint | number): string {
  return value.toString().padStart(20, '0');
}
