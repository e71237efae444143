import type Database from 'better-sqlite3';
import { hexTailedNameBytes, ID_BYTES } from '../hex-tailed-names';
import { NEWEST_LEDGER_FORMAT, type LedgerFormat } from '../ledger-format';
import { packJson, unpackJson, unpackJsonHex } from '../packed-json';

/**
 * How a SQLite ledger spells its rows (ledger-format.ts). The format is the file's `PRAGMA user_version`.
 *
 * - Format 1 (user_version 0: every ledger created before format 2): ids, stream names, data and metadata as text
 *   (JSON), and each stream's revision in es_streams.
 * - Format 2: what a partial leaves in the ledger, about half of format 1 (`npm run bench:load` prints the bytes):
 *   - event ids as their 16 bytes;
 *   - a stream name ending in 64 hex digits (`partial-<proofHash>`, `farmer-<launcherId>`, ...) as its printable
 *     head and the 32 bytes those digits spell; other names as text;
 *   - data and metadata as packed JSON (packed-json.ts);
 *   - no es_streams table: a stream's revision is the newest stream_revision of its rows, one seek in the
 *     (stream_id, stream_revision) index every ledger already has. A partial's stream then costs no row of its own.
 *     es_streams is a view of those revisions instead: a build from before format 2 finds it where it looks for its
 *     table and cannot write through it, so it refuses to append (rather than write text rows beside packed ones,
 *     where its lookups by text would not see a partial already stored).
 *
 * Readers decode each value by what it is (text or bytes), so they read either format.
 */

const EVENTS_TABLE_FORMAT_1 = `
  CREATE TABLE IF NOT EXISTS es_streams (
    stream_id TEXT PRIMARY KEY,
    revision  INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS es_events (
    global_position INTEGER PRIMARY KEY AUTOINCREMENT,
    stream_id       TEXT    NOT NULL,
    stream_revision INTEGER NOT NULL,
    event_id        TEXT    NOT NULL UNIQUE,
    type            TEXT    NOT NULL,
    schema_version  INTEGER NOT NULL,
    data            TEXT    NOT NULL,
    metadata        TEXT    NOT NULL,
    recorded_at     INTEGER NOT NULL,
    UNIQUE (stream_id, stream_revision)
  );
`;

// BLOB columns have no affinity: text stays text and bytes stay bytes, so a format 2 ledger may hold both.
const EVENTS_TABLE_FORMAT_2 = `
  CREATE TABLE es_events (
    global_position INTEGER PRIMARY KEY AUTOINCREMENT,
    stream_id       BLOB    NOT NULL,
    stream_revision INTEGER NOT NULL,
    event_id        BLOB    NOT NULL UNIQUE,
    type            TEXT    NOT NULL,
    schema_version  INTEGER NOT NULL,
    data            BLOB    NOT NULL,
    metadata        BLOB    NOT NULL,
    recorded_at     INTEGER NOT NULL,
    UNIQUE (stream_id, stream_revision)
  );
  CREATE VIEW es_streams AS SELECT stream_id, MAX(stream_revision) AS revision FROM es_events GROUP BY stream_id;
`;

/**
 * Creates the ledger's tables in the newest format when it has none (several connections may race to: the write
 * lock decides), and answers the format it is in.
 */
export function createOrReadLedgerFormat(db: Database.Database, newFormat: LedgerFormat = NEWEST_LEDGER_FORMAT): LedgerFormat {
  return db.transaction((): LedgerFormat => {
    if (hasEventsTable(db)) return readLedgerFormat(db);
    db.exec(newFormat === 1 ? EVENTS_TABLE_FORMAT_1 : EVENTS_TABLE_FORMAT_2);
    if (newFormat !== 1) db.pragma(`user_version = ${newFormat}`);
    return newFormat;
  }).immediate();
}

/** The format of a ledger whose tables exist. */
export function readLedgerFormat(db: Database.Database): LedgerFormat {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version === 0) return 1;
  if (version === 2) return 2;
  throw new Error(`the ledger is in format ${version}, which this build does not know (it reads formats 1 and 2): use a newer build`);
}

export function hasEventsTable(db: Database.Database): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'es_events'").get() !== undefined;
}

/** What a row holds for a stream name, an event id, an event's JSON: text, or bytes in format 2. */
export type Stored = string | Buffer;

export interface RowEncoding {
  readonly format: LedgerFormat;
  stream(name: string): Stored;
  eventId(id: string): Stored;
  /** From the JSON text serializeEvents made. */
  json(text: string): Stored;
  /** SQL for a stream's current revision (read it with revisionOf). */
  readonly streamRevisionSql: string;
}

const FORMAT_1: RowEncoding = {
  format: 1,
  stream: (name) => name,
  eventId: (id) => id,
  json: (text) => text,
  streamRevisionSql: 'SELECT revision FROM es_streams WHERE stream_id = ?',
};

const FORMAT_2: RowEncoding = {
  format: 2,
  stream: (name) => hexTailedNameBytes(name) ?? name,
  eventId: (id) => Buffer.from(id.replaceAll('-', ''), 'hex'),
  json: (text) => packJson(JSON.parse(text)),
  streamRevisionSql: 'SELECT MAX(stream_revision) AS revision FROM es_events WHERE stream_id = ?',
};

/** What streamRevisionSql answers: no row (format 1) or a null revision (format 2) when the stream does not exist. */
export type RevisionRow = { revision: number | null } | undefined;

export function revisionOf(row: RevisionRow): bigint | undefined {
  return row === undefined || row.revision === null ? undefined : BigInt(row.revision);
}

export function rowEncoding(format: LedgerFormat): RowEncoding {
  return format === 1 ? FORMAT_1 : FORMAT_2;
}

/*
 * Reading. A blob column reaches JavaScript as a Buffer of its own, which costs the driver and the garbage collector
 * about 1.4 µs a row, more than JSON.parse of the whole event; a string costs a fraction. So readers ask SQLite to
 * spell everything as text: stream names and ids as they were appended, and packed JSON in hex followed by a `~`
 * (which no JSON text ends with), decoded by unpackJsonHex without a Buffer per row.
 */

/** A row's stream name as text, in SQL (either format): for reads and for prefix filters. */
export const STREAM_NAME_SQL = `CASE WHEN typeof(stream_id) = 'blob'
  THEN CAST(substr(stream_id, 1, length(stream_id) - ${ID_BYTES}) AS TEXT) || lower(hex(substr(stream_id, -${ID_BYTES}))) ELSE stream_id END`;

/** A row's event id as text, in SQL: the UUID it was appended with, in either format (one flat string for JavaScript). */
export const EVENT_ID_SQL = `CASE WHEN typeof(event_id) = 'blob' THEN lower(
    hex(substr(event_id, 1, 4)) || '-' || hex(substr(event_id, 5, 2)) || '-' || hex(substr(event_id, 7, 2)) || '-' ||
    hex(substr(event_id, 9, 2)) || '-' || hex(substr(event_id, 11, 6))) ELSE event_id END`;

const PACKED_TEXT_MARK = '~';

/** A row's data as text, in SQL: JSON text (format 1) or the packed JSON in hex and `~`. */
export const DATA_SQL = `CASE WHEN typeof(data) = 'blob' THEN hex(data) || '${PACKED_TEXT_MARK}' ELSE data END`;

/** A row's metadata as DATA_SQL spells data, but null for the packed empty object most events carry. */
export const METADATA_SQL = `CASE WHEN typeof(metadata) != 'blob' THEN metadata
  WHEN metadata = X'${packJson({}).toString('hex')}' THEN NULL ELSE hex(metadata) || '${PACKED_TEXT_MARK}' END`;

/** An event's data as DATA_SQL spells it. */
export function dataFromRow(value: string): unknown {
  return value.endsWith(PACKED_TEXT_MARK) ? unpackJsonHex(value) : JSON.parse(value);
}

/** An event's metadata as METADATA_SQL spells it. */
export function metadataFromRow(value: string | null): Record<string, unknown> {
  return (value === null ? {} : dataFromRow(value)) as Record<string, unknown>;
}

/** A data or metadata column's value as stored (for tools and tests that read rows themselves). */
export function decodeStoredJson(value: Stored): unknown {
  return typeof value === 'string' ? JSON.parse(value) : unpackJson(value);
}
