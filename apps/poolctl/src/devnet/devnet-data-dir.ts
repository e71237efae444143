import { existsSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { type EventStore } from '@pool/event-sourcing';
import { type ReadModelDatabase } from '@pool/read-models';

/** Where the certificates of a devnet run live; its presence also marks a directory a devnet run has used. */
export const DEVNET_CHIA_ROOT = 'devnet-chia-root';
/** Ledgers of earlier runs, one folder each, named by when they were moved there. */
export const PREVIOUS_RUNS = 'previous-runs';

/**
 * Makes `dataDir` ready for a new devnet run and returns what it did, for the log.
 *
 * The devnet's chain lives in memory and starts again from genesis on every run, always the same (its hashes derive
 * from a fixed seed, so the farmers' plot NFTs, and so their cached plots, stay the same). A ledger left by an
 * earlier run describes the chain that is gone: its farmers' partials would come back as duplicates of the new
 * chain's identical signage points, and its rewards and payouts would name coins the new chain mints again. So the
 * earlier run's SQLite files are moved, whole, to `previous-runs/<time>/` (still there for `poolctl audit`), and
 * the new run starts an empty ledger. A directory no devnet run has used is never touched; a ledger that is not a
 * SQLite file in the data directory (PostgreSQL, EventStoreDB, a file elsewhere) is not moved: the run then
 * refuses it unless it is empty (assertFreshDevnetLedger).
 */
export function prepareDevnetDataDir(dataDir: string, urls: { eventStoreUrl: string; readModelsUrl: string }, at: Date = new Date()): string[] {
  const notes: string[] = [];
  const dir = resolve(dataDir);
  const earlierRun = existsSync(join(dir, DEVNET_CHIA_ROOT));
  const files = [urls.eventStoreUrl, urls.readModelsUrl].map((url) => sqliteFileIn(dir, url));
  const ledgerFile = files[0];
  if (ledgerFile === undefined) notes.push(`the event store ${redactUrl(urls.eventStoreUrl)} is not a SQLite file in ${dir}: it is not moved aside, and must hold no ledger yet`);
  if (!earlierRun) {
    if (ledgerFile !== undefined && existsSync(ledgerFile)) {
      throw new Error(`${dir} holds a ledger (${basename(ledgerFile)}) that no devnet run made; run the devnet with another --data-dir`);
    }
    return notes;
  }
  const present = files.filter((file): file is string => file !== undefined).flatMap((file) => companions(file));
  if (present.length === 0) return notes;
  const target = join(dir, PREVIOUS_RUNS, at.toISOString().replace(/[:.]/g, '-'));
  mkdirSync(target, { recursive: true });
  for (const file of present) renameSync(file, join(target, basename(file)));
  const shown = relative(process.cwd(), target);
  notes.push(`the previous run's ledger (its chain is gone) moved to ${shown.startsWith('..') ? target : shown}; this run starts a new one`);
  return notes;
}

/** The file behind a `sqlite:PATH` URL when it lies directly in `dir`. */
function sqliteFileIn(dir: string, url: string): string | undefined {
  if (!url.startsWith('sqlite:')) return undefined;
  const path = url.slice('sqlite:'.length);
  if (path === '' || path === ':memory:') return undefined;
  const file = resolve(path);
  return resolve(file, '..') === dir ? file : undefined;
}

/** The database file and its WAL, shared-memory and journal files, those that exist. */
function companions(file: string): string[] {
  const dir = resolve(file, '..');
  const name = basename(file);
  const names = new Set(readdirSync(dir));
  return [name, `${name}-wal`, `${name}-shm`, `${name}-journal`].filter((n) => names.has(n)).map((n) => join(dir, n));
}

/**
 * Refuses to run the devnet on a ledger that already holds events (or on read models already built from one).
 *
 * The devnet's chain lives in memory and starts again from genesis on every run: a ledger written by an earlier run
 * (or by anything else) records rewards, partials and heights of a chain that is gone. A pool started on it finds
 * none of those coins and blocks and records them as reverted, and a deficit, though no chain ever reverted them.
 * Resuming the old chain is impossible (nothing of it was kept), so the honest answer is to refuse, before the pool
 * starts, naming the store. SQLite files in the data directory never get here: prepareDevnetDataDir moved them.
 */
export async function assertFreshDevnetLedger(
  store: Pick<EventStore, 'readAll'>,
  readModels: Pick<ReadModelDatabase, 'executor'>,
  urls: { eventStoreUrl: string; readModelsUrl: string },
): Promise<void> {
  const [first] = await store.readAll({ maxCount: 1 });
  if (first !== undefined) {
    throw new Error(
      `the event store ${redactUrl(urls.eventStoreUrl)} already holds a ledger (its first event: ${first.type}, recorded ${first.recordedAt.toISOString()}). ` +
        "The devnet's chain starts again from genesis on every run, so that ledger's rewards, partials and heights belong to a chain that is gone: " +
        'the pool would record reverts that never happened. Run the devnet on a fresh store (an empty database or another ?schema=), ' +
        'or leave POOL_EVENT_STORE_URL unset so it keeps its ledger in SQLite files in --data-dir, which each new run moves aside.',
    );
  }
  const [built] = await readModels.executor().query<{ n: number | string }>('SELECT count(*) AS n FROM projection_generations');
  if (Number(built?.n ?? 0) > 0) {
    throw new Error(
      `the read models ${redactUrl(urls.readModelsUrl)} were built from another ledger, while the event store is empty: ` +
        'give the devnet fresh read models too (an empty database or another ?schema=), or leave POOL_READ_MODELS_URL unset.',
    );
  }
}

/** A store URL fit for a log line: a password in it is replaced by ***. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z+]+:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}
