import {
  ANY,
  ErrorType,
  excludeSystemEvents,
  NO_STREAM,
  STREAM_EXISTS,
  streamNameFilter,
  type AppendExpectedRevision,
  type EventData,
  type Filter,
  type JSONType,
  type Position,
  type RecordedEvent as EsdbRecordedEvent,
} from '@eventstore/db-client';
import { encodeSequence, type SerializedEvent } from '../append-rules';
import { deterministicEventId } from '@pool/event-sourcing';
import { StreamNotFoundError, WrongExpectedRevisionError } from '@pool/event-sourcing';
import type { EventFilter, ExpectedRevision, GlobalPosition, JsonObject, RecordedEvent } from '@pool/event-sourcing';

/**
 * Pure translations between the port's vocabulary and @eventstore/db-client v6. Kept apart from the
 * adapter so they are tested without a server (none can run on the project's machines).
 */

/** Metadata key that carries NewEvent.schemaVersion; removed again on read so metadata round-trips. */
export const SCHEMA_VERSION_KEY = '$schemaVersion';

const POSITION = /^(\d{20}):(\d{20})$/;

/** `commit:prepare`, both zero-padded: plain string order is then the order of the transaction log. */
export function encodePosition(position: Position): GlobalPosition {
  return `${encodeSequence(position.commit)}:${encodeSequence(position.prepare)}` as GlobalPosition;
}

export function decodePosition(position: GlobalPosition): Position {
  const match = POSITION.exec(position);
  if (!match) throw new TypeError(`${JSON.stringify(position)} is not an EventStoreDB position`);
  return { commit: BigInt(match[1]!), prepare: BigInt(match[2]!) };
}

export function toClientExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      return expected;
  }
}

/** Client errors are matched by their `type` tag, which survives duplicate copies of the package. */
function hasErrorType(error: unknown, type: ErrorType): boolean {
  return typeof error === 'object' && error !== null && (error as { type?: unknown }).type === type;
}

export function isWrongExpectedVersion(error: unknown): boolean {
  return hasErrorType(error, ErrorType.WRONG_EXPECTED_VERSION);
}

/** The client's WrongExpectedVersionError becomes ours (with our view of `expected`); anything else passes through. */
export function toAppendError(error: unknown, stream: string, expected: ExpectedRevision): unknown {
  if (!isWrongExpectedVersion(error)) return error;
  const actual = (error as { actualVersion?: unknown }).actualVersion;
  return new WrongExpectedRevisionError(stream, expected, typeof actual === 'bigint' ? actual : 'no_stream');
}

export function isStreamNotFound(error: unknown): boolean {
  return hasErrorType(error, ErrorType.STREAM_NOT_FOUND);
}

export function toReadError(error: unknown, stream: string): unknown {
  return isStreamNotFound(error) ? new StreamNotFoundError(stream) : error;
}

/** Sends the data already validated by serializeEvents; the schema version travels in the metadata. */
export function toEventData(event: SerializedEvent): EventData {
  const metadata = { ...(JSON.parse(event.metadata) as JsonObject), [SCHEMA_VERSION_KEY]: event.schemaVersion };
  return {
    id: event.id,
    contentType: 'application/json',
    type: event.type,
    data: JSON.parse(event.data) as JSONType,
    metadata,
  };
}

/**
 * EventStoreDB checks event ids only inside one stream, while the contract (like the SQL adapters'
 * unique index) refuses an id that is already stored in another stream. So before appending, each id
 * is claimed in a stream of its own with NO_STREAM, which the server checks strongly: the same
 * (id, stream) claim again is an idempotent success, a claim for another stream a wrong version.
 */
export const CLAIM_STREAM_PREFIX = '_event-id-';
/** A `$` type keeps claims out of every read, like the server's own events. */
export const CLAIM_EVENT_TYPE = '$EventIdClaimed';

export function claimStreamName(eventId: string): string {
  return `${CLAIM_STREAM_PREFIX}${eventId}`;
}

export function claimEventData(eventId: string, stream: string): EventData {
  return {
    id: deterministicEventId('eventstoredb-claim', eventId, stream),
    contentType: 'application/json',
    type: CLAIM_EVENT_TYPE,
    data: { stream },
    metadata: undefined,
  };
}

/** ESDB's own events ($statsCollected, $metadata, links `$>`, ...) and anything in a `$` stream. */
export function isSystemEvent(event: Pick<EsdbRecordedEvent, 'type' | 'streamId'>): boolean {
  return event.type.startsWith('$') || event.streamId.startsWith('$');
}

export function toRecordedEvent(event: EsdbRecordedEvent): RecordedEvent {
  if (!event.position) {
    throw new Error(`event ${event.id} came without a log position: the server must be EventStoreDB 22.6 or newer`);
  }
  const { [SCHEMA_VERSION_KEY]: schemaVersion, ...metadata } = isJsonObject(event.metadata) ? event.metadata : {};
  return {
    id: event.id,
    type: event.type,
    schemaVersion: typeof schemaVersion === 'number' ? schemaVersion : 1,
    data: event.data,
    metadata,
    stream: event.streamId,
    revision: event.revision,
    position: encodePosition(event.position),
    recordedAt: event.created,
  };
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

/**
 * The server-side part of a subscription filter. v6 filters on stream names or on event types, not
 * both, so type filters (and the exact-match semantics of matchesFilter) are applied client-side.
 */
export function toServerFilter(filter: EventFilter | undefined): Filter {
  const prefixes = filter?.streamPrefixes;
  return prefixes && prefixes.length > 0 ? streamNameFilter({ prefixes: [...prefixes] }) : excludeSystemEvents();
}
