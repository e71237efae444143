import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runEventStoreContract } from '../contract/event-store.contract';
import { WrongExpectedRevisionError } from '@pool/event-sourcing';
import { SqliteEventStore } from './sqlite-event-store';

const dir = mkdtempSync(join(tmpdir(), 'pool-sqlite-contract-'));
const path = join(dir, 'events.db');
let store: SqliteEventStore;

let memory: SqliteEventStore;

beforeAll(() => {
  store = new SqliteEventStore({ path, pollIntervalMs: 20 });
  memory = new SqliteEventStore({ path: ':memory:' });
});
afterAll(async () => {
  await store.close();
  await memory.close();
  rmSync(dir, { recursive: true, force: true });
});

// Writers open their own connections to the same file, as separate api processes would.
runEventStoreContract('sqlite', {
  store: () => store,
  openWriter: async () => new SqliteEventStore({ path, pollIntervalMs: 20 }),
});

describe.each([
  ['a file ledger (its writer thread)', () => store],
  ['an in-memory ledger (one connection)', () => memory],
])('sqlite group commit on %s', (_name, storeUnderTest) => {
  let store: SqliteEventStore;
  beforeEach(() => (store = storeUnderTest()));

  it('commits appends made in the same turn together, each judged on its own: a conflicting one fails alone', async () => {
    const before = await store.headPosition();
    const event = (n: number) => [{ id: randomUUID(), type: 'Tested', data: { n } }];
    const streams = Array.from({ length: 20 }, (_, i) => `group-${randomUUID()}-${i}`);
    const contested = `group-${randomUUID()}-contested`;
    const results = await Promise.allSettled([
      ...streams.map((s, i) => store.append(s, event(i), { expectedRevision: 'no_stream' })),
      store.append(contested, event(100), { expectedRevision: 'no_stream' }),
      store.append(contested, event(101), { expectedRevision: 'no_stream' }),
    ]);
    expect(results.slice(0, 21).every((r) => r.status === 'fulfilled')).toBe(true);
    expect(results[21]).toMatchObject({ status: 'rejected', reason: expect.any(WrongExpectedRevisionError) });
    const written = await store.readAll({ after: before });
    expect(written.map((e) => e.stream)).toEqual([...streams, contested]);
    expect((await store.readStream(contested)).map((e) => (e.data as { n: number }).n)).toEqual([100]);
    // Positions are the commit order, answered to each caller.
    const positions = results.slice(0, 21).map((r) => (r as PromiseFulfilledResult<{ position: string }>).value.position);
    expect(positions).toEqual(written.map((e) => e.position));
  });

  it('answers a retried append (same event ids) in the same batch with the original result', async () => {
    const stream = `group-${randomUUID()}`;
    const events = [{ id: randomUUID(), type: 'Tested', data: {} }];
    const [first, retry] = await Promise.all([
      store.append(stream, events, { expectedRevision: 'no_stream' }),
      store.append(stream, events, { expectedRevision: 'no_stream' }),
    ]);
    expect(retry).toEqual(first);
    expect(await store.readStream(stream)).toHaveLength(1);
  });
});

describe('sqlite writer thread', () => {
  it('waits for a write lock held by another process without stopping this thread, then commits', async () => {
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 5);
    try {
      const stream = `locked-${randomUUID()}`;
      const appended = store.append(stream, [{ id: randomUUID(), type: 'Tested', data: {} }], { expectedRevision: 'no_stream' });
      // This thread's timers keep firing while the append waits for the lock: the wait is the writer thread's.
      while (ticks < 20) await new Promise((resolve) => setTimeout(resolve, 5));
      let settled = false;
      void appended.finally(() => (settled = true));
      await new Promise((resolve) => setImmediate(resolve));
      expect(settled).toBe(false);
      other.exec('COMMIT');
      await expect(appended).resolves.toMatchObject({ nextExpectedRevision: 0n });
      expect(await store.readStream(stream)).toHaveLength(1);
    } finally {
      clearInterval(ticker);
      if (other.inTransaction) other.exec('ROLLBACK');
      other.close();
    }
  });

  it('commits the appends already requested when the store is closed, and then refuses new ones', async () => {
    const own = new SqliteEventStore({ path });
    const stream = `closing-${randomUUID()}`;
    const appended = own.append(stream, [{ id: randomUUID(), type: 'Tested', data: {} }], { expectedRevision: 'no_stream' });
    await own.close();
    await expect(appended).resolves.toMatchObject({ nextExpectedRevision: 0n });
    await expect(own.append(stream, [{ id: randomUUID(), type: 'Tested', data: {} }], { expectedRevision: 0n })).rejects.toThrow(/closed/);
    expect(await store.readStream(stream)).toHaveLength(1);
  });
});
