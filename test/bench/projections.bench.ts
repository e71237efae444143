import { openEventStore } from '@pool/event-store';
import { StreamCommandRunner, type EventStore } from '@pool/event-sourcing';
import { createProjections } from '@pool/projections';
import { Projector } from '@pool/read-models';
import { BooksCloser } from '@pool/worker';
import { rebuildInThreads } from '@pool/projector';
import { availableParallelism } from 'node:os';
import { appendLedger, generateLedger } from '../support/projections/generated-ledger';
import { ReadModelDatabase, tableContentHash } from '@pool/read-models';
import { postgresBenchAdapter, sqliteBenchAdapter, type BenchAdapter } from './bench-adapters';
import { benchClosings } from './closing-rebuild';
import { cachedPostgresLedger, cachedSqliteLedger, ledgerKey, type CachedLedger } from './ledger-cache';

/**
 * `npm run bench:projections`: rebuild ALL projections from zero over a generated ledger of BENCH_EVENTS
 * (default 1,000,000) events: farmers registering and changing difficulty, partials with confirms and reverts
 * (reorgs included), rewards and payouts. Prints events/s per adapter (events in the ledger / wall time of
 * the rebuild, which reads the store, folds and writes every projection's tables, and switches generations).
 * The ledger is kept between runs (ledger-cache.ts), with its books closings when the closings part runs
 * (BENCH_CLOSINGS, on by default). Target: 100,000 events/s on SQLite and on PostgreSQL.
 * The rebuild runs in BENCH_REBUILD_THREADS threads (default: the cores; rebuildInThreads), and again on one thread
 * for the ratio in the same run unless BENCH_ONE_THREAD=0.
 */
const TOTAL_EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const FARMERS = Number(process.env.BENCH_FARMERS ?? 1000);
const BATCH = Number(process.env.BENCH_BATCH ?? 50_000);
const CLOSINGS = process.env.BENCH_CLOSINGS !== '0';
const THREADS = Number(process.env.BENCH_REBUILD_THREADS ?? availableParallelism());
const ONE_THREAD = process.env.BENCH_ONE_THREAD !== '0' && THREADS > 1;
const TARGET = 100_000;

const seconds = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e9;
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

async function write(store: EventStore): Promise<number> {
  // ~2 s of ledger time per partial: 1M events span about two weeks, so retention pruning takes part.
  const events = await appendLedger(store, generateLedger({ farmers: FARMERS, events: TOTAL_EVENTS, seed: 2024, secondsPerPartial: 2 }), { chunk: 2000 });
  // The closings, as the worker's closer records them (after the whole ledger: a closing is found by the position it
  // closes at, wherever it is recorded), so that the rebuild from zero reads the same ledger as the closings part.
  if (CLOSINGS) await new BooksCloser({ store, runner: new StreamCommandRunner(store), now: () => 1_700_000_000, pageSize: 20_000 }).catchUp();
  return events;
}

/** The closing images' lines (closing-rebuild.ts), printed again with the results. */
const closingLines: string[] = [];

async function benchAdapter(adapter: BenchAdapter, ledger: CachedLedger): Promise<string[]> {
  const store = await openEventStore(ledger.eventStoreUrl);
  try {
    const w = ledger.written;
    if (w === null) console.log(`  ${adapter.name}: the generated ledger from the cache`);
    else console.log(`  ${adapter.name}: generated ${fmt(w.events)} events (${fmt(w.events / w.seconds)} events/s, appends of 2,000), kept for the next run`);
    const readModels = await ReadModelDatabase.open(adapter.readModelsUrl);
    try {
      const projections = createProjections();
      const events = ledger.events;
      const rebuild = async (threads: number): Promise<{ s: number; applied: number; cpuSeconds: number }> => {
        const start = process.hrtime.bigint();
        const cpu = process.cpuUsage();
        const prefill = rebuildInThreads({ eventStoreUrl: ledger.eventStoreUrl, readModelsUrl: adapter.readModelsUrl, threads, batchSize: BATCH });
        const applied = await new Projector(store, readModels, projections, { batchSize: BATCH, prefill }).rebuild();
        const used = process.cpuUsage(cpu);
        // The benchmark process's own CPU time, its threads' included (not the PostgreSQL server's): on a shared
        // machine, wall time also counts waiting for a core.
        return { s: seconds(start), applied, cpuSeconds: (used.user + used.system) / 1e6 };
      };
      const single = ONE_THREAD ? await rebuild(1) : undefined;
      const { s, applied, cpuSeconds } = await rebuild(THREADS);
      const perSecond = events / s;
      if (single) {
        console.log(
          `  ${adapter.name}: on one thread ${single.s.toFixed(1)} s: ${fmt(events / single.s)} events/s (${single.cpuSeconds.toFixed(1)} s of CPU); ` +
            `in ${THREADS} threads x${(single.s / s).toFixed(2)} faster`,
        );
      }
      console.log(
        `  ${adapter.name}: rebuilt ${projections.length} projections in ${THREADS} thread(s) over ${fmt(events)} events in ${s.toFixed(1)} s: ${fmt(perSecond)} events/s ` +
          `(${fmt(applied)} event applications, batches of ${fmt(BATCH)}; this process used ${cpuSeconds.toFixed(1)} s of CPU, ` +
          `${fmt(events / cpuSeconds)} events per CPU second; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB)` +
          `${perSecond >= TARGET ? `  target ${fmt(TARGET)} met` : `  BELOW the ${fmt(TARGET)} events/s target`}`,
      );
      if (process.env.BENCH_HASHES) {
        // The tables' content, to compare the rebuilt read models across changes to the fold or the runtime.
        for (const projection of projections) {
          for (const table of projection.tables) {
            console.log(`    hash ${table.name} ${await tableContentHash(readModels.executor(), table.name, table.primaryKey)}`);
          }
        }
      }
      if (CLOSINGS) closingLines.push(...(await benchClosings(adapter, store, events, s)));
      return [adapter.name, fmt(events), s.toFixed(1), fmt(perSecond), cpuSeconds.toFixed(1), fmt(applied)];
    } finally {
      await readModels.close();
    }
  } finally {
    await store.close();
    await adapter.cleanup();
    await ledger.cleanup();
  }
}

async function main(): Promise<void> {
  console.log(`projections benchmark: rebuild of all projections over ${fmt(TOTAL_EVENTS)} generated events, ${fmt(FARMERS)} farmers (target >= ${fmt(TARGET)} events/s)`);
  const key = ledgerKey({ FARMERS, TOTAL_EVENTS, seed: 2024, secondsPerPartial: 2, chunk: 2000, CLOSINGS }, [require.resolve('../support/projections/generated-ledger')]);
  const rows: string[][] = [];
  const only = process.env.BENCH_ADAPTERS?.split(',');
  if (!only || only.includes('sqlite')) rows.push(await benchAdapter(sqliteBenchAdapter('projections'), await cachedSqliteLedger('projections', key, write)));
  if (!only || only.includes('postgres')) {
    const pg = await postgresBenchAdapter('projections');
    const ledger = typeof pg === 'string' ? pg : await cachedPostgresLedger('projections', key, write);
    if (typeof pg === 'string' || typeof ledger === 'string') console.log(`postgres skipped: ${typeof pg === 'string' ? pg : ledger}`);
    else rows.push(await benchAdapter(pg, ledger));
  }
  console.log('\nadapter\tevents\trebuild s\tevents/s\tprocess CPU s\tapplications');
  for (const row of rows) console.log(row.join('\t'));
  for (const line of closingLines) console.log(line);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
