import { Pool, type PoolConfig } from 'pg';
import {
  encodeSequence,
  resolveRetry,
  serializeEvents,
  type SerializedEvent,
  type StoredEventRef,
} from '../append-rules';
import { StreamNotFoundError, WrongExpectedRevisionError } from '@pool/event-sourcing';
import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  GlobalPosition,
  JsonObject,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  SubscriptionMessage,
} from '@pool/event-sourcing';
import { AppendSignal, pollAll } from '../subscription';
import { hexTailedName, hexTailedNameBytes } from '../hex-tailed-names';
import { packJson, sharedNumbers, sharedValuesIn, unpackJson, type ValueDictionary } from '../packed-json';
import { NEWEST_LEDGER_FORMAT, type LedgerFormat } from '../ledger-format';
import { PostgresDictionaries } from './postgres-dictionaries';
import { WriteBatcher } from './write-batcher';

export interface PostgresEventStoreOptions {
  connectionString: string;
  /** Schema holding the tables; lets tests and several pools share one database. */
  schema?: string;
  poolSize?: number;
  pollIntervalMs?: number;
  /** Read an existing ledger only: no schema or table is created, and a database without one is an error. */
  readOnly?: boolean;
  /** The format a new ledger is created in: the newest unless a test needs a ledger as older builds made it. */
  newLedgerFormat?: LedgerFormat;
}

interface EventRow {
  position: string;
  stream_id: string | Buffer;
  stream_revision: string;
  event_id: string;
  /** The type's name; format 3: its number in es_event_types. */
  type: string | number;
  schema_version: number;
  data: unknown;
  metadata: unknown;
  recorded_ms: number;
}

/** The position is formatted by the server and the time sent as epoch ms: both far cheaper than parsing in JS. */
const POSITION_SQL = `lpad(transaction_id::text, 20, '0') || ':' || lpad(global_position::text, 20, '0')`;
/** The columns readers take, given the ledger's type column (typeColumn). */
const columns = (type: string): string => `${POSITION_SQL} AS position, stream_id, stream_revision, event_id, ${type} AS type, schema_version, data,
  metadata, floor(extract(epoch FROM recorded_at) * 1000)::float8 AS recorded_ms`;
/** The same, for a window of the global order where only the rows a filter keeps carry their payload. */
const windowColumns = (type: string): string => `${POSITION_SQL} AS position, matched, stream_id, stream_revision, event_id, ${type} AS type,
  schema_version, CASE WHEN matched THEN data END AS data, CASE WHEN matched THEN metadata END AS metadata,
  floor(extract(epoch FROM recorded_at) * 1000)::float8 AS recorded_ms`;
/** Only rows of transactions older than every transaction still running: nothing can commit before them any more. */
const VISIBLE = 'transaction_id < pg_snapshot_xmin(pg_current_snapshot())';

/**
 * How a PostgreSQL ledger spells its rows, told by its columns (readFormat):
 * - format 1 (json: every ledger created before format 2): stream names as text, data and metadata as JSON;
 * - format 2 (bytea): a stream name ending in a 64-hex-digit id as a 0xff byte, its head and the id's
 *   32 bytes (hex-tailed-names.ts), other names as UTF-8 (which never holds a 0xff byte); data and metadata as
 *   packed JSON (packed-json.ts); no es_streams: a stream's revision is its last row's, and the unique
 *   (stream_id, stream_revision) key refuses the second of two appends that read the same one (an append that
 *   expects no particular revision then tries again). A partial's stream costs no row and no dead row of its own.
 * - format 3 (new ledgers): format 2, and what many rows repeat stored once (ledger-format.ts):
 *   - the hex values many events share (a launcher, harvester, plot, signage point) in es_values, and each event
 *     type's name in es_event_types; packed data and the row's type_id hold their numbers (postgres-dictionaries.ts);
 *   - packed data points to the id its stream is named by (the proof hash of `partial-<proofHash>`) with one byte;
 *   - the columns ordered so that no row holds padding, and the global order, (transaction_id, global_position), is
 *     the primary key, one index where format 2 keeps two.
 *   Stream names stay in the rows: a table of names would cost a partial's stream (two rows) about what it saves.
 * Event ids are uuid (16 bytes) in all.
 */
const HEX_TAILED = 0xff;

function encodeStreamName(name: string): Buffer {
  return hexTailedNameBytes(name, [HEX_TAILED]) ?? Buffer.from(name, 'utf8');
}

function decodeStreamName(value: string | Buffer): string {
  if (typeof value === 'string') return value;
  return value[0] === HEX_TAILED ? hexTailedName(value, 1) : value.toString('utf8');
}

/** A format 2 or 3 row's stream name as text, in SQL: what decodeStreamName does, for prefix filters. */
const STREAM_NAME_SQL = `CASE WHEN get_byte(stream_id, 0) = ${HEX_TAILED}
  THEN convert_from(substring(stream_id FROM 2 FOR length(stream_id) - 33), 'UTF8') || encode(substring(stream_id FROM length(stream_id) - 31), 'hex')
  ELSE convert_from(stream_id, 'UTF8') END`;

/**
 * Gap-free global order for readers under concurrent writers: a position is (transaction id, sequence),
 * and readers only see transactions below the oldest one still in flight, so a transaction that took
 * an earlier sequence value but commits later can never be skipped by a "position > checkpoint" reader.
 * Writers serialize only per stream (format 1: the es_streams row; formats 2 and 3: the unique (stream, revision) key),
 * not globally (format 3: and briefly per new shared value or type, on its unique key in es_values or es_event_types).
 */
export class PostgresEventStore implements EventStore {
  readonly name = 'postgres';
  private readonly appendSignal = new AppendSignal();
  /** How this ledger spells its rows (see LedgerFormat), read when connecting. */
  private format: LedgerFormat = NEWEST_LEDGER_FORMAT.postgres;
  /**
   * Formats 2 and 3: appends that create a stream with one event (every accepted partial's PartialSubmitted) are written
   * together, one statement and one commit per batch (createStreams); at most two batches are in flight, so the
   * pool's other connections stay free for reads and other appends.
   */
  private readonly creations = new WriteBatcher<StreamCreation, AppendResult | undefined>((items) => this.createStreams(items), {
    maxInFlight: 2,
    maxBatch: 500,
  });

  /** Format 3: es_values and es_event_types. */
  private readonly dictionaries: PostgresDictionaries;

  private constructor(
    private readonly pool: Pool,
    private readonly schema: string,
    private readonly pollIntervalMs: number | undefined,
    private readonly newFormat: LedgerFormat,
  ) {
    this.dictionaries = new PostgresDictionaries(pool, schema);
  }

  static async connect(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    const schema = options.schema ?? 'public';
    if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
    const config: PoolConfig = { connectionString: options.connectionString, max: options.poolSize ?? 10 };
    const pool = new Pool(config);
    pool.on('error', () => undefined); // an idle client dropped by the server is replaced on next use
    const store = new PostgresEventStore(pool, schema, options.pollIntervalMs, options.newLedgerFormat ?? NEWEST_LEDGER_FORMAT.postgres);
    try {
      await (options.readOnly === true ? store.assertLedgerExists() : store.migrate());
      store.format = await store.readFormat();
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw error;
    }
    return store;
  }

  private table(name: 'es_streams' | 'es_events' | 'es_values' | 'es_event_types'): string {
    return `"${this.schema}".${name}`;
  }

  /** For readers: the tables must be there already (a mistyped database or schema holds none). */
  private async assertLedgerExists(): Promise<void> {
    const { rows } = await this.pool.query<{ events: string | null }>('SELECT to_regclass($1)::text AS events', [this.table('es_events')]);
    if (!rows[0]?.events) {
      const database = (await this.pool.query<{ db: string }>('SELECT current_database() AS db')).rows[0]?.db ?? '?';
      throw new Error(`no ledger in PostgreSQL database ${database}, schema ${this.schema}: it has no es_events table (check the event store URL)`);
    }
  }

  private async migrate(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // Several processes may start at once; one creates the schema, the others wait and find it.
      await client.query(`SELECT pg_advisory_xact_lock(hashtext('chia-pool-ledger:es-schema:' || $1::text))`, [this.schema]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${this.schema}"`);
      const { rows } = await client.query<{ events: string | null }>('SELECT to_regclass($1)::text AS events', [this.table('es_events')]);
      if (rows[0]?.events === null) await client.query(this.tablesSql(this.newFormat));
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** The tables of a new ledger; formats 1 and 2 are kept for ledgers created before format 3 (and tests of them). */
  private tablesSql(format: LedgerFormat): string {
    if (format === 3) return this.format3TablesSql();
    const bytes = format === 2;
    const streams = `CREATE TABLE ${this.table('es_streams')} (stream_id text PRIMARY KEY, revision bigint NOT NULL);`;
    return `
      ${bytes ? '' : streams}
      CREATE TABLE ${this.table('es_events')} (
        global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        transaction_id  xid8   NOT NULL DEFAULT pg_current_xact_id(),
        stream_id       ${bytes ? 'bytea' : 'text'}  NOT NULL,
        stream_revision bigint NOT NULL,
        event_id        uuid   NOT NULL UNIQUE,
        type            text   NOT NULL,
        schema_version  int    NOT NULL,
        data            ${bytes ? 'bytea' : 'json'}  NOT NULL,
        metadata        ${bytes ? 'bytea' : 'json'}  NOT NULL,
        recorded_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
        UNIQUE (stream_id, stream_revision)
      );
      CREATE INDEX es_events_global_order ON ${this.table('es_events')} (transaction_id, global_position);
    `;
  }

  private format3TablesSql(): string {
    return `
      CREATE TABLE ${this.table('es_values')} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, value bytea NOT NULL UNIQUE);
      CREATE TABLE ${this.table('es_event_types')} (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL UNIQUE);
      CREATE TABLE ${this.table('es_events')} (
        transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
        global_position bigint      GENERATED ALWAYS AS IDENTITY,
        stream_revision bigint      NOT NULL,
        recorded_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
        event_id        uuid        NOT NULL UNIQUE,
        type_id         integer     NOT NULL,
        schema_version  integer     NOT NULL,
        stream_id       bytea       NOT NULL,
        data            bytea       NOT NULL,
        metadata        bytea       NOT NULL,
        PRIMARY KEY (transaction_id, global_position),
        UNIQUE (stream_id, stream_revision)
      );
    `;
  }

  /** The ledger's format, told by its columns: data as json (format 1) or bytea; then type names (format 2) or type_id numbers (format 3). */
  private async readFormat(): Promise<LedgerFormat> {
    const { rows } = await this.pool.query<{ name: string; type: string }>(
      "SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = to_regclass($1) AND attname IN ('data', 'type', 'type_id') AND NOT attisdropped",
      [this.table('es_events')],
    );
    const column = (name: string): string | undefined => rows.find((row) => row.name === name)?.type;
    const data = column('data');
    if (data === 'json') return 1;
    if (data === 'bytea' && column('type') === 'text') return 2;
    if (data === 'bytea' && column('type_id') === 'integer') return 3;
    throw new Error(`the ledger in schema ${this.schema} has es_events columns ${rows.map((row) => `${row.name} ${row.type}`).join(', ') || 'none'}, a format this build does not know`);
  }

  /** What a row holds for a stream name: text in format 1; bytes from format 2 on (encodeStreamName). */
  private streamKey(name: string): string | Buffer {
    return this.format === 1 ? name : encodeStreamName(name);
  }

  /**
   * The columns an event of `stream` is stored in, as the ledger's format spells them: its type's name (format 3:
   * its number) and its data and metadata as JSON text (format 1), packed (format 2) or packed with the stream's id
   * and the ledger's dictionary (format 3). One dictionary look-up for all of `events`.
   */
  private async storedEvents(events: readonly { stream: string; event: SerializedEvent }[]): Promise<StoredColumns> {
    if (this.format === 1) return { types: events.map((e) => e.event.type), data: events.map((e) => e.event.data), metadata: events.map((e) => e.event.metadata) };
    const parsed = events.map(({ stream, event }) => ({ stream, data: JSON.parse(event.data) as unknown, metadata: JSON.parse(event.metadata) as unknown }));
    if (this.format === 2) return { types: events.map((e) => e.event.type), data: parsed.map((e) => packJson(e.data)), metadata: parsed.map((e) => packJson(e.metadata)) };
    const hexes = new Set<string>();
    for (const e of parsed) {
      sharedValuesIn(e.data, e.stream, hexes);
      sharedValuesIn(e.metadata, e.stream, hexes);
    }
    const [dictionary, types] = await Promise.all([this.dictionaries.forPacking(hexes), this.dictionaries.typeNumbersOf(events.map((e) => e.event.type))]);
    return {
      types,
      data: parsed.map((e) => packJson(e.data, e.stream, dictionary)),
      metadata: parsed.map((e) => packJson(e.metadata, e.stream, dictionary)),
    };
  }

  /**
   * The column holding an event's type: its name in `type` (formats 1 and 2), its number in `type_id` (format 3). A
   * different name, so that a build from before format 3 fails on every read and write of a format 3 ledger, rather than
   * take numbers for type names.
   */
  private get typeColumn(): 'type' | 'type_id' {
    return this.format === 3 ? 'type_id' : 'type';
  }

  /** The SQL type of the type column (and its array parameters). */
  private get typeSql(): string {
    return this.format === 3 ? 'integer' : 'text';
  }

  /**
   * One statement, one round trip: the guard on the stream's revision (format 1: the es_streams row it changes;
   * formats 2 and 3: the stream's last row) and the event rows go together in a data-modifying CTE, which commits
   * atomically on its own (no BEGIN/COMMIT). Every append
   * used to cost four round trips, and under load the socket writes of those trips were the api's largest
   * main-thread cost. When the guard matches no row nothing is inserted and no row comes back.
   */
  async append(stream: string, events: readonly NewEvent[], options: { expectedRevision: ExpectedRevision }): Promise<AppendResult> {
    const serialized = serializeEvents(stream, events);
    const expected = options.expectedRevision;
    if (this.format !== 1 && expected === 'no_stream' && serialized.length === 1) {
      const created = await this.creations.write({ stream, key: this.streamKey(stream) as Buffer, event: serialized[0]! });
      if (created !== undefined) return created;
      // Not written: the stream exists, or the event id is stored already (a retry of this append, or a mistake).
      return this.resolveConflict(stream, expected, serialized, await this.wrongRevision(stream, expected));
    }
    const kind = typeof expected === 'bigint' ? 'revision' : expected;
    const stored = await this.storedEvents(serialized.map((event) => ({ stream, event })));
    const values: unknown[] = [
      this.streamKey(stream),
      serialized.length,
      serialized.map((e) => e.id),
      stored.types,
      serialized.map((e) => e.schemaVersion),
      stored.data,
      stored.metadata,
    ];
    if (typeof expected === 'bigint') values.push(expected.toString());
    let rows: { tx: string; global_position: string; stream_revision: string }[];
    for (let attempt = 1; ; attempt++) {
      try {
        // Named, so each pooled connection parses and plans it once. A name need only be unique on its connection, and
        // the pool is this store's, one schema and one format: a name holding the schema outgrew PostgreSQL's 63
        // characters for a long one (pg warned that statements might clash).
        ({ rows } = await this.pool.query<{ tx: string; global_position: string; stream_revision: string }>({
          name: `es-append-${kind}`,
          text: this.appendSql(kind),
          values,
        }));
        break;
      } catch (error) {
        if (isStreamRevisionViolation(error)) {
          // Formats 2 and 3: another append took these revisions between our read of the stream's last one and our insert.
          // An append that expects no particular revision reads it again; one that expected a revision, or no
          // stream, lost the race.
          if ((kind === 'any' || kind === 'stream_exists') && attempt < MAX_APPEND_ATTEMPTS) continue;
          return this.resolveConflict(stream, expected, serialized, await this.wrongRevision(stream, expected));
        }
        if (!isEventIdViolation(error)) throw error;
        return this.resolveConflict(stream, expected, serialized, error);
      }
    }
    const last = rows.reduce<(typeof rows)[number] | undefined>((a, b) => (a === undefined || BigInt(b.global_position) > BigInt(a.global_position) ? b : a), undefined);
    if (last === undefined) {
      // The guarded statement matched no row, so the stream is not where the writer expected it.
      return this.resolveConflict(stream, expected, serialized, await this.wrongRevision(stream, expected));
    }
    this.appendSignal.notify();
    return { nextExpectedRevision: BigInt(last.stream_revision), position: toPosition(last.tx, last.global_position) };
  }

  /**
   * Formats 2 and 3: creates each stream with its one event, in one statement. A stream is created once: its event is
   * revision 0, so the unique (stream, revision) key turns away a stream that exists, and the unique event id a
   * stored event; ON CONFLICT DO NOTHING skips just those rows (waiting for a concurrent insert of the same key to
   * commit or roll back first), so one refused creation does not refuse the batch. A skipped item is answered
   * undefined; two items of a batch that create one stream are a race the first one wins.
   */
  private async createStreams(items: readonly StreamCreation[]): Promise<PromiseSettledResult<AppendResult | undefined>[]> {
    try {
      return (await this.insertCreations(items)).map((value) => ({ status: 'fulfilled', value }));
    } catch (error) {
      if (items.length === 1) return [{ status: 'rejected', reason: error }];
      // Whatever the database refused (a type name it cannot store, say) must fail only its own append: each again alone.
      return Promise.allSettled(items.map(async (item) => (await this.insertCreations([item]))[0]));
    }
  }

  private async insertCreations(items: readonly StreamCreation[]): Promise<(AppendResult | undefined)[]> {
    const stored = await this.storedEvents(items);
    const { rows } = await this.pool.query<{ id: string; stream_id: Buffer; tx: string; global_position: string }>({
      name: 'es-create-streams',
      text: `INSERT INTO ${this.table('es_events')} (stream_id, stream_revision, event_id, ${this.typeColumn}, schema_version, data, metadata)
        SELECT e.stream_id, 0, e.id, e.type, e.schema_version, e.data, e.metadata
        FROM unnest($1::bytea[], $2::uuid[], $3::${this.typeSql}[], $4::int[], $5::bytea[], $6::bytea[])
             WITH ORDINALITY AS e(stream_id, id, type, schema_version, data, metadata, ord)
        ORDER BY e.ord
        ON CONFLICT DO NOTHING
        RETURNING event_id::text AS id, stream_id, transaction_id::text AS tx, global_position`,
      values: [items.map((item) => item.key), items.map((item) => item.event.id), stored.types, items.map((item) => item.event.schemaVersion), stored.data, stored.metadata],
    });
    if (rows.length > 0) this.appendSignal.notify();
    const created = new Map(rows.map((row) => [`${row.id}:${row.stream_id.toString('hex')}`, toPosition(row.tx, row.global_position)]));
    return items.map(({ key, event }) => {
      const position = created.get(`${event.id}:${key.toString('hex')}`);
      return position === undefined ? undefined : { nextExpectedRevision: 0n, position };
    });
  }

  /** $1 stream, $2 event count, $3..$7 the events' columns, $8 the expected revision (only for a revision). */
  private appendSql(kind: 'no_stream' | 'any' | 'stream_exists' | 'revision'): string {
    const streams = this.table('es_streams');
    const events = this.table('es_events');
    // Formats 2 and 3: the stream's revision after the append, from its last row; the unique (stream, revision) key turns
    // away a concurrent append that read the same last row.
    const newest = `SELECT COALESCE(MAX(stream_revision), -1) + $2::bigint AS revision, MAX(stream_revision) IS NOT NULL AS found FROM ${events} WHERE stream_id = $1`;
    const guard2 = {
      no_stream: `SELECT revision FROM (${newest}) AS n WHERE NOT found`,
      any: newest,
      stream_exists: `SELECT revision FROM (${newest}) AS n WHERE found`,
      revision: `SELECT revision FROM (${newest}) AS n WHERE found AND revision - $2::bigint = $8::bigint`,
    }[kind];
    const guard1 = {
      no_stream: `INSERT INTO ${streams} (stream_id, revision) VALUES ($1, $2::bigint - 1) ON CONFLICT (stream_id) DO NOTHING RETURNING revision`,
      any: `INSERT INTO ${streams} AS s (stream_id, revision) VALUES ($1, $2::bigint - 1) ON CONFLICT (stream_id)
            DO UPDATE SET revision = s.revision + $2::bigint RETURNING revision`,
      stream_exists: `UPDATE ${streams} SET revision = revision + $2::bigint WHERE stream_id = $1 RETURNING revision`,
      revision: `UPDATE ${streams} SET revision = revision + $2::bigint WHERE stream_id = $1 AND revision = $8::bigint RETURNING revision`,
    }[kind];
    const guard = this.format === 1 ? guard1 : guard2;
    const json = this.format === 1 ? 'json' : 'bytea';
    const type = this.typeSql;
    return `WITH guard AS (${guard})
      INSERT INTO ${events} (stream_id, stream_revision, event_id, ${this.typeColumn}, schema_version, data, metadata)
      SELECT $1, guard.revision - $2::bigint + e.ord, e.id, e.type, e.schema_version, e.data, e.metadata
      FROM guard, unnest($3::uuid[], $4::${type}[], $5::int[], $6::${json}[], $7::${json}[])
           WITH ORDINALITY AS e(id, type, schema_version, data, metadata, ord)
      ORDER BY e.ord
      RETURNING transaction_id::text AS tx, global_position, stream_revision`;
  }

  /** The error for an append that found `stream` elsewhere than `expected`, naming where it is now. */
  private async wrongRevision(stream: string, expected: ExpectedRevision): Promise<WrongExpectedRevisionError> {
    return new WrongExpectedRevisionError(stream, expected, (await this.currentRevision(stream)) ?? 'no_stream');
  }

  private async currentRevision(stream: string): Promise<bigint | undefined> {
    const sql =
      this.format === 1
        ? `SELECT revision FROM ${this.table('es_streams')} WHERE stream_id = $1`
        : `SELECT MAX(stream_revision) AS revision FROM ${this.table('es_events')} WHERE stream_id = $1`;
    const r = await this.pool.query<{ revision: string | null }>(sql, [this.streamKey(stream)]);
    const revision = r.rows[0]?.revision;
    return revision === undefined || revision === null ? undefined : BigInt(revision);
  }

  /** After a conflict: a retry of an append that already succeeded gets its original result. */
  private async resolveConflict(
    stream: string,
    expected: ExpectedRevision,
    events: SerializedEvent[],
    cause: unknown,
  ): Promise<AppendResult> {
    const ids = events.map((e) => e.id);
    const r = await this.pool.query<{ event_id: string; stream_id: string | Buffer; stream_revision: string; tx: string; global_position: string }>(
      `SELECT event_id, stream_id, stream_revision, transaction_id::text AS tx, global_position
       FROM ${this.table('es_events')} WHERE event_id = ANY($1::uuid[])`,
      [ids],
    );
    if (r.rows.length === 0 && cause instanceof WrongExpectedRevisionError) throw cause;
    const stored = r.rows.map(
      (row): StoredEventRef => ({
        id: row.event_id,
        stream: decodeStreamName(row.stream_id),
        revision: BigInt(row.stream_revision),
        position: toPosition(row.tx, row.global_position),
      }),
    );
    return resolveRetry(stream, expected, ids, stored, await this.currentRevision(stream));
  }

  /** SQL for a row naming the stream $1 when it exists, and for none when it does not. */
  private streamIfAny(): string {
    return this.format === 1
      ? `(SELECT stream_id FROM ${this.table('es_streams')} WHERE stream_id = $1)`
      : `(SELECT $1::bytea AS stream_id WHERE EXISTS (SELECT 1 FROM ${this.table('es_events')} WHERE stream_id = $1))`;
  }

  /**
   * One round trip whether or not the stream exists: the stream row, joined to its events from the revision
   * asked for. No row at all means no stream; one row without an event means nothing new (the common answer
   * when a cached state is caught up, as the farmer state is for every partial).
   */
  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision ?? (backwards ? BigInt(Number.MAX_SAFE_INTEGER) : 0n);
    const order = backwards ? 'DESC' : 'ASC';
    const r = await this.pool.query<EventRow | { [K in keyof EventRow]: null }>({
      name: `es-read-stream-${order}`,
      text: `SELECT e.* FROM ${this.streamIfAny()} AS s
       LEFT JOIN LATERAL (
         SELECT ${columns(this.typeColumn)} FROM ${this.table('es_events')}
         WHERE stream_id = s.stream_id AND stream_revision ${backwards ? '<=' : '>='} $2
         ORDER BY stream_revision ${order} LIMIT $3) AS e ON true
       ORDER BY e.stream_revision ${order}`,
      values: [this.streamKey(stream), from.toString(), options.maxCount ?? null],
    });
    if (r.rows.length === 0) throw new StreamNotFoundError(stream);
    return this.recordedEvents(r.rows.filter((row): row is EventRow => row.event_id !== null));
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    let [tx, position] = options.after === undefined ? ['0', '0'] : splitPosition(options.after);
    const prefixes = options.filter?.streamPrefixes?.length ? options.filter.streamPrefixes : null;
    const types = options.filter?.types?.length ? options.filter.types : null;
    const events = this.table('es_events');
    if (!prefixes && !types) {
      const r = await this.pool.query<EventRow>(
        `SELECT ${columns(this.typeColumn)} FROM ${events}
         WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint) AND ${VISIBLE}
         ORDER BY transaction_id, global_position LIMIT $3`,
        [tx, position, options.maxCount ?? null],
      );
      return this.recordedEvents(r.rows);
    }
    // Filtered reads walk the global order in windows. A single "filter, order by, limit" query lets the
    // planner sort everything after the position whenever it misjudges the filter, which made a 1M-event
    // rebuild quadratic; a window always scans in index order, whatever the filter keeps.
    const wanted = options.maxCount ?? Number.POSITIVE_INFINITY;
    const window = Math.min(Math.max(Number.isFinite(wanted) ? wanted : 0, 500), 10_000);
    const page: EventRow[] = [];
    for (;;) {
      const r = await this.pool.query<EventRow & { matched: boolean }>(
        `SELECT ${windowColumns(this.typeColumn)} FROM (
           SELECT *, ($4::text[] IS NULL OR EXISTS (SELECT 1 FROM unnest($4::text[]) AS p WHERE starts_with(${this.format === 1 ? 'stream_id' : STREAM_NAME_SQL}, p)))
                 AND ($5::text[] IS NULL OR ${this.format === 3 ? `type_id IN (SELECT id FROM ${this.table('es_event_types')} WHERE name = ANY($5::text[]))` : 'type = ANY($5::text[])'}) AS matched
           FROM ${events}
           WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint) AND ${VISIBLE}
           ORDER BY transaction_id, global_position LIMIT $3) AS w
         ORDER BY transaction_id, global_position`,
        [tx, position, window, prefixes, types],
      );
      for (const row of r.rows) {
        [tx, position] = splitPosition(row.position as GlobalPosition);
        if (!row.matched) continue;
        page.push(row);
        if (page.length >= wanted) return this.recordedEvents(page);
      }
      if (r.rows.length < window) return this.recordedEvents(page);
    }
  }

  /** Rows as events; format 3: with their types' names and the values their data names, each looked up once for all. */
  private async recordedEvents(rows: EventRow[]): Promise<RecordedEvent[]> {
    if (this.format !== 3) return rows.map((row) => toRecordedEvent(row, row.type as string));
    const numbers = new Set<number>();
    for (const row of rows) {
      sharedNumbers(row.data as Buffer, numbers);
      sharedNumbers(row.metadata as Buffer, numbers);
    }
    const [dictionary, types] = await Promise.all([this.dictionaries.forUnpacking(numbers), this.dictionaries.typeNamesOf(rows.map((row) => row.type as number))]);
    return rows.map((row, i) => toRecordedEvent(row, types[i]!, dictionary));
  }

  subscribeToAll(options: SubscribeOptions): AsyncIterable<SubscriptionMessage> {
    return pollAll((o) => this.readAll(o), {
      ...options,
      appendSignal: this.appendSignal,
      pollIntervalMs: this.pollIntervalMs,
      committedVisible: this.committedVisibleSince(),
    });
  }

  /**
   * Whether every transaction that could have committed before the first call has ended, so that its rows are
   * VISIBLE: the first call notes the first transaction id not yet handed out, later ones compare the oldest still
   * running with it.
   */
  private committedVisibleSince(): () => Promise<boolean> {
    let boundary: string | undefined;
    return async () => {
      const r = await this.pool.query<{ boundary: string; visible: boolean }>(
        `SELECT b::text AS boundary, pg_snapshot_xmin(pg_current_snapshot()) >= b AS visible
         FROM (SELECT coalesce($1::xid8, pg_snapshot_xmax(pg_current_snapshot())) AS b) AS s`,
        [boundary ?? null],
      );
      boundary = r.rows[0]!.boundary;
      return r.rows[0]!.visible;
    };
  }

  async headPosition(): Promise<GlobalPosition | undefined> {
    const r = await this.pool.query<{ tx: string; global_position: string }>(
      `SELECT transaction_id::text AS tx, global_position FROM ${this.table('es_events')} WHERE ${VISIBLE}
       ORDER BY transaction_id DESC, global_position DESC LIMIT 1`,
    );
    return r.rows[0] ? toPosition(r.rows[0].tx, r.rows[0].global_position) : undefined;
  }

  async readNewest(maxCount: number): Promise<RecordedEvent[]> {
    const r = await this.pool.query<EventRow>(
      `SELECT ${columns(this.typeColumn)} FROM ${this.table('es_events')} WHERE ${VISIBLE} ORDER BY transaction_id DESC, global_position DESC LIMIT $1`,
      [maxCount],
    );
    return this.recordedEvents(r.rows.reverse());
  }

  async close(): Promise<void> {
    this.appendSignal.notify();
    await this.pool.end();
  }
}

function toPosition(tx: string, globalPosition: string): GlobalPosition {
  return `${encodeSequence(BigInt(tx))}:${encodeSequence(BigInt(globalPosition))}` as GlobalPosition;
}

function splitPosition(position: GlobalPosition): [string, string] {
  const [tx, global] = position.split(':');
  if (tx === undefined || global === undefined) throw new Error(`not a PostgreSQL position: ${position}`);
  return [BigInt(tx).toString(), BigInt(global).toString()];
}

/** A row as read, given its type's name and (format 3) the dictionary its data names values in. */
function toRecordedEvent(row: EventRow, type: string, dictionary?: ValueDictionary): RecordedEvent {
  const stream = decodeStreamName(row.stream_id);
  return {
    id: row.event_id,
    type,
    schemaVersion: row.schema_version,
    // pg hands json columns over parsed and bytea as bytes; format 3 data may point to its stream's id.
    data: Buffer.isBuffer(row.data) ? unpackJson(row.data, stream, dictionary) : row.data,
    metadata: (Buffer.isBuffer(row.metadata) ? unpackJson(row.metadata, stream, dictionary) : row.metadata) as JsonObject,
    stream,
    revision: BigInt(row.stream_revision),
    position: row.position as GlobalPosition,
    recordedAt: new Date(row.recorded_ms),
  };
}

/** A format 2 or 3 append that creates `stream`, stored as `key`, with its one event. */
interface StreamCreation {
  stream: string;
  key: Buffer;
  event: SerializedEvent;
}

/** The columns of events as the ledger's format stores them (storedEvents), one entry per event. */
interface StoredColumns {
  types: (string | number)[];
  data: (string | Buffer)[];
  metadata: (string | Buffer)[];
}

/** Appends that name no revision try again after losing a race for one; a bound, so that nothing loops for ever. */
const MAX_APPEND_ATTEMPTS = 100;

/** Formats 2 and 3: another append stored these revisions of the stream first. */
function isStreamRevisionViolation(error: unknown): boolean {
  const e = error as { code?: string; constraint?: string };
  return e.code === '23505' && (e.constraint?.includes('stream_revision') ?? false);
}

function isEventIdViolation(error: unknown): boolean {
  const e = error as { code?: string; constraint?: string };
  return e.code === '23505' && (e.constraint?.includes('event_id') ?? false);
}
