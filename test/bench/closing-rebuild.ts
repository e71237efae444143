import { Client } from 'pg';
import { BOOKS_CLOSING_EVENT_TYPES, BOOKS_CLOSINGS_STREAM } from '@pool/domain';
import { StreamCommandRunner, type EventStore } from '@pool/event-sourcing';
import { InMemoryEventStore } from '@pool/event-store';
import { createProjections, rebuildFromLatestClosing } from '@pool/projections';
import { Projector, ReadModelDatabase, tableContentHash, type Projection } from '@pool/read-models';
import { BooksCloser } from '@pool/worker';
import { BENCH_PG_URL, type BenchAdapter } from './bench-adapters';

/**
 * The projections benchmark's closing part: the live projector with and without closing images over the same ledger
 * (what images cost the live path), then a rebuild from the latest closing against one from zero.
 */
const seconds = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e9;
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

/** A read-model database beside the adapter's own, empty, and how to drop it. */
async function freshReadModels(adapter: BenchAdapter, label: string): Promise<{ db: ReadModelDatabase; drop(): Promise<void> }> {
  if (adapter.readModelsUrl.startsWith('sqlite:')) {
    const db = await ReadModelDatabase.open(adapter.readModelsUrl.replace(/\.db$/, `-${label}.db`));
    return { db, drop: () => db.close() }; // the adapter's folder goes with its cleanup
  }
  const url = adapter.readModelsUrl.replace(/schema=([a-z0-9_]+)/, `schema=$1_${label}`);
  const schema = /schema=([a-z0-9_]+)/.exec(url)![1]!;
  const db = await ReadModelDatabase.open(url);
  return {
    db,
    drop: async () => {
      await db.close();
      const client = new Client({ connectionString: BENCH_PG_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    },
  };
}

/**
 * The live runner from empty tables until it has caught up with the store; its wall time. The tables are made active
 * first from an empty ledger: on a database without them the runner would rebuild from zero in large batches instead
 * of following in live batches (and a rebuild takes no images).
 */
async function followLive(store: EventStore, db: ReadModelDatabase, projections: readonly Projection[], images: boolean): Promise<number> {
  await new Projector(new InMemoryEventStore(), db, projections).rebuild();
  const projector = new Projector(store, db, projections, images ? { images: { after: BOOKS_CLOSING_EVENT_TYPES } } : {});
  const start = process.hrtime.bigint();
  const controller = new AbortController();
  await projector.run(controller.signal, () => controller.abort());
  return seconds(start);
}

async function hashes(db: ReadModelDatabase, projections: readonly Projection[]): Promise<string> {
  const all: string[] = [];
  for (const projection of projections) for (const table of projection.tables) all.push(await tableContentHash(db.executor(), table.name, table.primaryKey));
  return all.join(',');
}

/** Prints and returns the lines: live with/without images, rebuild from the latest closing vs from zero. */
export async function benchClosings(adapter: BenchAdapter, store: EventStore, ledgerEvents: number, fromZeroSeconds: number): Promise<string[]> {
  const projections = createProjections();
  // The closings, as the worker's closer records them (here after the whole ledger: a closing is found by the position
  // it closes at, wherever it is recorded).
  // A cached ledger (ledger-cache.ts) has them from the run that wrote it: counted from the stream either way.
  await new BooksCloser({ store, runner: new StreamCommandRunner(store), now: () => 1_700_000_000, pageSize: 20_000 }).catchUp();
  const closings = (await store.readStream(BOOKS_CLOSINGS_STREAM).catch(() => [])).length;
  const plain = await freshReadModels(adapter, 'live_plain');
  let plainSeconds: number;
  try {
    plainSeconds = await followLive(store, plain.db, projections, false);
  } finally {
    await plain.drop();
  }
  const imaged = await freshReadModels(adapter, 'live_images');
  try {
    const imagedSeconds = await followLive(store, imaged.db, projections, true);
    const live = await hashes(imaged.db, projections);
    const start = process.hrtime.bigint();
    const rebuilt = await rebuildFromLatestClosing(store, imaged.db, new Projector(store, imaged.db, projections, { batchSize: 50_000 }), projections);
    const fromClosingSeconds = seconds(start);
    if ((await hashes(imaged.db, projections)) !== live) throw new Error('the rebuild from the latest closing differs from the live tables');
    const lines = [
      `${adapter.name}: live projector over ${fmt(ledgerEvents)} events with ${closings} books closings: ${plainSeconds.toFixed(1)} s without closing images, ` +
        `${imagedSeconds.toFixed(1)} s with them: x${(imagedSeconds / plainSeconds).toFixed(2)}`,
      `${adapter.name}: rebuild from the latest closing (closing ${rebuilt.closing.sequence}): ${fmt(rebuilt.count.read)} events replayed of ${fmt(ledgerEvents)} in the ledger, ` +
        `${fromClosingSeconds.toFixed(2)} s vs ${fromZeroSeconds.toFixed(1)} s from zero: x${(fromClosingSeconds / fromZeroSeconds).toFixed(3)}; tables equal to live`,
    ];
    for (const line of lines) console.log(`  ${line}`);
    return lines;
  } finally {
    await imaged.drop();
  }
}
