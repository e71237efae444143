import { existsSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';

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
 * SQLite file in the data directory (PostgreSQL, EventStoreDB) is not moved, and the log says it is reused.
 */
export function prepareDevnetDataDir(dataDir: string, urls: { eventStoreUrl: string; readModelsUrl: string }, at: Date = new Date()): string[] {
  const notes: string[] = [];
  const dir = resolve(dataDir);
  const earlierRun = existsSync(join(dir, DEVNET_CHIA_ROOT));
  const files = [urls.eventStoreUrl, urls.readModelsUrl].map((url) => sqliteFileIn(dir, url));
  const ledgerFile = files[0];
  if (ledgerFile === undefined) notes.push(`the event store ${urls.eventStoreUrl} is not a SQLite file in ${dir}: its ledger (if any) is reused`);
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
