import { randomUUID } from 'node:crypto';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { openEventStore } from '@pool/event-store';
import { type EventStore, type NewEvent } from '@pool/event-sourcing';
import { allProjections, farmerPointsProjection } from '@pool/projections';
import { Projector } from '@pool/read-models';
import { ReadModelDatabase } from '@pool/read-models';
import { postgresBenchAdapter, sqliteBenchAdapter, type BenchAdapter } from './bench-adapters';

/**
 * `npm run bench:store`: append, replay and rebuild rates of the SQLite and PostgreSQL adapters over a
 * generated ledger of BENCH_EVENTS (default 1,000,000) partial events. Prints one table at the end.
 */
const TOTAL_EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const FARMERS = 1000;


/** A batch of realistic partial events: submissions, most confirmed, a few reverted, across FARMERS farmers. */
function partialEvents(count: number, seed: number): NewEvent[] {
  const events: NewEvent[] = [];
  for (let i = 0; i < count; i++) {
    const n = seed + i;
    const launcherId = (n % FARMERS).toString(16).padStart(64, '0');
    const proofHash = n.toString(16).padStart(64, '0');
    const points = String(1 + (n % 37));
    const kind = n % 10;
    const type = kind < 5 ? 'PartialSubmitted' : kind < 9 ? 'PartialConfirmed' : 'PartialReverted';
    const data =
      type === 'PartialSubmitted'
        ? { launcherId, proofHash, points, signagePointHash: proofHash, receivedAt: 1_700_000_000_000 + n, plotSize: 32 }
        : type === 'PartialConfirmed'
          ? { launcherId, proofHash, points, confirmedAt: 1_700_000_000_000 + n }
          : { launcherId, proofHash, points, reason: 'reorg', wasConfirmed: false, revertedAt: 1_700_000_000_000 + n };
    events.push({ id: randomUUID(), type, data });
  }
  return events;
}

const seconds = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e9;
const rate = (events: number, s: number): string => Math.round(events / s).toLocaleString('en-US');

async function appendSingleWriter(store: EventStore, appends: number, batch: number, label: string): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < appends; i++) {
    await store.append(`partial-${label}-${i}`, partialEvents(batch, i * batch), { expectedRevision: 'no_stream' });
  }
  return (appends * batch) / seconds(start);
}

/** Writers in worker threads, each with its own connection: real concurrency for SQLite too. */
async function appendConcurrent(url: string, writers: number, appendsEach: number, batch: number): Promise<number> {
  const workers = await Promise.all(
    Array.from(
      { length: writers },
      (_, w) =>
        new Promise<Worker>((resolve, reject) => {
          const worker = new Worker(__filename, { workerData: { url, appends: appendsEach, batch, label: `w${w}-${randomUUID()}` } });
          worker.once('message', () => resolve(worker));
          worker.once('error', reject);
        }),
    ),
  );
  // Timed from the moment every writer has loaded and connected, so thread start-up is not counted.
  const start = process.hrtime.bigint();
  await Promise.all(
    workers.map(
      (worker) =>
        new Promise<void>((resolve, reject) => {
          worker.once('message', () => resolve());
          worker.once('error', reject);
          worker.postMessage('go');
        }),
    ),
  );
  return (writers * appendsEach * batch) / seconds(start);
}

async function writerThread(): Promise<void> {
  const { url, appends, batch, label } = workerData as { url: string; appends: number; batch: number; label: string };
  const store = await openEventStore(url);
  const go = new Promise((resolve) => parentPort?.once('message', resolve));
  parentPort?.postMessage('ready');
  await go;
  for (let i = 0; i < appends; i++) {
    await store.append(`partial-${label}-${i % 50}`, partialEvents(batch, i), { expectedRevision: 'any' });
  }
  await store.close();
  parentPort?.postMessage('done');
}

async function replay(store: EventStore): Promise<{ events: number; perSecond: number }> {
  const start = process.hrtime.bigint();
  let after;
  let events = 0;
  for (;;) {
    const page = await store.readAll({ after, maxCount: 5000 });
    events += page.length;
    if (page.length < 5000) break;
    after = page[page.length - 1]!.position;
  }
  return { events, perSecond: events / seconds(start) };
}

async function benchAdapter(adapter: BenchAdapter): Promise<string[][]> {
  const rows: string[][] = [];
  const row = (what: string, perSecond: number, note = ''): void => {
    rows.push([adapter.name, what, Math.round(perSecond).toLocaleString('en-US'), note]);
    console.log(`  ${adapter.name}: ${what}: ${rate(perSecond, 1)} events/s ${note}`);
  };
  const store = await openEventStore(adapter.eventStoreUrl);
  try {
    row('append, 1 writer, batch 1', await appendSingleWriter(store, 2000, 1, 'single'), '(2,000 appends)');
    row('append, 8 writers, batch 1', await appendConcurrent(adapter.eventStoreUrl, 8, 300, 1), '(2,400 appends, worker threads)');
    row('append, 8 writers, batch 10', await appendConcurrent(adapter.eventStoreUrl, 8, 100, 10), '(8,000 events)');
    const bulk = Math.max(0, TOTAL_EVENTS - 2000 - 2400 - 8000);
    row('append, 1 writer, batch 100', await appendSingleWriter(store, Math.ceil(bulk / 100), 100, 'bulk'), `(${bulk.toLocaleString('en-US')} events)`);
    const replayed = await replay(store);
    row('read-all replay', replayed.perSecond, `(${replayed.events.toLocaleString('en-US')} events, pages of 5,000)`);
    const readModels = await ReadModelDatabase.open(adapter.readModelsUrl);
    try {
      const start = process.hrtime.bigint();
      const applied = await new Projector(store, readModels, allProjections, { batchSize: 5000 }).rebuild([farmerPointsProjection]);
      row('rebuild farmer_points', applied / seconds(start), `(${applied.toLocaleString('en-US')} events)`);
    } finally {
      await readModels.close();
    }
  } finally {
    await store.close();
    await adapter.cleanup();
  }
  return rows;
}



async function main(): Promise<void> {
  console.log(`store benchmark: ${TOTAL_EVENTS.toLocaleString('en-US')} events per adapter, ${FARMERS} farmers`);
  const rows: string[][] = [];
  rows.push(...(await benchAdapter(sqliteBenchAdapter('store'))));
  const pg = await postgresBenchAdapter('store');
  if (typeof pg === 'string') console.log(`postgres skipped: ${pg}`);
  else rows.push(...(await benchAdapter(pg)));

  const header = ['adapter', 'measure', 'events/s', 'note'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => (i === 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ')} |`;
  console.log(`\n${line(header)}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
}

if (isMainThread) {
  void main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
} else {
  void writerThread();
}
