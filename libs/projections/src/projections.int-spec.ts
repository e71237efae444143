import type { RecordedEvent } from '@pool/event-sourcing';
import type { ReadModelDatabase } from '@pool/read-models';
import { describeWithPostgres, dropSchema, testSchema } from '@pool/testing';
import { createProjections } from '.';
import { generateLedger } from '@pool/testing';
import { openReadModels, ProjectionHarness, record } from '@pool/testing';

/**
 * Every projection, on SQLite and PostgreSQL, over a generated ledger that spans several ledger days (so the
 * one-day retention prunes) with reorgs, leaving farmers, rewards and payouts: the tables depend only on the
 * events, not on batch boundaries, redelivery or a crash before the checkpoint.
 */
const projections = createProjections({ retentionSeconds: 86_400 });

let events: RecordedEvent[];
beforeAll(async () => {
  events = await record([...generateLedger({ farmers: 12, events: 5000, seed: 7, secondsPerPartial: 150, rewardEvery: 97, payoutEvery: 401, churn: 20 })]);
});

it('uses a ledger that exercises every event type the projections handle', () => {
  const types = new Set(events.map((e) => e.type));
  for (const type of new Set(projections.flatMap((p) => p.handles))) expect([type, types.has(type)]).toEqual([type, true]);
});

function projectionSpecs(open: () => Promise<ReadModelDatabase>, close: (db: ReadModelDatabase) => Promise<void>): void {
  let db: ReadModelDatabase;
  beforeEach(async () => {
    db = await open();
  });
  afterEach(async () => close(db));

  describe.each(projections.map((p) => [p.name, p] as const))('%s', (_name, projection) => {
    async function fresh(batchSize: number): Promise<Record<string, string>> {
      const harness = await ProjectionHarness.open(db, projection);
      await harness.apply(events, batchSize);
      return harness.hashes();
    }

    it('replays the same events into fresh tables identically, whatever the batch size', async () => {
      const small = await fresh(13);
      const large = await fresh(997);
      expect(large).toEqual(small);
      const harness = await ProjectionHarness.open(db, projection);
      await harness.apply(events, 250);
      expect(await harness.hashes()).toEqual(small);
      // Non-trivial: the first table has rows.
      expect((await harness.rows(projection.tables[0]!.name)).length).toBeGreaterThan(0);
    });

    it('ignores a batch delivered twice', async () => {
      const once = await fresh(50);
      const harness = await ProjectionHarness.open(db, projection);
      const mine = events.filter((e) => projection.handles.includes(e.type));
      for (let i = 0; i < mine.length; i += 50) {
        const batch = mine.slice(i, i + 50);
        await db.transaction((sql) => projection.apply(batch, harness.context(sql)));
        await db.transaction((sql) => projection.apply(batch, harness.context(sql)));
        // An overlapping redelivery: the tail of this batch and the head of the next.
        if (i > 0) await db.transaction((sql) => projection.apply(mine.slice(i - 10, i + 5), harness.context(sql)));
      }
      expect(await harness.hashes()).toEqual(once);
    });

    it('re-applies a batch whose transaction died before the checkpoint and ends where an uninterrupted run does', async () => {
      const once = await fresh(50);
      const harness = await ProjectionHarness.open(db, projection);
      const mine = events.filter((e) => projection.handles.includes(e.type));
      // About a dozen batches, so that even the projections with few events crash twice.
      const size = Math.max(1, Math.ceil(mine.length / 12));
      let crashes = 0;
      for (let i = 0; i < mine.length; i += size) {
        const batch = mine.slice(i, i + size);
        if ((i / size) % 7 === 3) {
          await expect(
            db.transaction(async (sql) => {
              await projection.apply(batch, harness.context(sql));
              throw new Error('simulated crash before checkpoint');
            }),
          ).rejects.toThrow('simulated crash');
          crashes += 1;
        }
        await db.transaction((sql) => projection.apply(batch, harness.context(sql)));
      }
      expect(crashes).toBeGreaterThan(0);
      expect(await harness.hashes()).toEqual(once);
    });
  });
}

describe('projections on SQLite', () => {
  projectionSpecs(
    () => openReadModels(),
    (db) => db.close(),
  );
});

describeWithPostgres('projections on PostgreSQL', (pgUrl) => {
  const schemas = new Map<ReadModelDatabase, string>();
  projectionSpecs(
    async () => {
      const schema = testSchema('h3proj');
      const db = await openReadModels(pgUrl, schema);
      schemas.set(db, schema);
      return db;
    },
    async (db) => {
      await db.close();
      await dropSchema(pgUrl, schemas.get(db)!);
    },
  );
});
