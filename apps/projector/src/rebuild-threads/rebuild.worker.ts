import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { openEventStore } from '@pool/event-store';
import { createProjections } from '@pool/projections';
import { createGeneration, lockGeneration, physicalTable, Projector, ReadModelDatabase, type Projection, type RebuildCount } from '@pool/read-models';
import type { RebuildThreadData, RebuildThreadReply } from './rebuild-thread-messages';

/**
 * Events per batch unless told otherwise. The Projector's own default (20,000) keeps a rebuild's hold on a shared SQLite
 * file short; a thread writes a scratch file of its own, or PostgreSQL, and larger batches save per-batch work.
 */
const THREAD_BATCH = 50_000;

/**
 * Body of one rebuild thread: reads the ledger itself and builds its group of projections into the generations the
 * rebuild created, then ends. The caller catches the generations up with what was appended meanwhile and switches.
 */
async function rebuildGroup(data: RebuildThreadData, port: MessagePort): Promise<RebuildCount> {
  const store = await openEventStore(data.eventStoreUrl, { readOnly: true });
  try {
    const projections = createProjections(data.projectionOptions).filter((projection) => projection.name in data.generations);
    const options = {
      rebuildBatchSize: data.batchSize ?? THREAD_BATCH,
      onRebuildBatch: data.reportsProgress ? (read: number, position: string) => port.postMessage({ type: 'batch', read, position } satisfies RebuildThreadReply) : undefined,
    };
    if (!data.readModelsUrl.startsWith('sqlite:')) {
      // PostgreSQL takes writers side by side (each projection commits on its own connection): straight into its tables.
      const readModels = await ReadModelDatabase.open(data.readModelsUrl);
      try {
        const targets = new Map(projections.map((projection) => [projection, data.generations[projection.name]!]));
        return await new Projector(store, readModels, projections, options).catchUp(targets);
      } finally {
        await readModels.close();
      }
    }
    // A SQLite file has one writer at a time, and a batch holds the lock while it folds: the thread builds in a
    // scratch database of its own, and copies what it built once at the end. A file with no journal and no syncs,
    // rather than memory: the operating system keeps it cached as it can, and a long ledger's tables do not have to
    // fit in the process beside the read models' own.
    const scratch = mkdtempSync(join(tmpdir(), 'pool-rebuild-'));
    const scratchDb = await ReadModelDatabase.open(`sqlite:${join(scratch, 'rebuild.db')}`);
    try {
      await scratchDb.executor().query('PRAGMA journal_mode = OFF');
      await scratchDb.executor().query('PRAGMA synchronous = OFF');
      const built = new Map<Projection, number>();
      await scratchDb.transaction(async (sql) => {
        for (const projection of projections) built.set(projection, await createGeneration(sql, projection, { deferIndexes: true }));
      });
      const count = await new Projector(store, scratchDb, projections, options).catchUp(built);
      await copyGenerations(scratchDb, resolve(data.readModelsUrl.slice('sqlite:'.length)), built, data.generations);
      return count;
    } finally {
      await scratchDb.close();
      rmSync(scratch, { recursive: true, force: true });
    }
  } finally {
    await store.close();
  }
}

/** Copies the tables built in the scratch database, with their checkpoints, into the generations of the read-model file, in one transaction. */
async function copyGenerations(scratchDb: ReadModelDatabase, file: string, built: ReadonlyMap<Projection, number>, into: Record<string, number>): Promise<void> {
  const connection = scratchDb.executor();
  await connection.query('ATTACH DATABASE ? AS destination', [file]);
  try {
    // Another thread may be copying its own group: wait for the file's write lock as long as that takes.
    await connection.query('PRAGMA busy_timeout = 3600000');
    await scratchDb.transaction(async (sql) => {
      for (const [projection, generation] of built) {
        const target = into[projection.name]!;
        for (const table of projection.tables) {
          await sql.query(`INSERT INTO destination.${physicalTable(table.name, target)} SELECT * FROM main.${physicalTable(table.name, generation)}`);
        }
        const position = (await lockGeneration(sql, projection.name, generation))?.position ?? null;
        await sql.query(`UPDATE destination.projection_generations SET position = ?, "updatedAt" = ? WHERE name = ? AND generation = ?`, [
          position,
          Date.now(),
          projection.name,
          target,
        ]);
      }
    });
  } finally {
    await connection.query('DETACH DATABASE destination');
  }
}

const port = parentPort;
if (port === null) throw new Error('rebuild.worker must run in a worker thread');
rebuildGroup(workerData as RebuildThreadData, port).then(
  ({ read, applied }) => port.postMessage({ type: 'done', read, applied } satisfies RebuildThreadReply),
  (error: unknown) => port.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) } satisfies RebuildThreadReply),
);
