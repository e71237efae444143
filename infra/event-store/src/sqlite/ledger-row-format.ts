import type Database from 'better-sqlite3';
import { uuidFromHex } from '@pool/event-sourcing';
import { hexTailedNameBytes, ID_BYTES } from '../hex-tailed-names';
import { NEWEST_LEDGER_FORMAT, type LedgerFormat } from '../ledger-format';
import { packJson, sharedNumbersInHex, unpackJson, unpackJsonHex, type ValueDictionary } from '../packed-json';
import { RecentlyUsed } from '../recently-used';

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
 * - Format 3: format 2, and what each row repeated is stored once (about three quarters of format 2 per partial):
 *   - each stream's name in es_stream_names and each event type's in es_event_types, once; a row holds their numbers,
 *     so the (stream, stream_revision) index holds a number where format 2 held a 40-byte name;
 *   - packed data points to the id its stream is named by (the proof hash of `partial-<proofHash>`) with one byte
 *     (packed-json.ts), instead of repeating its 32 bytes;
 *   - the hex values many events share (a farmer's launcher id, its harvesters and plots, a signage point:
 *     SHARED_VALUE_KEYS, up to 64 bytes) are stored once, in es_values, and packed data holds their numbers there.
 *   Readers join the names back (by primary key), so a row reads back as in the other formats. es_streams is a view, as
 *   in format 2; a build from before format 3 refuses the file by its user_version.
 *
 * Readers decode each value by what it is (text or bytes), so they read every format.
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

const EVENTS_TABLE_FORMAT_3 = `
  CREATE TABLE es_stream_names (
    id   INTEGER PRIMARY KEY,
    name BLOB    NOT NULL UNIQUE
  );
  CREATE TABLE es_event_types (
    id   INTEGER PRIMARY KEY,
    name TEXT    NOT NULL UNIQUE
  );
  CREATE TABLE es_values (
    id    INTEGER PRIMARY KEY,
    value BLOB    NOT NULL UNIQUE
  );
  CREATE TABLE es_events (
    global_position INTEGER PRIMARY KEY AUTOINCREMENT,
    stream          INTEGER NOT NULL REFERENCES es_stream_names (id),
    stream_revision INTEGER NOT NULL,
    event_id        BLOB    NOT NULL UNIQUE,
    type            INTEGER NOT NULL REFERENCES es_event_types (id),
    schema_version  INTEGER NOT NULL,
    data            BLOB    NOT NULL,
    metadata        BLOB    NOT NULL,
    recorded_at     INTEGER NOT NULL,
    UNIQUE (stream, stream_revision)
  );
  CREATE VIEW es_streams AS SELECT n.name AS stream_id, MAX(e.stream_revision) AS revision
    FROM es_events e JOIN es_stream_names n ON n.id = e.stream GROUP BY e.stream;
`;

const TABLES_BY_FORMAT: Record<LedgerFormat, string> = { 1: EVENTS_TABLE_FORMAT_1, 2: EVENTS_TABLE_FORMAT_2, 3: EVENTS_TABLE_FORMAT_3 };

/**
 * Creates the ledger's tables in the newest format when it has none (several connections may race to: the write
 * lock decides), and answers the format it is in.
 */
export function createOrReadLedgerFormat(db: Database.Database, newFormat: LedgerFormat = NEWEST_LEDGER_FORMAT.sqlite): LedgerFormat {
  return db.transaction((): LedgerFormat => {
    if (hasEventsTable(db)) return readLedgerFormat(db);
    db.exec(TABLES_BY_FORMAT[newFormat]);
    if (newFormat !== 1) db.pragma(`user_version = ${newFormat}`);
    return newFormat;
  }).immediate();
}

/** The format of a ledger whose tables exist. */
export function readLedgerFormat(db: Database.Database): LedgerFormat {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version === 0) return 1;
  if (version === 2 || version === 3) return version;
  throw new Error(`the ledger is in format ${version}, which this build does not know (it reads formats 1 to 3): use a newer build`);
}

export function hasEventsTable(db: Database.Database): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'es_events'").get() !== undefined;
}

/*
 * Reading. A blob column reaches JavaScript as a Buffer of its own, which costs the driver and the garbage collector
 * about 1.4 µs a row, more than JSON.parse of the whole event; a string costs a fraction. So readers ask SQLite to
 * spell everything as text: stream names and ids as they were appended, and packed JSON in hex followed by a `~`
 * (which no JSON text ends with), decoded by unpackJsonHex without a Buffer per row.
 */

/** A stored stream name (the SQL `column` holding it) as text: for reads and for prefix filters. */
function streamNameText(column: string): string {
  return `CASE WHEN typeof(${column}) = 'blob'
  THEN CAST(substr(${column}, 1, length(${column}) - ${ID_BYTES}) AS TEXT) || lower(hex(substr(${column}, -${ID_BYTES}))) ELSE ${column} END`;
}

/**
 * A row's event id as text, in SQL: format 1's UUID as it was appended, format 2's 16 bytes as 32 hex digits (read it
 * with eventIdFromRow). Spelling the UUID's dashes in SQL took five hex() calls a row, a third of what SQLite spent on
 * a row; JavaScript puts them back for less.
 */
export const EVENT_ID_SQL = `CASE WHEN typeof(event_id) = 'blob' THEN lower(hex(event_id)) ELSE event_id END`;

/** The UUID an event was appended with, from EVENT_ID_SQL: 32 hex digits are an id stored as bytes (a UUID has dashes). */
export function eventIdFromRow(value: string): string {
  return value.length === 32 ? uuidFromHex(value) : value;
}

const PACKED_TEXT_MARK = '~';

/** A row's data as text, in SQL: JSON text (format 1) or the packed JSON in hex and `~`. */
export const DATA_SQL = `CASE WHEN typeof(data) = 'blob' THEN hex(data) || '${PACKED_TEXT_MARK}' ELSE data END`;

/** A row's metadata as DATA_SQL spells data, but null for the packed empty object most events carry. */
export const METADATA_SQL = `CASE WHEN typeof(metadata) != 'blob' THEN metadata
  WHEN metadata = X'${packJson({}).toString('hex')}' THEN NULL ELSE hex(metadata) || '${PACKED_TEXT_MARK}' END`;

/** The data of an event of `stream` as DATA_SQL spells it (format 3: with the ledger's dictionary). */
export function dataFromRow(value: string, stream: string, dictionary?: ValueDictionary): unknown {
  return value.endsWith(PACKED_TEXT_MARK) ? unpackJsonHex(value, stream, dictionary) : JSON.parse(value);
}

/** The metadata of an event of `stream` as METADATA_SQL spells it. */
export function metadataFromRow(value: string | null, stream: string, dictionary?: ValueDictionary): Record<string, unknown> {
  return (value === null ? {} : dataFromRow(value, stream, dictionary)) as Record<string, unknown>;
}

/**
 * Values a reader looked up in a ledger's es_values, kept: a replay meets the same launchers, harvesters and signage
 * points again and again. At about 140 bytes an entry, 32,768 cost a reader (the audit has two) about 4.6 MB at most;
 * 65,536, as PostgreSQL's readers keep, took the in-order audit of 5.3M events to 298 MB, against its bound of 300.
 */
const DICTIONARY_CACHE_SIZE = 32_768;

/**
 * A format 3 table's number for a name or value (its `column`), added when new. Looked up every time rather than
 * remembered: an append that fails is rolled back with the rows it added, and a remembered number would then point
 * to nothing.
 */
export function numberer(db: Database.Database, table: 'es_stream_names' | 'es_event_types' | 'es_values', column: 'name' | 'value'): (stored: Stored) => number {
  const find = db.prepare<[Stored], number>(`SELECT id FROM ${table} WHERE ${column} = ?`).pluck();
  const add = db.prepare<[Stored]>(`INSERT INTO ${table} (${column}) VALUES (?)`);
  return (stored) => find.get(stored) ?? Number(add.run(stored).lastInsertRowid);
}

/**
 * A format 3 ledger's es_values on one connection (packed-json.ts ValueDictionary). Numbers are handed out inside the
 * append's transaction, so a failed append takes back the values it added. Only what is read is remembered (a number
 * names its value for good once committed, and a reader sees only what was); what an append adds is looked up anew.
 */
export class SqliteValueDictionary implements ValueDictionary {
  private readonly number;
  private readonly hexById;
  private readonly hexByIds;
  private readonly read = new RecentlyUsed<number, string>(DICTIONARY_CACHE_SIZE);
  /** The values of the page prefetched last, all of them, whatever `read` has room for. */
  private page = new Map<number, string>();

  constructor(db: Database.Database) {
    this.number = numberer(db, 'es_values', 'value');
    this.hexById = db.prepare<[number], string>('SELECT lower(hex(value)) FROM es_values WHERE id = ?').pluck();
    this.hexByIds = db.prepare<[string], [number, string]>('SELECT id, lower(hex(value)) FROM es_values WHERE id IN (SELECT value FROM json_each(?))').raw(true);
  }

  /**
   * Looks up, in one query, every value the rows' data and metadata (as DATA_SQL spells them) name that is not
   * remembered: a statement per value cost a replay several µs a partial where the ledger meets many plots. The page's
   * values are then at hand until the next page, so none is looked up twice while its rows are decoded.
   */
  prefetch(spelled: Iterable<string | null>): void {
    const numbers = new Set<number>();
    for (const value of spelled) if (value !== null && value.endsWith(PACKED_TEXT_MARK)) sharedNumbersInHex(value, numbers);
    const page = new Map<number, string>();
    const missing: number[] = [];
    for (const number of numbers) {
      const hex = this.read.get(number);
      if (hex === undefined) missing.push(number);
      else page.set(number, hex);
    }
    if (missing.length > 0) {
      for (const [number, hex] of this.hexByIds.all(JSON.stringify(missing))) {
        page.set(number, hex);
        this.read.set(number, hex);
      }
    }
    this.page = page;
  }

  numberOf(hex: string): number {
    return this.number(Buffer.from(hex, 'hex'));
  }

  hexOf(number: number): string {
    let hex = this.page.get(number) ?? this.read.get(number);
    if (hex !== undefined) return hex;
    hex = this.hexById.get(number);
    if (hex === undefined) throw new Error(`the ledger's data names value ${number}, which es_values does not hold`);
    this.read.set(number, hex);
    return hex;
  }
}

/** The dictionary of a ledger of `format` on `db`: format 3's es_values, none before. */
export function valueDictionary(db: Database.Database, format: LedgerFormat): SqliteValueDictionary | undefined {
  return format === 3 ? new SqliteValueDictionary(db) : undefined;
}

/** What a row holds for a stream name, an event id, an event's JSON: text, or bytes from format 2 on. */
export type Stored = string | Buffer;

export interface RowEncoding {
  readonly format: LedgerFormat;
  /** A stream name as stored: in es_events (formats 1 and 2) or in es_stream_names (format 3). */
  stream(name: string): Stored;
  eventId(id: string): Stored;
  /** From the JSON text serializeEvents made, for an event of `stream` (format 3: with the ledger's dictionary). */
  json(text: string, stream: string, dictionary?: ValueDictionary): Stored;
  /** SQL for a stream's current revision, given stream(name) (read it with revisionOf). */
  readonly streamRevisionSql: string;
  /** SQL: the rows as readers take them (SELECT columns FROM source), names and ids as text. */
  readonly rows: { columns: string; source: string };
  /** SQL: a row of the stream given as stream(name). */
  readonly rowOfStream: string;
  /** SQL: a row's stream name, as text (for prefix filters). */
  readonly streamNameSql: string;
  /** SQL: a row whose type is one of `count` names (parameters). */
  typeIn(count: number): string;
}

/** The rows as readers take them, whatever the format: each column as text (see Reading above). */
const rowColumns = (streamName: string, type: string): string =>
  `global_position, ${streamName} AS stream_id, stream_revision, ${EVENT_ID_SQL} AS event_id, ${type} AS type, schema_version,
  ${DATA_SQL} AS data, ${METADATA_SQL} AS metadata, recorded_at`;

const FORMAT_1: RowEncoding = {
  format: 1,
  stream: (name) => name,
  eventId: (id) => id,
  json: (text) => text,
  streamRevisionSql: 'SELECT revision FROM es_streams WHERE stream_id = ?',
  rows: { columns: rowColumns(streamNameText('stream_id'), 'type'), source: 'es_events' },
  rowOfStream: 'stream_id = ?',
  streamNameSql: streamNameText('stream_id'),
  typeIn: (count) => `type IN (${Array(count).fill('?').join(',')})`,
};

const FORMAT_2: RowEncoding = {
  ...FORMAT_1,
  format: 2,
  stream: (name) => hexTailedNameBytes(name) ?? name,
  eventId: (id) => Buffer.from(id.replaceAll('-', ''), 'hex'),
  json: (text) => packJson(JSON.parse(text)),
  streamRevisionSql: 'SELECT MAX(stream_revision) AS revision FROM es_events WHERE stream_id = ?',
};

/** A format 3 row's stream, by its stored name (one parameter). */
const STREAM_NUMBER_SQL = '(SELECT id FROM es_stream_names WHERE name = ?)';

const FORMAT_3: RowEncoding = {
  ...FORMAT_2,
  format: 3,
  json: (text, stream, dictionary) => packJson(JSON.parse(text), stream, dictionary),
  streamRevisionSql: `SELECT MAX(stream_revision) AS revision FROM es_events WHERE stream = ${STREAM_NUMBER_SQL}`,
  // By primary key, once per row; the names the rows point to exist before them (the writer adds both in one transaction).
  rows: {
    columns: rowColumns(streamNameText('n.name'), 't.name'),
    source: 'es_events JOIN es_stream_names n ON n.id = es_events.stream JOIN es_event_types t ON t.id = es_events.type',
  },
  rowOfStream: `stream = ${STREAM_NUMBER_SQL}`,
  streamNameSql: streamNameText('n.name'),
  // On the row's own type number, so that a row of another type is passed over before its names are joined.
  typeIn: (count) => `type IN (SELECT id FROM es_event_types WHERE name IN (${Array(count).fill('?').join(',')}))`,
};

/** What streamRevisionSql answers: no row (format 1) or a null revision (formats 2 and 3) when the stream does not exist. */
export type RevisionRow = { revision: number | null } | undefined;

export function revisionOf(row: RevisionRow): bigint | undefined {
  return row === undefined || row.revision === null ? undefined : BigInt(row.revision);
}

export function rowEncoding(format: LedgerFormat): RowEncoding {
  return { 1: FORMAT_1, 2: FORMAT_2, 3: FORMAT_3 }[format];
}

/*
 * For tests and tools that read or change a ledger file's rows themselves (a doctored copy for the audit's specs),
 * in whatever format the file is.
 */

/** The positions of the events of `type`, oldest first. */
export function positionsOfType(db: Database.Database, type: string): number[] {
  const encode = rowEncoding(readLedgerFormat(db));
  return db.prepare<[string], number>(`SELECT global_position FROM ${encode.rows.source} WHERE ${encode.typeIn(1)} ORDER BY global_position`).pluck().all(type);
}

/** The data of the event at `position`, decoded, and a way to store other data in its place (as the format spells it). */
export function storedData(db: Database.Database, position: number): { data: unknown; replace(data: unknown): void } {
  const format = readLedgerFormat(db);
  const encode = rowEncoding(format);
  const dictionary = valueDictionary(db, format);
  const row = db
    .prepare<[number], { stream: string; data: Stored }>(`SELECT ${encode.streamNameSql} AS stream, data FROM ${encode.rows.source} WHERE global_position = ?`)
    .get(position);
  if (row === undefined) throw new Error(`no event at position ${position}`);
  return {
    data: typeof row.data === 'string' ? JSON.parse(row.data) : unpackJson(row.data, row.stream, dictionary),
    replace: (data) => void db.prepare('UPDATE es_events SET data = ? WHERE global_position = ?').run(encode.json(JSON.stringify(data), row.stream, dictionary), position),
  };
}
