import Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  checkExpectedRevision,
  encodeSequence,
  resolveRetry,
  serializeEvents,
  type SerializedEvent,
  type StoredEventRef,
} from '../append-rules';
import { StreamNotFoundError, WrongExpectedRevisionError } from '@pool/event-sourcing';
import type {
  AppendResult,
  EventFilter,
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
import { AppendSignal, pollAll } from '../subscription';

const SCHEMA = `
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

interface EventRow {
  global_position: number;
  stream_id: string;
  stream_revision: number;
  event_id: string;
  type: string;
  schema_version: number;
  data: string;
  metadata: string;
  recorded_at: number;
}

const COLUMNS = 'global_position, stream_id, stream_revision, event_id, type, schema_version, data, metadata, recorded_at';

export interface SqliteEventStoreOptions {
  /** File path, or ':memory:' for a private in-process database. */
  path: string;
  pollIntervalMs?: number;
  /**
   * Open an existing ledger for reading only: nothing is created (no file, no directory, no table), and a path
   * that holds no ledger is an error naming it. For audits and reports, where a mistyped path must not pass as an
   * empty ledger.
   */
  readOnly?: boolean;
}

/** One append waiting for the next group commit. */
interface QueuedAppend {
  stream: string;
  expected: ExpectedRevision;
  events: SerializedEvent[];
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

type AppendOutcome = { ok: true; result: AppendResult } | { ok: false; error: unknown };

/**
 * The embedded default. Every append runs in BEGIN IMMEDIATE, so the write lock is held from the
 * revision check to the commit: positions are handed out in commit order, and a reader polling
 * "position > checkpoint" can never skip an event that commits later with a smaller position.
 *
 * Group commit: with synchronous=FULL every COMMIT waits for an fsync (about 3 ms here), and better-sqlite3
 * waits on the event loop's thread. Appends requested in the same turn of the event loop therefore share
 * one BEGIN IMMEDIATE ... COMMIT: each runs inside its own SAVEPOINT, so a conflicting append is rolled back
 * alone and answered with its own error while the others commit; each caller is answered only after the
 * shared COMMIT, so nothing is acknowledged before it is durable.
 */
export class SqliteEventStore implements EventStore {
  readonly name = 'sqlite';
  private readonly db: Database.Database;
  private readonly appendSignal = new AppendSignal();
  private readonly statements;
  private readonly filteredReads = new Map<string, Database.Statement>();
  private readonly appendTransaction;
  private readonly groupTransaction;
  private queue: QueuedAppend[] = [];
  /** Why the last commit attempt failed, until one succeeds; and when one last succeeded (unix ms). */
  private lastWriteFailure?: string;
  private lastCommitAt = 0;

  constructor(private readonly options: SqliteEventStoreOptions) {
    if (options.readOnly === true) {
      this.db = openLedgerForReading(options.path);
    } else {
      if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
      this.db = new Database(options.path);
      this.db.pragma('journal_mode = WAL');
      // FULL: a ledger must not lose its last commits on power loss (NORMAL may).
      this.db.pragma('synchronous = FULL');
      this.db.pragma('busy_timeout = 10000');
      this.db.exec(SCHEMA);
    }
    this.statements = {
      streamRevision: this.db.prepare<[string], { revision: number }>('SELECT revision FROM es_streams WHERE stream_id = ?'),
      upsertStream: this.db.prepare(
        'INSERT INTO es_streams (stream_id, revision) VALUES (?, ?) ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision',
      ),
      insertEvent: this.db.prepare(
        `INSERT INTO es_events (stream_id, stream_revision, event_id, type, schema_version, data, metadata, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      readForwards: this.db.prepare<[string, number, number], EventRow>(
        `SELECT ${COLUMNS} FROM es_events WHERE stream_id = ? AND stream_revision >= ? ORDER BY stream_revision ASC LIMIT ?`,
      ),
      readBackwards: this.db.prepare<[string, number, number], EventRow>(
        `SELECT ${COLUMNS} FROM es_events WHERE stream_id = ? AND stream_revision <= ? ORDER BY stream_revision DESC LIMIT ?`,
      ),
      // Raw rows (arrays in COLUMNS order): a catch-up reads hundreds of thousands of rows, and an array per row
      // costs the driver and the garbage collector less than an object with named properties.
      readAll: this.db
        .prepare<[number, number], RawEventRow>(`SELECT ${COLUMNS} FROM es_events WHERE global_position > ? ORDER BY global_position ASC LIMIT ?`)
        .raw(true),
      head: this.db.prepare<[], { head: number | null }>('SELECT max(global_position) AS head FROM es_events'),
    };
    this.appendTransaction = this.db.transaction(
      (stream: string, expected: ExpectedRevision, events: SerializedEvent[]): AppendResult => {
        const row = this.statements.streamRevision.get(stream);
        const current = row === undefined ? undefined : BigInt(row.revision);
        checkExpectedRevision(stream, expected, current);
        let revision = current === undefined ? 0 : Number(current) + 1;
        const recordedAt = Date.now();
        let position = 0;
        for (const e of events) {
          const info = this.statements.insertEvent.run(stream, revision++, e.id, e.type, e.schemaVersion, e.data, e.metadata, recordedAt);
          position = Number(info.lastInsertRowid);
        }
        this.statements.upsertStream.run(stream, revision - 1);
        return { nextExpectedRevision: BigInt(revision - 1), position: encodeSequence(position) as GlobalPosition };
      },
    );
    // Called inside a transaction, appendTransaction runs as a SAVEPOINT: a failing append undoes only itself.
    this.groupTransaction = this.db.transaction((batch: QueuedAppend[]): AppendOutcome[] =>
      batch.map((item): AppendOutcome => {
        try {
          return { ok: true, result: this.appendTransaction(item.stream, item.expected, item.events) };
        } catch (error) {
          if (!(error instanceof WrongExpectedRevisionError) && !isUniqueViolation(error)) throw error;
          return { ok: false, error };
        }
      }),
    );
  }

  async append(stream: string, events: readonly NewEvent[], options: { expectedRevision: ExpectedRevision }): Promise<AppendResult> {
    const serialized = serializeEvents(stream, events);
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ stream, expected: options.expectedRevision, events: serialized, resolve, reject });
      if (this.queue.length === 1) setImmediate(() => this.flush());
    });
  }

  /** Commits every queued append in one transaction, then answers each caller. */
  private flush(): void {
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    let outcomes: AppendOutcome[];
    try {
      if (!this.db.open) throw new Error('the event store is closed');
      outcomes = batch.length === 1 ? [this.appendAlone(batch[0]!)] : this.groupTransaction.immediate(batch);
    } catch (error) {
      // The whole group rolled back (better-sqlite3 ends the transaction whatever SQLite left open): nothing of
      // it is stored, and each caller hears why in words, not only as SQLITE_FULL.
      const failure = ledgerWriteError(error, this.options.path);
      this.lastWriteFailure = failure.message;
      for (const item of batch) item.reject(failure);
      return;
    }
    this.lastWriteFailure = undefined;
    this.lastCommitAt = Date.now();
    if (outcomes.some((o) => o.ok)) this.appendSignal.notify();
    batch.forEach((item, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) return item.resolve(outcome.result);
      const error = outcome.error;
      if (!(error instanceof WrongExpectedRevisionError) && !isUniqueViolation(error)) return item.reject(error);
      try {
        item.resolve(this.resolveConflict(item.stream, item.expected, item.events, error));
      } catch (conflict) {
        item.reject(conflict);
      }
    });
  }

  private appendAlone(item: QueuedAppend): AppendOutcome {
    try {
      return { ok: true, result: this.appendTransaction.immediate(item.stream, item.expected, item.events) };
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError) && !isUniqueViolation(error)) throw error;
      return { ok: false, error };
    }
  }

  /** After a conflict: a retry of an append that already succeeded gets its original result. */
  private resolveConflict(stream: string, expected: ExpectedRevision, events: SerializedEvent[], cause: unknown): AppendResult {
    const ids = events.map((e) => e.id);
    const placeholders = ids.map(() => '?').join(',');
    const stored = this.db
      .prepare<string[], Pick<EventRow, 'event_id' | 'stream_id' | 'stream_revision' | 'global_position'>>(
        `SELECT event_id, stream_id, stream_revision, global_position FROM es_events WHERE event_id IN (${placeholders})`,
      )
      .all(...ids)
      .map(
        (row): StoredEventRef => ({
          id: row.event_id,
          stream: row.stream_id,
          revision: BigInt(row.stream_revision),
          position: encodeSequence(row.global_position) as GlobalPosition,
        }),
      );
    if (stored.length === 0 && cause instanceof WrongExpectedRevisionError) throw cause;
    const row = this.statements.streamRevision.get(stream);
    return resolveRetry(stream, expected, ids, stored, row === undefined ? undefined : BigInt(row.revision));
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const limit = options.maxCount ?? -1;
    const rows =
      options.direction === 'backwards'
        ? this.statements.readBackwards.all(stream, Number(options.fromRevision ?? BigInt(Number.MAX_SAFE_INTEGER)), limit)
        : this.statements.readForwards.all(stream, Number(options.fromRevision ?? 0n), limit);
    if (rows.length === 0 && this.statements.streamRevision.get(stream) === undefined) throw new StreamNotFoundError(stream);
    return rows.map(toRecordedEvent);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const after = options.after === undefined ? 0 : Number(options.after);
    const limit = options.maxCount ?? -1;
    const filter = options.filter;
    if (!filter || (!filter.streamPrefixes?.length && !filter.types?.length)) {
      return this.statements.readAll.all(after, limit).map(rawToRecordedEvent);
    }
    const prefixes = filter.streamPrefixes ?? [];
    const types = filter.types ?? [];
    const params: (string | number)[] = [after];
    for (const p of prefixes) params.push(p.length, p);
    params.push(...types, limit);
    return this.filteredRead(filter)
      .all(...params)
      .map((row) => rawToRecordedEvent(row as RawEventRow));
  }

  /** Prepared once per filter shape (how many prefixes and types), not per call. */
  private filteredRead(filter: EventFilter): Database.Statement {
    const prefixes = filter.streamPrefixes?.length ?? 0;
    const types = filter.types?.length ?? 0;
    const key = `${prefixes}:${types}`;
    let statement = this.filteredReads.get(key);
    if (!statement) {
      const clauses = ['global_position > ?'];
      if (prefixes > 0) clauses.push(`(${Array(prefixes).fill('substr(stream_id, 1, ?) = ?').join(' OR ')})`);
      if (types > 0) clauses.push(`type IN (${Array(types).fill('?').join(',')})`);
      statement = this.db.prepare(`SELECT ${COLUMNS} FROM es_events WHERE ${clauses.join(' AND ')} ORDER BY global_position ASC LIMIT ?`).raw(true);
      this.filteredReads.set(key, statement);
    }
    return statement;
  }

  subscribeToAll(options: SubscribeOptions): AsyncIterable<SubscriptionMessage> {
    return pollAll((o) => this.readAll(o), {
      ...options,
      appendSignal: this.appendSignal,
      pollIntervalMs: this.options.pollIntervalMs,
    });
  }

  /**
   * Throws, saying why, when the ledger cannot be written now (a full disk, a read-only or vanished file), for
   * readiness probes: a pool whose ledger refuses every append must be taken out of rotation, and put back once
   * it can write again, with or without traffic. An append committed in the last few seconds proves it; otherwise
   * (and always after a failed append) a small write of its own, to a table nothing reads, commits like an append
   * would: real pages into the WAL and an fsync.
   */
  async checkWritable(): Promise<void> {
    if (this.options.readOnly === true) throw new Error('the event store is open read-only');
    if (!this.db.open) throw new Error('the event store is closed');
    if (this.lastWriteFailure === undefined && Date.now() - this.lastCommitAt < WRITE_PROVEN_MS) return;
    try {
      this.db.exec('CREATE TABLE IF NOT EXISTS es_write_probe (id INTEGER PRIMARY KEY, filler BLOB NOT NULL)');
      this.db.prepare('INSERT OR REPLACE INTO es_write_probe (id, filler) VALUES (1, randomblob(?))').run(WRITE_PROBE_BYTES);
    } catch (error) {
      const failure = ledgerWriteError(error, this.options.path);
      this.lastWriteFailure = failure.message;
      throw failure;
    }
    this.lastWriteFailure = undefined;
    this.lastCommitAt = Date.now();
  }

  async headPosition(): Promise<GlobalPosition | undefined> {
    const { head } = this.statements.head.get() ?? { head: null };
    return head === null ? undefined : (encodeSequence(head) as GlobalPosition);
  }

  async close(): Promise<void> {
    this.flush(); // appends already requested are committed (or refused), never dropped silently
    this.appendSignal.notify();
    if (this.db.open) this.db.close();
  }
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    data: JSON.parse(row.data),
    metadata: JSON.parse(row.metadata),
    stream: row.stream_id,
    revision: BigInt(row.stream_revision),
    position: encodeSequence(row.global_position) as GlobalPosition,
    recordedAt: new Date(row.recorded_at),
  };
}

/** An es_events row as an array in COLUMNS order. */
type RawEventRow = [number, string, number, string, string, number, string, string, number];

function rawToRecordedEvent(row: RawEventRow): RecordedEvent {
  return {
    id: row[3],
    type: row[4],
    schemaVersion: row[5],
    data: JSON.parse(row[6]),
    metadata: JSON.parse(row[7]),
    stream: row[1],
    revision: BigInt(row[2]),
    position: encodeSequence(row[0]) as GlobalPosition,
    recordedAt: new Date(row[8]),
  };
}

/** An append (or write probe) committed this recently shows the ledger writable without another write. */
const WRITE_PROVEN_MS = 5_000;
/** About what a small append adds: a couple of pages beyond the row itself. */
const WRITE_PROBE_BYTES = 8192;

/** SQLite's result codes for "the disk cannot take more", which no retry of the same write fixes until space is freed. */
const DISK_FULL_CODES = new Set(['SQLITE_FULL', 'SQLITE_IOERR_WRITE', 'SQLITE_IOERR_FSYNC', 'SQLITE_IOERR_SHMSIZE']);

/**
 * A failed commit as an error that names the ledger and says nothing of it was stored; SQLite's code stays on
 * `code` and the driver's error on `cause`.
 */
function ledgerWriteError(error: unknown, path: string): Error {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return error instanceof Error ? error : new Error(String(error));
  const why = DISK_FULL_CODES.has(code) ? 'the disk is full' : (error as Error).message;
  const failure = new Error(`the ledger at ${path} could not be written (${why}, ${code}); nothing of this append was stored`, { cause: error });
  return Object.assign(failure, { code });
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** An existing ledger file, opened read-only; refuses a missing file or one that holds no ledger tables. */
function openLedgerForReading(path: string): Database.Database {
  if (path === ':memory:') throw new Error('an in-memory SQLite event store has no ledger to read');
  if (!existsSync(path)) throw new Error(`no ledger at ${path}: the file does not exist (check the event store URL)`);
  const db = new Database(path, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 10000');
  const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('es_events', 'es_streams')").all();
  if (tables.length < 2) {
    db.close();
    throw new Error(`no ledger at ${path}: the file is not an event store (it has no es_events table)`);
  }
  return db;
}
