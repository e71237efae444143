import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { encodeSequence, serializeEvents } from '../append-rules';
import { StreamNotFoundError } from '@pool/event-sourcing';
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
import { openWritableLedger, refusalError, type AppendRequest } from './sqlite-ledger-writer';
import { InlineLedgerWriter, ThreadLedgerWriter, type LedgerWriter } from './sqlite-ledger-writers';
import {
  dataFromRow,
  eventIdFromRow,
  hasEventsTable,
  metadataFromRow,
  readLedgerFormat,
  revisionOf,
  rowEncoding,
  valueDictionary,
  type RevisionRow,
  type SqliteValueDictionary,
  type RowEncoding,
  type Stored,
} from './ledger-row-format';

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
interface QueuedAppend extends AppendRequest {
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

/**
 * The embedded default. Appends are group-committed (see SqliteLedgerWriter): those that arrive while a group is
 * being committed wait together for the next one, and each caller is answered only after its group's COMMIT, so
 * nothing is acknowledged before it is durable. A file ledger commits on a writer thread of its own, so its fsyncs
 * and WAL checkpoints never stall this thread; reads run here on a connection of their own (WAL readers never wait
 * for the writer). An in-memory ledger exists on one connection, which also commits.
 */
export class SqliteEventStore implements EventStore {
  readonly name = 'sqlite';
  private readonly db: Database.Database;
  private readonly writer?: LedgerWriter;
  private readonly appendSignal = new AppendSignal();
  private readonly statements;
  /** How this ledger's rows spell streams (ledger-row-format.ts). */
  private readonly encode: RowEncoding;
  private readonly filteredReads = new Map<string, Database.Statement>();
  /** Format 3's es_values, read through this connection. */
  private readonly dictionary?: SqliteValueDictionary;
  private queue: QueuedAppend[] = [];
  /** The group being committed, if any; appends queue behind it. */
  private committing?: Promise<void>;
  /** Why the last commit attempt failed, until one succeeds; and when one last succeeded (unix ms). */
  private lastWriteFailure?: string;
  private lastCommitAt = 0;

  constructor(private readonly options: SqliteEventStoreOptions) {
    if (options.readOnly === true) {
      this.db = openLedgerForReading(options.path);
    } else {
      this.db = openWritableLedger(options.path);
      this.writer = options.path === ':memory:' ? new InlineLedgerWriter(this.db, options.path) : new ThreadLedgerWriter(options.path);
    }
    const format = readLedgerFormat(this.db);
    this.encode = rowEncoding(format);
    this.dictionary = valueDictionary(this.db, format);
    // Rows as readers take them, in any format (ledger-row-format.ts: names and ids come back as text).
    const rows = `SELECT ${this.encode.rows.columns} FROM ${this.encode.rows.source}`;
    const ofStream = this.encode.rowOfStream;
    this.statements = {
      streamRevision: this.db.prepare<[Stored], NonNullable<RevisionRow>>(this.encode.streamRevisionSql),
      // Every read takes raw rows (arrays in the order of the encoding's columns), turned into events in one place
      // (recordedEvents): a catch-up reads hundreds of thousands of rows, and an array per row costs the driver and the
      // garbage collector less than an object with named properties.
      readForwards: this.db
        .prepare<[Stored, number, number], RawEventRow>(`${rows} WHERE ${ofStream} AND stream_revision >= ? ORDER BY stream_revision ASC LIMIT ?`)
        .raw(true),
      readBackwards: this.db
        .prepare<[Stored, number, number], RawEventRow>(`${rows} WHERE ${ofStream} AND stream_revision <= ? ORDER BY stream_revision DESC LIMIT ?`)
        .raw(true),
      readAll: this.db
        .prepare<[number, number], RawEventRow>(`${rows} WHERE global_position > ? ORDER BY global_position ASC LIMIT ?`)
        .raw(true),
      head: this.db.prepare<[], { head: number | null }>('SELECT max(global_position) AS head FROM es_events'),
      readNewest: this.db.prepare<[number], RawEventRow>(`${rows} ORDER BY global_position DESC LIMIT ?`).raw(true),
    };
  }

  async append(stream: string, events: readonly NewEvent[], options: { expectedRevision: ExpectedRevision }): Promise<AppendResult> {
    const serialized = serializeEvents(stream, events);
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ stream, expected: options.expectedRevision, events: serialized, resolve, reject });
      // Appends requested in the same turn of the event loop join one group; later ones wait for the next.
      if (this.queue.length === 1 && this.committing === undefined) setImmediate(() => this.commitNextGroup());
    });
  }

  /** Commits every queued append as one group, answers each caller, then the group that queued meanwhile. */
  private commitNextGroup(): void {
    if (this.committing !== undefined || this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    this.committing = this.commitGroup(batch).finally(() => {
      this.committing = undefined;
      this.commitNextGroup();
    });
  }

  private async commitGroup(batch: QueuedAppend[]): Promise<void> {
    let answer;
    try {
      if (this.writer === undefined) throw new Error('the event store is open read-only');
      if (!this.db.open) throw new Error('the event store is closed');
      answer = await this.writer.commit(batch.map(({ stream, expected, events }) => ({ stream, expected, events })));
    } catch (error) {
      answer = { failed: { kind: 'failure' as const, message: error instanceof Error ? error.message : String(error) } };
    }
    if ('failed' in answer) {
      // Nothing of the group is stored, and each caller hears why in words, not only as SQLITE_FULL.
      this.lastWriteFailure = answer.failed.message;
      for (const item of batch) item.reject(refusalError(answer.failed));
      return;
    }
    this.lastWriteFailure = undefined;
    this.lastCommitAt = Date.now();
    if (answer.outcomes.some((o) => o.ok)) this.appendSignal.notify();
    batch.forEach((item, i) => {
      const outcome = answer.outcomes[i]!;
      if (outcome.ok) item.resolve(outcome.result);
      else item.reject(refusalError(outcome.refusal));
    });
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const limit = options.maxCount ?? -1;
    const key = this.encode.stream(stream);
    const rows =
      options.direction === 'backwards'
        ? this.statements.readBackwards.all(key, Number(options.fromRevision ?? BigInt(Number.MAX_SAFE_INTEGER)), limit)
        : this.statements.readForwards.all(key, Number(options.fromRevision ?? 0n), limit);
    if (rows.length === 0 && revisionOf(this.statements.streamRevision.get(key)) === undefined) throw new StreamNotFoundError(stream);
    return this.recordedEvents(rows);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const after = options.after === undefined ? 0 : Number(options.after);
    const limit = options.maxCount ?? -1;
    const filter = options.filter;
    if (!filter || (!filter.streamPrefixes?.length && !filter.types?.length)) {
      return this.recordedEvents(this.statements.readAll.all(after, limit));
    }
    const prefixes = filter.streamPrefixes ?? [];
    const types = filter.types ?? [];
    const params: (string | number)[] = [after];
    for (const p of prefixes) params.push(p.length, p);
    params.push(...types, limit);
    return this.recordedEvents(this.filteredRead(filter).all(...params) as RawEventRow[]);
  }

  /** Raw rows as recorded events, format 3's shared values looked up for the whole page at once. */
  private recordedEvents(rows: RawEventRow[]): RecordedEvent[] {
    this.dictionary?.prefetch(rows.flatMap((row) => [row[6], row[7]]));
    return rows.map((row) => rawToRecordedEvent(row, this.dictionary));
  }

  /** Prepared once per filter shape (how many prefixes and types), not per call. */
  private filteredRead(filter: EventFilter): Database.Statement {
    const prefixes = filter.streamPrefixes?.length ?? 0;
    const types = filter.types?.length ?? 0;
    const key = `${prefixes}:${types}`;
    let statement = this.filteredReads.get(key);
    if (!statement) {
      const clauses = ['global_position > ?'];
      if (prefixes > 0) clauses.push(`(${Array(prefixes).fill(`substr(${this.encode.streamNameSql}, 1, ?) = ?`).join(' OR ')})`);
      if (types > 0) clauses.push(this.encode.typeIn(types));
      const { columns, source } = this.encode.rows;
      statement = this.db.prepare(`SELECT ${columns} FROM ${source} WHERE ${clauses.join(' AND ')} ORDER BY global_position ASC LIMIT ?`).raw(true);
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
    if (this.writer === undefined) throw new Error('the event store is open read-only');
    if (!this.db.open) throw new Error('the event store is closed');
    if (this.lastWriteFailure === undefined && Date.now() - this.lastCommitAt < WRITE_PROVEN_MS) return;
    const refusal = await this.writer.probe(WRITE_PROBE_BYTES);
    if (refusal !== undefined) {
      this.lastWriteFailure = refusal.message;
      throw refusalError(refusal);
    }
    this.lastWriteFailure = undefined;
    this.lastCommitAt = Date.now();
  }

  async headPosition(): Promise<GlobalPosition | undefined> {
    const { head } = this.statements.head.get() ?? { head: null };
    return head === null ? undefined : (encodeSequence(head) as GlobalPosition);
  }

  async readNewest(maxCount: number): Promise<RecordedEvent[]> {
    return this.recordedEvents(this.statements.readNewest.all(maxCount).reverse());
  }

  async close(): Promise<void> {
    // Appends already requested are committed (or refused), never dropped silently.
    this.commitNextGroup();
    while (this.committing !== undefined) await this.committing;
    await this.writer?.close();
    this.appendSignal.notify();
    if (this.db.open) this.db.close();
  }
}

/** A row as an array in the order of the encoding's columns (ledger-row-format.ts). */
type RawEventRow = [number, string, number, string, string, number, string, string | null, number];

function rawToRecordedEvent(row: RawEventRow, dictionary: SqliteValueDictionary | undefined): RecordedEvent {
  return {
    id: eventIdFromRow(row[3]),
    type: row[4],
    schemaVersion: row[5],
    data: dataFromRow(row[6], row[1], dictionary),
    metadata: metadataFromRow(row[7], row[1], dictionary),
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

/** An existing ledger file, opened read-only; refuses a missing file or one that holds no ledger tables. */
function openLedgerForReading(path: string): Database.Database {
  if (path === ':memory:') throw new Error('an in-memory SQLite event store has no ledger to read');
  if (!existsSync(path)) throw new Error(`no ledger at ${path}: the file does not exist (check the event store URL)`);
  const db = new Database(path, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 10000');
  if (!hasEventsTable(db)) {
    db.close();
    throw new Error(`no ledger at ${path}: the file is not an event store (it has no es_events table)`);
  }
  return db;
}
