import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ORIGIN_NOT_RECORDED, partialStream, type PartialEvent } from '@pool/domain';
import { SqliteEventStore } from '@pool/event-store';
import { type EventStore } from '@pool/event-sourcing';
import { ReadModelDatabase, tableContentHash } from '.';
import { describeWithPostgres, dropSchema, testSchema } from '@pool/testing';
import { listGenerations } from './generations';
import type { Projection } from './projection';
import { projectionStatus } from './projection-status';
import { Projector } from './projector';
import { farmerPointsProjection } from '@pool/projections';

const FARMERS = ['aa', 'bb', 'cc'];

/** Appends n partial streams: each submitted, most confirmed, some reverted; returns the expected balances. */
async function appendPartials(store: EventStore, n: number, seed = 0): Promise<Map<string, { pending: bigint; confirmed: bigint }>> {
  const expected = new Map(FARMERS.map((f) => [f, { pending: 0n, confirmed: 0n }]));
  for (let i = 0; i < n; i++) {
    const launcherId = FARMERS[(i + seed) % FARMERS.length]!;
    const proofHash = randomUUID().replace(/-/g, '');
    const points = String(1 + ((i * 7 + seed) % 13));
    const events: PartialEvent[] = [
      { type: 'PartialSubmitted', data: { launcherId, proofHash, points, signagePointHash: 'sp', receivedAt: 1000 + i, plotSize: 32, ...ORIGIN_NOT_RECORDED } },
    ];
    const fate = i % 5;
    if (fate !== 0) events.push({ type: 'PartialConfirmed', data: { launcherId, proofHash, points, confirmedAt: 2000 + i } });
    if (fate === 4) {
      events.push({
        type: 'PartialReverted',
        data: { launcherId, proofHash, points, reason: 'reorg', wasConfirmed: true, revertedAt: 3000 + i },
      });
    }
    await store.append(
      partialStream(proofHash),
      events.map((e) => ({ id: randomUUID(), type: e.type, data: e.data })),
      { expectedRevision: 'no_stream' },
    );
    const balance = expected.get(launcherId)!;
    if (fate === 0) balance.pending += BigInt(points);
    else if (fate !== 4) balance.confirmed += BigInt(points);
  }
  return expected;
}

async function balances(db: ReadModelDatabase): Promise<Map<string, { pending: bigint; confirmed: bigint }>> {
  const rows = await db.executor().query<{ launcher_id: string; pending_points: string | number; confirmed_points: string | number }>(
    'SELECT launcher_id, pending_points, confirmed_points FROM farmer_points ORDER BY launcher_id',
  );
  return new Map(rows.map((r) => [r.launcher_id, { pending: BigInt(r.pending_points), confirmed: BigInt(r.confirmed_points) }]));
}

/** Runs the live projector until it has caught up once, then stops it. */
async function runUntilCaughtUp(projector: Projector): Promise<void> {
  const controller = new AbortController();
  await projector.run(controller.signal, () => controller.abort());
}

const hashOf = (db: ReadModelDatabase): Promise<string> => tableContentHash(db.executor(), 'farmer_points', ['launcher_id']);

function projectorSpecs(open: () => Promise<{ store: EventStore; db: ReadModelDatabase; reopenDb: () => Promise<ReadModelDatabase> }>): void {
  let store: EventStore;
  let db: ReadModelDatabase;
  let reopenDb: () => Promise<ReadModelDatabase>;

  beforeEach(async () => {
    ({ store, db, reopenDb } = await open());
  });
  afterEach(async () => {
    await db.close();
    await store.close();
  });

  it('folds partial events into per-farmer balances behind a stable view name', async () => {
    const expected = await appendPartials(store, 60);
    await runUntilCaughtUp(new Projector(store, db, [farmerPointsProjection], { batchSize: 7 }));
    expect(await balances(db)).toEqual(expected);
    const [status] = await projectionStatus(store, db, [farmerPointsProjection]);
    expect(status).toMatchObject({ name: 'farmer_points', generation: 1, lag: 0, position: await store.headPosition() });
  });

  it('resumes after a crash exactly where the last committed batch ended', async () => {
    const expected = await appendPartials(store, 40);
    let batches = 0;
    const crashing: Projection<PartialEvent> = {
      ...farmerPointsProjection,
      async apply(batch, context) {
        await farmerPointsProjection.apply(batch, context);
        // Dies after writing rows but before its transaction commits: rows and checkpoint roll back together.
        if (++batches === 3) throw new Error('simulated crash');
      },
    };
    await expect(runUntilCaughtUp(new Projector(store, db, [crashing], { batchSize: 5 }))).rejects.toThrow('simulated crash');
    await db.close();
    db = await reopenDb();
    const [before] = await projectionStatus(store, db, [farmerPointsProjection]);
    expect(before!.lag).toBeGreaterThan(0);
    await runUntilCaughtUp(new Projector(store, db, [farmerPointsProjection], { batchSize: 5 }));
    expect(await balances(db)).toEqual(expected);
  });

  it('rebuilds into fresh tables that hash the same as the live ones, then switches over', async () => {
    await appendPartials(store, 50);
    const projector = new Projector(store, db, [farmerPointsProjection], { batchSize: 9 });
    await runUntilCaughtUp(projector);
    const more = await appendPartials(store, 20, 1);
    expect(more.size).toBe(3);
    await runUntilCaughtUp(projector);
    const live = await hashOf(db);

    await projector.rebuild();
    expect(await hashOf(db)).toBe(live);
    const generations = await listGenerations(db.executor());
    expect(generations.map((g) => [g.generation, g.status])).toEqual([
      [1, 'retired'],
      [2, 'active'],
    ]);
    // The native driver's errors come from another realm, so match the message rather than Error identity.
    await expect(db.executor().query('SELECT * FROM farmer_points__g1')).rejects.toMatchObject({ message: expect.stringMatching(/no such table|does not exist/) });
  });

  it("tells a rebuild's progress after each batch: the events read and the last one's position", async () => {
    await appendPartials(store, 12);
    const seen: [number, string][] = [];
    const projector = new Projector(store, db, [farmerPointsProjection], { rebuildBatchSize: 10, onRebuildBatch: (read, position) => seen.push([read, position]) });
    await projector.rebuild();
    const events = await store.readAll({ filter: { types: farmerPointsProjection.handles } });
    expect(seen.reduce((sum, [read]) => sum + read, 0)).toBe(events.length);
    expect(seen.slice(0, -1).every(([read]) => read === 10)).toBe(true);
    expect(seen.at(-1)![1]).toBe(await store.headPosition());
  });

  it('rebuilds a projection whose version changed before running it live', async () => {
    const expected = await appendPartials(store, 30);
    await runUntilCaughtUp(new Projector(store, db, [farmerPointsProjection]));
    const bumped: Projection = { ...farmerPointsProjection, version: farmerPointsProjection.version + 1 };
    await runUntilCaughtUp(new Projector(store, db, [bumped]));
    const [active] = (await listGenerations(db.executor())).filter((g) => g.status === 'active');
    expect(active).toMatchObject({ generation: 2, version: bumped.version });
    expect(await balances(db)).toEqual(expected);
  });
}

describe('Projector on SQLite read models', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pool-projector-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  projectorSpecs(async () => {
    const url = `sqlite:${join(dir, 'read-models.db')}`;
    return {
      store: new SqliteEventStore({ path: join(dir, 'events.db'), pollIntervalMs: 10 }),
      db: await ReadModelDatabase.open(url),
      reopenDb: () => ReadModelDatabase.open(url),
    };
  });
});

describeWithPostgres('Projector on PostgreSQL read models', (pgUrl) => {
  let schema: string;
  let dir: string;
  beforeEach(() => {
    schema = testSchema('rm');
    dir = mkdtempSync(join(tmpdir(), 'pool-projector-pg-'));
  });
  afterEach(async () => {
    rmSync(dir, { recursive: true, force: true });
    await dropSchema(pgUrl, schema);
  });

  projectorSpecs(async () => {
    const url = `${pgUrl}${pgUrl.includes('?') ? '&' : '?'}schema=${schema}`;
    return {
      store: new SqliteEventStore({ path: join(dir, 'events.db'), pollIntervalMs: 10 }),
      db: await ReadModelDatabase.open(url),
      reopenDb: () => ReadModelDatabase.open(url),
    };
  });
});
