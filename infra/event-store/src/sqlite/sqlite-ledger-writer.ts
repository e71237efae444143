import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { encodeSequence, checkExpectedRevision, resolveRetry, type SerializedEvent, type StoredEventRef } from '../append-rules';
import { WrongExpectedRevisionError } from '@pool/event-sourcing';
import type { AppendResult, ExpectedRevision, GlobalPosition } from '@pool/event-sourcing';
import { createOrReadLedgerFormat, EVENT_ID_SQL, eventIdFromRow, numberer, readLedgerFormat, revisionOf, rowEncoding, valueDictionary, type RevisionRow, type Stored } from './ledger-row-format';

/**
 * The write side of the SQLite ledger: one connection that commits groups of appends. It runs either on the
 * store's own thread (an in-memory ledger) or on a writer thread of its own (a file), so everything it takes and
 * answers is plain data that crosses a thread boundary (structured clone keeps bigints, not error classes).
 */

/** A connection to a ledger that may be written (created with its tables when missing). */
export function openWritableLedger(path: string): Database.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // FULL: a ledger must not lose its last commits on power loss (NORMAL may).
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 10000');
  createOrReadLedgerFormat(db);
  return db;
}

/** One append of a group commit. */
export interface AppendRequest {
  stream: string;
  expected: ExpectedRevision;
  events: SerializedEvent[];
}

/** Why an append (or a whole group) was refused, as data; `refusalError` turns it back into the error callers expect. */
export type WriteRefusal =
  | { kind: 'conflict'; stream: string; expected: ExpectedRevision; actual: bigint | 'no_stream'; message: string }
  | { kind: 'failure'; message: string; code?: string };

export type AppendOutcome = { ok: true; result: AppendResult } | { ok: false; refusal: WriteRefusal };

/** A group's answer: one outcome per append, or why nothing of the group was stored. */
export type GroupAnswer = { outcomes: AppendOutcome[] } | { failed: WriteRefusal };

/** What a refusal is to a caller: a WrongExpectedRevisionError, or an Error that keeps SQLite's code. */
export function refusalError(refusal: WriteRefusal): Error {
  if (refusal.kind === 'conflict') {
    return Object.assign(new WrongExpectedRevisionError(refusal.stream, refusal.expected, refusal.actual), { message: refusal.message });
  }
  const error = new Error(refusal.message);
  return refusal.code === undefined ? error : Object.assign(error, { code: refusal.code });
}

/**
 * Every append runs in BEGIN IMMEDIATE, so the write lock is held from the revision check to the commit:
 * positions are handed out in commit order, and a reader polling "position > checkpoint" can never skip an event
 * that commits later with a smaller position.
 *
 * Group commit: with synchronous=FULL every COMMIT waits for an fsync, so the appends of one group share one
 * BEGIN IMMEDIATE ... COMMIT. Each runs inside its own SAVEPOINT, so a conflicting append is rolled back alone and
 * answered with its own refusal while the others commit.
 */
export class SqliteLedgerWriter {
  private readonly statements;
  private readonly appendTransaction;
  private readonly groupTransaction;
  private readonly encode;

  constructor(
    private readonly db: Database.Database,
    private readonly path: string,
  ) {
    const format = readLedgerFormat(db);
    this.encode = rowEncoding(format);
    const dictionary = valueDictionary(db, format);
    const streamRevision = db.prepare<[Stored], NonNullable<RevisionRow>>(this.encode.streamRevisionSql);
    // Format 1 keeps each stream's revision in es_streams; formats 2 and 3 have no such table (ledger-row-format.ts).
    const upsertStream =
      this.encode.format === 1
        ? db.prepare('INSERT INTO es_streams (stream_id, revision) VALUES (?, ?) ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision')
        : undefined;
    // Format 3 stores each stream name and type name once and rows point to them by number (ledger-row-format.ts).
    const numbered = this.encode.format === 3;
    this.statements = {
      currentRevision: (stream: Stored): bigint | undefined => revisionOf(streamRevision.get(stream)),
      upsertStream,
      insertEvent: db.prepare(
        `INSERT INTO es_events (${numbered ? 'stream' : 'stream_id'}, stream_revision, event_id, type, schema_version, data, metadata, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      streamNumber: numbered ? numberer(db, 'es_stream_names', 'name') : (name: Stored) => name,
      typeNumber: numbered ? numberer(db, 'es_event_types', 'name') : (name: string) => name,
    };
    this.appendTransaction = db.transaction((stream: string, expected: ExpectedRevision, events: SerializedEvent[]): AppendResult => {
      const key = this.encode.stream(stream);
      const current = this.statements.currentRevision(key);
      checkExpectedRevision(stream, expected, current);
      let revision = current === undefined ? 0 : Number(current) + 1;
      const recordedAt = Date.now();
      let position = 0;
      const { encode, statements } = this;
      const streamRef = statements.streamNumber(key);
      for (const e of events) {
        const info = statements.insertEvent.run(
          streamRef,
          revision++,
          encode.eventId(e.id),
          statements.typeNumber(e.type),
          e.schemaVersion,
          encode.json(e.data, stream, dictionary),
          encode.json(e.metadata, stream, dictionary),
          recordedAt,
        );
        position = Number(info.lastInsertRowid);
      }
      this.statements.upsertStream?.run(key, revision - 1);
      return { nextExpectedRevision: BigInt(revision - 1), position: encodeSequence(position) as GlobalPosition };
    });
    // Called inside a transaction, appendTransaction runs as a SAVEPOINT: a failing append undoes only itself.
    this.groupTransaction = db.transaction((batch: AppendRequest[]): (AppendResult | unknown)[] =>
      batch.map((item) => {
        try {
          return this.appendTransaction(item.stream, item.expected, item.events);
        } catch (error) {
          if (!isConflict(error)) throw error;
          return new ConflictMarker(error);
        }
      }),
    );
  }

  /** Commits the group in one transaction; a conflicting append is answered alone (a retry of a stored one with its original result). */
  commit(batch: AppendRequest[]): GroupAnswer {
    let results: (AppendResult | ConflictMarker)[];
    try {
      if (!this.db.open) throw new Error('the event store is closed');
      results = (batch.length === 1 ? [this.appendAlone(batch[0]!)] : this.groupTransaction.immediate(batch)) as (AppendResult | ConflictMarker)[];
    } catch (error) {
      // The whole group rolled back (better-sqlite3 ends the transaction whatever SQLite left open).
      return { failed: this.failure(error) };
    }
    return {
      outcomes: batch.map((item, i): AppendOutcome => {
        const result = results[i]!;
        if (!(result instanceof ConflictMarker)) return { ok: true, result };
        try {
          return { ok: true, result: this.resolveConflict(item, result.cause) };
        } catch (error) {
          return { ok: false, refusal: error instanceof WrongExpectedRevisionError ? conflictRefusal(error) : this.failure(error) };
        }
      }),
    };
  }

  /**
   * A small write to a table nothing reads, committed as an append would be (real pages into the WAL and an
   * fsync): proves the ledger writable for readiness probes. Undefined when it committed.
   */
  probe(bytes: number): WriteRefusal | undefined {
    try {
      this.db.exec('CREATE TABLE IF NOT EXISTS es_write_probe (id INTEGER PRIMARY KEY, filler BLOB NOT NULL)');
      this.db.prepare('INSERT OR REPLACE INTO es_write_probe (id, filler) VALUES (1, randomblob(?))').run(bytes);
      return undefined;
    } catch (error) {
      return this.failure(error);
    }
  }

  private appendAlone(item: AppendRequest): AppendResult | ConflictMarker {
    try {
      return this.appendTransaction.immediate(item.stream, item.expected, item.events);
    } catch (error) {
      if (!isConflict(error)) throw error;
      return new ConflictMarker(error);
    }
  }

  /** After a conflict: a retry of an append that already succeeded gets its original result. */
  private resolveConflict({ stream, expected, events }: AppendRequest, cause: unknown): AppendResult {
    const ids = events.map((e) => e.id);
    const placeholders = ids.map(() => '?').join(',');
    const stored = this.db
      .prepare<Stored[], { event_id: string; stream_id: string; stream_revision: number; global_position: number }>(
        `SELECT ${EVENT_ID_SQL} AS event_id, ${this.encode.streamNameSql} AS stream_id, stream_revision, global_position FROM ${this.encode.rows.source} WHERE event_id IN (${placeholders})`,
      )
      .all(...ids.map((id) => this.encode.eventId(id)))
      .map(
        (row): StoredEventRef => ({
          id: eventIdFromRow(row.event_id),
          stream: row.stream_id,
          revision: BigInt(row.stream_revision),
          position: encodeSequence(row.global_position) as GlobalPosition,
        }),
      );
    if (stored.length === 0 && cause instanceof WrongExpectedRevisionError) throw cause;
    return resolveRetry(stream, expected, ids, stored, this.statements.currentRevision(this.encode.stream(stream)));
  }

  /** A failed write in words that name the ledger and say nothing of it was stored; SQLite's code kept. */
  private failure(error: unknown): WriteRefusal {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return { kind: 'failure', message: error instanceof Error ? error.message : String(error) };
    const why = DISK_FULL_CODES.has(code) ? 'the disk is full' : (error as Error).message;
    return { kind: 'failure', message: `the ledger at ${this.path} could not be written (${why}, ${code}); nothing of this append was stored`, code };
  }
}

/** An append refused inside the group: its own error, answered after the group commits. */
class ConflictMarker {
  constructor(readonly cause: unknown) {}
}

function conflictRefusal(error: WrongExpectedRevisionError): WriteRefusal {
  return { kind: 'conflict', stream: error.stream, expected: error.expected, actual: error.actual, message: error.message };
}

/** SQLite's result codes for "the disk cannot take more", which no retry of the same write fixes until space is freed. */
const DISK_FULL_CODES = new Set(['SQLITE_FULL', 'SQLITE_IOERR_WRITE', 'SQLITE_IOERR_FSYNC', 'SQLITE_IOERR_SHMSIZE']);

/** A wrong expected revision, or an event id already stored: possibly a retry of an append that succeeded. */
function isConflict(error: unknown): boolean {
  return error instanceof WrongExpectedRevisionError || (error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}
