import { ReadModelDatabase } from '@pool/read-models';
import { describeWithPostgres, dropSchema, testSchema } from '@pool/testing';
import { LeaseKeeper } from './lease-keeper';
import { SqlLeaseStore, type LeaseGrant, type LeaseStore } from './sql-lease.store';

/** A store whose process "dies" on demand: from then on its calls never answer (no renewal, no release). */
class DyingStore implements LeaseStore {
  dead = false;
  constructor(private readonly inner: LeaseStore) {}
  acquire(name: string, holder: string, ttlMs: number): Promise<LeaseGrant> {
    return this.dead ? new Promise(() => undefined) : this.inner.acquire(name, holder, ttlMs);
  }
  release(name: string, holder: string): Promise<void> {
    return this.dead ? Promise.resolve() : this.inner.release(name, holder);
  }
}

async function until(condition: () => boolean, what: string, limitMs = 15_000): Promise<void> {
  for (let waited = 0; !condition(); waited += 20) {
    if (waited > limitMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function leaseSpecs(open: () => Promise<ReadModelDatabase>): void {
  jest.setTimeout(30_000);
  let db: ReadModelDatabase;
  beforeEach(async () => {
    db = await open();
  });
  afterEach(() => db.close());

  it('is a compare-and-set: free or expired or ours, with the epoch moving when it changes hands', async () => {
    let now = 1_000_000;
    const store = new SqlLeaseStore(db, { clock: () => now });
    expect(await store.acquire('loops', 'a', 10_000)).toEqual({ held: true, holder: 'a', epoch: 1 });
    expect(await store.acquire('loops', 'b', 10_000)).toEqual({ held: false, holder: 'a', epoch: 1 });
    now += 9_000;
    expect(await store.acquire('loops', 'a', 10_000)).toMatchObject({ held: true, epoch: 1 }); // renewed to now + 10 s
    now += 9_000;
    expect(await store.acquire('loops', 'b', 10_000)).toMatchObject({ held: false, holder: 'a' });
    now += 1_000; // a's renewal has expired
    expect(await store.acquire('loops', 'b', 10_000)).toEqual({ held: true, holder: 'b', epoch: 2 });
    expect(await store.acquire('loops', 'a', 10_000)).toEqual({ held: false, holder: 'b', epoch: 2 });
    await store.release('loops', 'a'); // not a's to release
    expect(await store.acquire('loops', 'a', 10_000)).toMatchObject({ held: false });
    await store.release('loops', 'b');
    expect(await store.acquire('loops', 'a', 10_000)).toEqual({ held: true, holder: 'a', epoch: 3 });
    expect(await store.acquire('other', 'b', 10_000)).toMatchObject({ held: true, epoch: 1 });
  });

  it('lets exactly one of many simultaneous contenders win (database clock)', async () => {
    const stores = Array.from({ length: 6 }, () => new SqlLeaseStore(db));
    const grants = await Promise.all(stores.map((s, i) => s.acquire('race', `c${i}`, 60_000)));
    expect(grants.filter((g) => g.held)).toHaveLength(1);
    const winner = grants.find((g) => g.held)!.holder;
    expect(grants.every((g) => g.holder === winner)).toBe(true);
  });

  it('runs the work in exactly one of two instances, and moves it when the holder dies', async () => {
    const log: string[] = [];
    const running = new Set<string>();
    let overlap = false;
    const work = (who: string) => async (signal: AbortSignal): Promise<void> => {
      if (running.size > 0) overlap = true;
      running.add(who);
      log.push(`${who} start`);
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      running.delete(who);
      log.push(`${who} stop`);
    };
    const stores = { a: new DyingStore(new SqlLeaseStore(db)), b: new DyingStore(new SqlLeaseStore(db)) };
    const options = { name: 'pool-loops', ttlMs: 3_000, renewEveryMs: 150, retryEveryMs: 100 };
    const a = new LeaseKeeper({ ...options, store: stores.a, holder: 'a' });
    const b = new LeaseKeeper({ ...options, store: stores.b, holder: 'b' });
    const stopA = new AbortController();
    const stopB = new AbortController();
    const runA = a.run(stopA.signal, work('a'));
    await until(() => running.has('a'), 'a to start');
    const runB = b.run(stopB.signal, work('b'));
    // b keeps trying for several ttl-renewal cycles and never gets in while a renews.
    for (let i = 0; i < 8; i++) {
      await new Promise((r) => setTimeout(r, 150));
      expect([...running]).toEqual(['a']);
    }
    expect(b.isHolder).toBe(false);

    stores.a.dead = true; // a's process hangs: no renewals, no release
    await until(() => running.has('b'), 'b to take over');
    expect(log).toEqual(['a start', 'a stop', 'b start']);
    expect(overlap).toBe(false);

    stopB.abort();
    await runB;
    stopA.abort();
    await runA;
    expect(log.at(-1)).toBe('b stop');
  });

  it('hands over at once on a clean shutdown (release)', async () => {
    const log: string[] = [];
    const work = (who: string) => async (signal: AbortSignal): Promise<void> => {
      log.push(`${who} start`);
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      log.push(`${who} stop`);
    };
    const options = { name: 'pool-loops', ttlMs: 60_000, renewEveryMs: 100, retryEveryMs: 50 };
    const a = new LeaseKeeper({ ...options, store: new SqlLeaseStore(db), holder: 'a' });
    const b = new LeaseKeeper({ ...options, store: new SqlLeaseStore(db), holder: 'b' });
    const stopA = new AbortController();
    const stopB = new AbortController();
    const runA = a.run(stopA.signal, work('a'));
    await until(() => log.includes('a start'), 'a to start');
    const runB = b.run(stopB.signal, work('b'));
    stopA.abort();
    await runA;
    // A 60 s lease: b can only be running now because a released it.
    await until(() => log.includes('b start'), 'b to start after the release');
    expect(log).toEqual(['a start', 'a stop', 'b start']);
    stopB.abort();
    await runB;
  });
}

describe('pool-loops lease on SQLite', () => {
  leaseSpecs(() => ReadModelDatabase.open('sqlite::memory:'));
});

describeWithPostgres('pool-loops lease on PostgreSQL', (url) => {
  const schemas: string[] = [];
  afterAll(async () => {
    for (const schema of schemas) await dropSchema(url, schema);
  });
  leaseSpecs(async () => {
    const schema = testSchema('h4_lease');
    schemas.push(schema);
    const u = new URL(url);
    u.searchParams.set('schema', schema);
    return ReadModelDatabase.open(u.toString());
  });
});
