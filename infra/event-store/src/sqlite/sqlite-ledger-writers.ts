import type Database from 'better-sqlite3';
import { type Worker } from 'node:worker_threads';
import { startWorker } from '@pool/runtime';
import { SqliteLedgerWriter, type AppendRequest, type GroupAnswer, type WriteRefusal } from './sqlite-ledger-writer';

/** Where a SQLite store's group commits run: on its own thread (an in-memory ledger) or on a writer thread (a file). */
export interface LedgerWriter {
  commit(batch: AppendRequest[]): Promise<GroupAnswer>;
  /** A write of its own, for readiness probes: undefined when it committed. */
  probe(bytes: number): Promise<WriteRefusal | undefined>;
  close(): Promise<void>;
}

/** On the store's own connection: an in-memory database exists on one connection only. */
export class InlineLedgerWriter implements LedgerWriter {
  private readonly writer: SqliteLedgerWriter;

  constructor(db: Database.Database, path: string) {
    this.writer = new SqliteLedgerWriter(db, path);
  }

  async commit(batch: AppendRequest[]): Promise<GroupAnswer> {
    return this.writer.commit(batch);
  }

  async probe(bytes: number): Promise<WriteRefusal | undefined> {
    return this.writer.probe(bytes);
  }

  async close(): Promise<void> {}
}

export type WriterRequest =
  | { type: 'commit'; id: number; batch: AppendRequest[] }
  | { type: 'probe'; id: number; bytes: number }
  | { type: 'close'; id: number };

export type WriterReply =
  | { type: 'committed'; id: number; answer: GroupAnswer }
  | { type: 'probed'; id: number; refusal: WriteRefusal | undefined }
  | { type: 'closed'; id: number }
  | { type: 'fatal'; message: string };

const WRITER_SCRIPT = `${__dirname}/sqlite-writer.thread`;

/**
 * A writer thread with a connection of its own. better-sqlite3 is synchronous: on the thread that serves HTTP a
 * COMMIT stalls every request for its fsync (about 3 ms here) and, every thousand pages, for SQLite's automatic WAL
 * checkpoint (40-50 ms measured under load). Here they stall only the next group, which meanwhile gathers the
 * appends that arrive. The thread keeps the process alive only while a request is pending, as a socket would.
 */
export class ThreadLedgerWriter implements LedgerWriter {
  private readonly thread: Worker;
  private readonly pending = new Map<number, { resolve(reply: WriterReply): void; reject(error: Error): void }>();
  private nextId = 1;
  /** Set once the thread has died or refused to open: every request then fails with it. */
  private broken?: Error;

  constructor(path: string) {
    this.thread = startWorker(WRITER_SCRIPT, { workerData: { path } });
    this.thread.unref();
    this.thread.on('message', (reply: WriterReply) => {
      if (reply.type === 'fatal') return this.fail(new Error(`the ledger writer for ${path} could not start: ${reply.message}`));
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (this.pending.size === 0) this.thread.unref();
      waiting?.resolve(reply);
    });
    this.thread.on('error', (error) => this.fail(new Error(`the ledger writer for ${path} failed: ${error.message}`, { cause: error })));
    this.thread.on('exit', () => this.fail(new Error(`the ledger writer for ${path} has stopped`)));
  }

  async commit(batch: AppendRequest[]): Promise<GroupAnswer> {
    const reply = await this.request({ type: 'commit', id: this.nextId++, batch });
    if (reply.type !== 'committed') throw new Error(`the ledger writer answered ${reply.type} to a commit`);
    return reply.answer;
  }

  async probe(bytes: number): Promise<WriteRefusal | undefined> {
    const reply = await this.request({ type: 'probe', id: this.nextId++, bytes });
    if (reply.type !== 'probed') throw new Error(`the ledger writer answered ${reply.type} to a probe`);
    return reply.refusal;
  }

  async close(): Promise<void> {
    if (this.broken) return;
    await this.request({ type: 'close', id: this.nextId++ });
    await this.thread.terminate();
  }

  private request(message: WriterRequest): Promise<WriterReply> {
    if (this.broken) return Promise.reject(this.broken);
    return new Promise((resolve, reject) => {
      this.pending.set(message.id, { resolve, reject });
      this.thread.ref();
      this.thread.postMessage(message);
    });
  }

  private fail(error: Error): void {
    this.broken ??= error;
    for (const waiting of this.pending.values()) waiting.reject(this.broken);
    this.pending.clear();
  }
}
