import { openEventStore } from '@pool/event-store';
import { type EventStore } from '@pool/event-sourcing';
import { createProjections } from '@pool/projections';
import { Projector } from '@pool/read-models';
import { appendLedger, generateLedger } from '../support/projections/generated-ledger';
import { ReadModelDatabase, tableContentHash } from '@pool/read-models';
import { postgresBenchAdapter, sqliteBenchAdapter, type BenchAdapter } from './bench-adapters';
import { benchClosings } from './closing-rebuild';

/**
 * `npm run bench:projections`: rebuild ALL projections from zero over a generated ledger of BENCH_EVENTS
 * (default 1,000,000) events: farmers registering and changing difficulty, partials with confirms and reverts
 * (reorgs included), rewards and payouts. Prints events/s per adapter (events in the ledger / wall time of
 * the rebuild, which reads the store, folds and writes every projection's tables, and switches generations).
 * Target: 50,000 events/s on SQLite and on PostgreSQL.
 */
const TOTAL_EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const FARMERS = Number(process.env.BENCH_FARMERS ?? 1000);
const BATCH = Number(process.env.BENCH_BATCH ?? 50_000);
const TARGET = 50_000;

const seconds = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e9;
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

async function load(store: EventStore): Promise<{ events: number; perSecond: number }> {
  const start = process.hrtime.bigint();
  // ~2 s of ledger time per partial: 1M events span about two weeks, so retention pruning takes part.
  const events = await appendLedger(store, generateLedger({ farmers: FARMERS, events: TOTAL_EVENTS, seed: 2024, secondsPerPartial: 2 }), { chunk: 2000 });
  return { events, perSecond: events / seconds(start) };
}

/** The closing images' lines (closing-rebuild.ts), printed again with the results. */
const closingLines: string[] = [];

async function benchAdapter(adapter: BenchAdapter): Promise<string[]> {
  const store = await openEventStore(adapter.eventStoreUrl);
  try {
    const loaded = await load(store);
    console.log(`  ${adapter.name}: loaded ${fmt(loaded.events)} events (${fmt(loaded.perSecond)} events/s, appends of 2,000)`);
    const readModels = await ReadModelDatabase.open(adapter.readModelsUrl);
    try {
      const projections = createProjections();
      const start = process.hrtime.bigint();
      const cpu = process.cpuUsage();
      const applied = await new Projector(store, readModels, projections, { batchSize: BATCH }).rebuild();
      const s = seconds(start);
      const used = process.cpuUsage(cpu);
      // The benchmark process's own CPU time (not the PostgreSQL server's): on a shared machine, wall time
      // also counts waiting for a core.
      const cpuSeconds = (used.user + used.system) / 1e6;
      const perSecond = loaded.events / s;
      console.log(
        `  ${adapter.name}: rebuilt ${projections.length} projections in ${s.toFixed(1)} s: ${fmt(perSecond)} events/s ` +
          `(${fmt(applied)} event applications, batches of ${fmt(BATCH)}; this process used ${cpuSeconds.toFixed(1)} s of CPU, ` +
          `${fmt(loaded.events / cpuSeconds)} events per CPU second)${perSecond >= TARGET ? '' : `  BELOW the ${fmt(TARGET)} events/s target`}`,
      );
      if (process.env.BENCH_HASHES) {
        // The tables' content, to compare the rebuilt read models across changes to the fold or the runtime.
        for (const projection of projections) {
          for (const table of projection.tables) {
            console.log(`    hash ${table.name} ${await tableContentHash(readModels.executor(), table.name, table.primaryKey)}`);
          }
        }
      }
      if (process.env.BENCH_CLOSINGS !== '0') closingLines.push(...(await benchClosings(adapter, store, loaded.events, s)));
      return [adapter.name, fmt(loaded.events), s.toFixed(1), fmt(perSecond), cpuSeconds.toFixed(1), fmt(applied)];
    } finally {
      await readModels.close();
    }
  } finally {
    await store.close();
    await adapter.cleanup();
  }
}

async function main(): Promise<void> {
  console.log(`projections benchmark: rebuild of all projections over ${fmt(TOTAL_EVENTS)} generated events, ${fmt(FARMERS)} farmers`);
  const rows: string[][] = [];
  const only = process.env.BENCH_ADAPTERS?.split(',');
  if (!only || only.includes('sqlite')) rows.push(await benchAdapter(sqliteBenchAdapter('projections')));
  if (!only || only.includes('postgres')) {
    const pg = await postgresBenchAdapter('projections');
    if (typeof pg === 'string') console.log(`postgres skipped: ${pg}`);
    else rows.push(await benchAdapter(pg));
  }
  console.log('\nadapter\tevents\trebuild s\tevents/s\tprocess CPU s\tapplications');
  for (const row of rows) console.log(row.join('\t'));
  for (const line of closingLines) console.log(line);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
