import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { NEWEST_LEDGER_FORMAT, openEventStore } from '@pool/event-store';
import type { EventStore } from '@pool/event-sourcing';
import { BENCH_PG_URL } from './bench-adapters';

/**
 * Generated ledgers kept between benchmark runs, outside the clone: a ledger of millions of events takes minutes to
 * write and is the same every time for the same generator and inputs. The key hashes the inputs and the generator's
 * compiled source, so a change to either writes a new ledger. SQLite: a file under POOL_BENCH_CACHE (default
 * ~/.cache/chia-pool-ledger/bench); PostgreSQL: a schema on the bench server. A ledger is only kept once complete.
 * BENCH_CACHE=0 writes a throwaway ledger instead.
 */
export const BENCH_CACHE_DIR = process.env.POOL_BENCH_CACHE ?? join(homedir(), '.cache', 'chia-pool-ledger', 'bench');
const CACHING = process.env.BENCH_CACHE !== '0';

export interface CachedLedger {
  /** The store to read (and not to write: another run reads the same ledger). */
  eventStoreUrl: string;
  /** Events the generator appended. */
  events: number;
  /** Whether this run wrote it, and what writing it took. */
  written: { events: number; seconds: number } | null;
  /** Drops a throwaway ledger (BENCH_CACHE=0); nothing for a cached one. */
  cleanup(): Promise<void>;
}

/** Writes the ledger into an empty store; returns how many events it appended. */
export type WriteLedger = (store: EventStore) => Promise<number>;

/** A short key over the inputs and the generator modules' compiled text. */
export function ledgerKey(inputs: unknown, generatorModules: readonly string[]): string {
  const hash = createHash('sha256').update(JSON.stringify(inputs));
  for (const module of generatorModules) hash.update(readFileSync(module));
  return hash.digest('hex').slice(0, 12);
}

const seconds = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e9;

async function writeInto(url: string, write: WriteLedger): Promise<{ events: number; seconds: number }> {
  const store = await openEventStore(url);
  const start = process.hrtime.bigint();
  try {
    const events = await write(store);
    return { events, seconds: seconds(start) };
  } finally {
    await store.close();
  }
}

export async function cachedSqliteLedger(label: string, key: string, write: WriteLedger): Promise<CachedLedger> {
  mkdirSync(BENCH_CACHE_DIR, { recursive: true });
  // The row format is part of the key: a ledger cached in an older format would measure the older format.
  const file = join(BENCH_CACHE_DIR, `${label}-${key}-format${NEWEST_LEDGER_FORMAT.sqlite}${CACHING ? '' : `-${process.pid}`}.db`);
  const removeFiles = (path: string): void => ['', '-wal', '-shm'].forEach((suffix) => rmSync(`${path}${suffix}`, { force: true }));
  const counted = `${file}.json`;
  if (CACHING && existsSync(file) && existsSync(counted)) {
    const { events } = JSON.parse(readFileSync(counted, 'utf8')) as { events: number };
    return { eventStoreUrl: `sqlite:${file}`, events, written: null, cleanup: async () => undefined };
  }
  const partial = `${file}.partial`;
  removeFiles(partial);
  const written = await writeInto(`sqlite:${partial}`, write);
  // Closed above: SQLite has folded its write-ahead log into the file, which is complete from here.
  renameSync(partial, file);
  removeFiles(partial);
  writeFileSync(counted, JSON.stringify({ events: written.events }));
  const cleanup = async (): Promise<void> => (CACHING ? undefined : [file, counted].forEach((path) => removeFiles(path)));
  return { eventStoreUrl: `sqlite:${file}`, events: written.events, written, cleanup };
}

/** PostgreSQL: a schema per ledger, marked complete by a table of its own once the ledger is written. */
export async function cachedPostgresLedger(label: string, key: string, write: WriteLedger): Promise<CachedLedger | string> {
  const client = new Client({ connectionString: BENCH_PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
  } catch (error) {
    return `PostgreSQL at ${BENCH_PG_URL} not reachable (${(error as Error).message})`;
  }
  try {
    const schema = `bench_cache_${label}_${key}_format${NEWEST_LEDGER_FORMAT.postgres}${CACHING ? '' : `_${process.pid}`}`.replace(/[^a-z0-9_]/g, '_');
    const sep = BENCH_PG_URL.includes('?') ? '&' : '?';
    const url = `${BENCH_PG_URL}${sep}schema=${schema}`;
    const marked = await client.query(`SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'bench_ledger_complete'`, [schema]);
    const complete = marked.rowCount === 1 ? await client.query<{ events: string }>(`SELECT events FROM "${schema}".bench_ledger_complete`) : undefined;
    const drop = async (): Promise<void> => {
      const c = new Client({ connectionString: BENCH_PG_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await c.end();
    };
    if (CACHING && complete?.rows[0] !== undefined) return { eventStoreUrl: url, events: Number(complete.rows[0].events), written: null, cleanup: async () => undefined };
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    const written = await writeInto(url, write);
    await client.query(`CREATE TABLE "${schema}".bench_ledger_complete (events bigint NOT NULL)`);
    await client.query(`INSERT INTO "${schema}".bench_ledger_complete VALUES ($1)`, [written.events]);
    await client.query(`VACUUM ANALYZE "${schema}".es_events`);
    return { eventStoreUrl: url, events: written.events, written, cleanup: CACHING ? async () => undefined : drop };
  } finally {
    await client.end();
  }
}
