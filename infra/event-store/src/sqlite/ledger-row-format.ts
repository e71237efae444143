import type Database from 'better-sqlite3';
import { hexTailedName, hexTailedNameBytes } from '../hex-tailed-names';
import { NEWEST_LEDGER_FORMAT, type LedgerFormat } from '../ledger-format';
import { packJson, unpackJson } from '../packed-json';

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
 *   - no es_streams: a stream's revision is the newest stream_revision of its rows, one seek in the
 *     (stream_id, stream_revision) index every ledger already has. A partial's stream then costs no row of its own.
 *
 * Readers decode each value by what it is (text or bytes), so they read either format.
 */

/** A format 2 row's stream name as text, in SQL (prefix filters): registerLedgerFunctions defines it. */
const STREAM_NAME_FUNCTION = 'ledger_stream_name';

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
  /** SQL for a stream's current revision (a row with `revision` null or none when the stream does not exist). */
  readonly streamRevisionSql: string;
  /** SQL that names a row's stream as text, for prefix filters. */
  readonly streamNameSql: string;
}

const FORMAT_1: RowEncoding = {
  format: 1,
  stream: (name) => name,
  eventId: (id) => id,
  json: (text) => text,
  streamRevisionSql: 'SELECT revision FROM es_streams WHERE stream_id = ?',
  streamNameSql: 'stream_id',
};

const FORMAT_2: RowEncoding = {
  format: 2,
  stream: encodeStreamName,
  eventId: (id) => Buffer.from(id.replaceAll('-', ''), 'hex'),
  json: (text) => packJson(JSON.parse(text)),
  streamRevisionSql: 'SELECT MAX(stream_revision) AS revision FROM es_events WHERE stream_id = ?',
  streamNameSql: `${STREAM_NAME_FUNCTION}(stream_id)`,
};

export function rowEncoding(format: LedgerFormat): RowEncoding {
  return format === 1 ? FORMAT_1 : FORMAT_2;
}

/** The SQL function a format 2 reader needs for prefix filters; registered on every connection that reads. */
export function registerLedgerFunctions(db: Database.Database): void {
  db.function(STREAM_NAME_FUNCTION, { deterministic: true }, (value: unknown) => decodeStreamName(value as Stored));
}

function encodeStreamName(name: string): Stored {
  return hexTailedNameBytes(name) ?? name;
}

export function decodeStreamName(value: Stored): string {
  return typeof value === 'string' ? value : hexTailedName(value);
}

export function decodeEventId(value: Stored): string {
  if (typeof value === 'string') return value;
  const hex = value.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function decodeJson(value: Stored): unknown {
  return typeof value === 'string' ? JSON.parse(value) : unpackJson(value);
}
