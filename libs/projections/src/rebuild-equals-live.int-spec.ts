import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SqliteEventStore } from '@pool/event-store';
import { type EventStore } from '@pool/event-sourcing';
import { ReadModelDatabase } from '@pool/read-models';
import { describeWithPostgres, dropSchema, testSchema, projectionTableHashes } from '@pool/testing';
import { listGenerations } from '@pool/read-models';
import { projectionStatus } from '@pool/read-models';
import { Projector } from '@pool/read-models';
import { createProjections } from '.';
import { appendLedger, generateLedger, type GeneratedEvent } from '@pool/testing';

/**
 * Rebuild equals live: the projector follows a ledger in small batches while it is being written, then a
 * rebuild from zero into fresh tables must give every table of every projection the same content hash.
 */
const projections = createProjections({ retentionSeconds: 86_400 });

async function waitUntilCaughtUp(store: EventStore, db: ReadModelDatabase): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    const statuses = await projectionStatus(store, db, projections);
    if (statuses.every((s) => s.generation !== null && s.lag === 0)) return;
    await sleep(25);
  }
  throw new Error('the live projector did not catch up');
}

function rebuildSpecs(openDb: () => Promise<ReadModelDatabase>, size: { events: number; batchSize: number }): void {
  let dir: string;
  let store: EventStore;
  let db: ReadModelDatabase;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pool-rebuild-live-'));
    store = new SqliteEventStore({ path: join(dir, 'events.db'), pollIntervalMs: 5 });
    db = await openDb();
  });
  afterEach(async () => {
    await db.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives every table of every projection the same hash after a rebuild as the live, incremental build', async () => {
    const generated = [...generateLedger({ farmers: 10, events: size.events, seed: 42, secondsPerPartial: 120, rewardEvery: 60, payoutEvery: 300, churn: 15 })];
    const live = new Projector(store, db, projections, { batchSize: size.batchSize });
    const controller = new AbortController();
    const running = live.run(controller.signal);
    try {
      // Events arrive while the projector runs: uneven slices, with pauses that let it catch up part way.
      let offset = 0;
      for (let slice = 1; offset < generated.length; slice = (slice * 7) % 97) {
        const part: GeneratedEvent[] = generated.slice(offset, offset + 20 + slice * 3);
        offset += part.length;
        await appendLedger(store, part);
        await sleep(slice % 3 === 0 ? 20 : 0);
      }
      await waitUntilCaughtUp(store, db);
    } finally {
      controller.abort();
      await running;
    }
    const before = await projectionTableHashes(db, projections);
    expect(Object.keys(before).length).toBeGreaterThanOrEqual(15);
    const rows = await db.executor().query<{ n: number | string }>('SELECT count(*) AS n FROM partial_history');
    expect(Number(rows[0]!.n)).toBeGreaterThan(0);
    // Refusals were pruned along the way (the ledger spans more than the retention) and some are still shown.
    const refused = await db.executor().query<{ n: number | string }>('SELECT count(*) AS n FROM refused_partials');
    expect(Number(refused[0]!.n)).toBeGreaterThan(0);
    expect(Number(refused[0]!.n)).toBeLessThan(generated.filter((g) => g.event.type === 'PartialRefused').length);

    await new Projector(store, db, projections, { batchSize: 500 }).rebuild();
    const generations = await listGenerations(db.executor());
    expect(generations.filter((g) => g.status === 'active').map((g) => g.generation)).toEqual(projections.map(() => 2));
    expect(await projectionTableHashes(db, projections)).toEqual(before);
  }, 300_000);
}

describe('rebuild equals live on SQLite read models', () => {
  let dbDir: string;
  beforeEach(() => {
    dbDir = mkdtempSync(join(tmpdir(), 'pool-rebuild-live-rm-'));
  });
  afterEach(() => rmSync(dbDir, { recursive: true, force: true }));
  rebuildSpecs(() => ReadModelDatabase.open(`sqlite:${join(dbDir, 'read-models.db')}`), { events: 4000, batchSize: 7 });
});

describeWithPostgres('rebuild equals live on PostgreSQL read models', (pgUrl) => {
  let schema: string;
  beforeEach(() => {
    schema = testSchema('h3live');
  });
  afterEach(async () => dropSchema(pgUrl, schema));
  // Fewer events and larger (still small) batches: every batch is a round of PostgreSQL transactions.
  rebuildSpecs(() => ReadModelDatabase.open(`${pgUrl}${pgUrl.includes('?') ? '&' : '?'}schema=${schema}`), { events: 2000, batchSize: 20 });
});
