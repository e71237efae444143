import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EventStore } from '@pool/event-sourcing';
import { openEventStore } from '@pool/event-store';
import { createProjections } from '@pool/projections';
import { listGenerations, Projector, ReadModelDatabase, type RebuildCount } from '@pool/read-models';
import { appendLedger, describeWithPostgres, dropSchema, generateLedger, testSchema, projectionTableHashes } from '@pool/testing';
import { rebuildInThreads } from './rebuild-threads';

/**
 * A rebuild in threads gives every table the hash a rebuild on one thread gives, on a SQLite file (each thread builds
 * in a scratch file and copies) and on PostgreSQL (each thread writes its own tables); a thread that fails fails the rebuild.
 */
const projectionOptions = { retentionSeconds: 86_400 };
const projections = createProjections(projectionOptions);

function threadedRebuildSpecs(readModelsUrl: () => string, cleanup: () => Promise<void> = async () => undefined): void {
  let dir: string;
  let eventStoreUrl: string;
  let store: EventStore;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pool-rebuild-threads-'));
    eventStoreUrl = `sqlite:${join(dir, 'events.db')}`;
    store = await openEventStore(eventStoreUrl);
    // Six days of ledger against a retention of one: pruning and the rebuild's reach take part.
    await appendLedger(store, generateLedger({ farmers: 12, events: 5_000, seed: 7, secondsPerPartial: 120, rewardEvery: 60, payoutEvery: 300, churn: 15 }));
  });
  afterAll(async () => {
    await store.close();
    await cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives every table the same hash as a rebuild on one thread, with the threads doing the work', async () => {
    const single = await ReadModelDatabase.open(readModelsUrl());
    let expected: Record<string, string>;
    try {
      await new Projector(store, single, projections).rebuild();
      expected = await projectionTableHashes(single, projections);
    } finally {
      await single.close();
    }

    const url = readModelsUrl();
    const threaded = await ReadModelDatabase.open(url);
    try {
      const prefill = rebuildInThreads({ eventStoreUrl, readModelsUrl: url, projectionOptions, threads: 3, batchSize: 700 })!;
      let filled: RebuildCount | undefined;
      const projector = new Projector(store, threaded, projections, { prefill: async (...args) => (filled = await prefill(...args)) });
      const applied = await projector.rebuild();
      // Every application happened in a thread: the projector found every generation caught up.
      expect(filled!.applied).toBe(applied);
      expect(applied).toBeGreaterThan(5_000);
      expect(await projectionTableHashes(threaded, projections)).toEqual(expected);
      const generations = await listGenerations(threaded.executor());
      expect(generations.filter((g) => g.status === 'active').map((g) => g.name).sort()).toEqual(projections.map((p) => p.name).sort());
    } finally {
      await threaded.close();
    }
  });

  it('fails the rebuild when a thread fails, and leaves the live tables as they were', async () => {
    const url = readModelsUrl();
    const db = await ReadModelDatabase.open(url);
    try {
      await new Projector(store, db, projections).rebuild();
      const before = await projectionTableHashes(db, projections);
      const prefill = rebuildInThreads({ eventStoreUrl: `sqlite:${join(dir, 'missing', 'events.db')}`, readModelsUrl: url, projectionOptions, threads: 2 })!;
      await expect(new Projector(store, db, projections, { prefill }).rebuild()).rejects.toThrow(/a rebuild thread failed/);
      expect(await projectionTableHashes(db, projections)).toEqual(before);
    } finally {
      await db.close();
    }
  });
}

describe('rebuild in threads: SQLite read models', () => {
  let dir: string;
  let n = 0;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pool-rebuild-threads-rm-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  threadedRebuildSpecs(() => `sqlite:${join(dir, `read-models-${++n}.db`)}`);

  it('stays out of the way where threads cannot help', () => {
    expect(rebuildInThreads({ eventStoreUrl: 'sqlite:x.db', readModelsUrl: 'sqlite::memory:' })).toBeUndefined();
    expect(rebuildInThreads({ eventStoreUrl: 'sqlite::memory:', readModelsUrl: `sqlite:${join(dir, 'one.db')}` })).toBeUndefined();
    expect(rebuildInThreads({ eventStoreUrl: 'sqlite:x.db', readModelsUrl: `sqlite:${join(dir, 'one.db')}`, threads: 1 })).toBeUndefined();
  });
});

describeWithPostgres('rebuild in threads: PostgreSQL read models', (pgUrl) => {
  const schemas: string[] = [];
  threadedRebuildSpecs(
    () => {
      schemas.push(testSchema('rebuild_threads'));
      return `${pgUrl}${pgUrl.includes('?') ? '&' : '?'}schema=${schemas[schemas.length - 1]}`;
    },
    async () => {
      for (const schema of schemas) await dropSchema(pgUrl, schema);
    },
  );
});
