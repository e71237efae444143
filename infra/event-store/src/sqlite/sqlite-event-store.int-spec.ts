import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runEventStoreContract } from '../contract/event-store.contract';
import { WrongExpectedRevisionError } from '@pool/event-sourcing';
import { SqliteEventStore } from './sqlite-event-store';
import { createOrReadLedgerFormat } from './ledger-row-format';
import { unpackJson } from '../packed-json';

const dir = mkdtempSync(join(tmpdir(), 'pool-sqlite-contract-'));
const path = join(dir, 'events.db');
let store: SqliteEventStore;

let memory: SqliteEventStore;
/** A ledger created before format 2 (text rows, es_streams), which keeps its format. */
const format1Path = join(dir, 'format-1.db');
let format1: SqliteEventStore;

beforeAll(() => {
  store = new SqliteEventStore({ path, pollIntervalMs: 20 });
  memory = new SqliteEventStore({ path: ':memory:' });
  const old = new Database(format1Path);
  createOrReadLedgerFormat(old, 1);
  old.close();
  format1 = new SqliteEventStore({ path: format1Path, pollIntervalMs: 20 });
});
afterAll(async () => {
  await store.close();
  await memory.close();
  await format1.close();
  rmSync(dir, { recursive: true, force: true });
});

// Writers open their own connections to the same file, as separate api processes would.
runEventStoreContract('sqlite', {
  store: () => store,
  openWriter: async () => new SqliteEventStore({ path, pollIntervalMs: 20 }),
});

runEventStoreContract('sqlite, a ledger of format 1', {
  store: () => format1,
  openWriter: async () => new SqliteEventStore({ path: format1Path, pollIntervalMs: 20 }),
});

describe('sqlite ledger row formats', () => {
  const hex = 'c0ffee'.repeat(10) + 'beef';
  const rowsOf = (file: string, stream: string | Buffer) => {
    const db = new Database(file, { readonly: true });
    try {
      return {
        format: db.pragma('user_version', { simple: true }) as number,
        tables: db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'es_%' ORDER BY name").all().map((t) => t.name),
        rows: db.prepare<[string | Buffer], { stream_id: unknown; event_id: unknown; data: unknown; metadata: unknown }>('SELECT stream_id, event_id, data, metadata FROM es_events WHERE stream_id = ?').all(stream),
      };
    } finally {
      db.close();
    }
  };

  it('format 2 (new ledgers) stores ids, a hex-named stream and the JSON as bytes; other stream names as text; no es_streams', async () => {
    const id = randomUUID();
    const data = { launcherId: hex, points: '2' };
    await store.append(`partial-${hex}`, [{ id, type: 'PartialSubmitted', data }], { expectedRevision: 'no_stream' });
    await store.append(`payout-${id}`, [{ id: randomUUID(), type: 'Tested', data: {} }], { expectedRevision: 'no_stream' });
    const partial = rowsOf(path, Buffer.concat([Buffer.from('partial-'), Buffer.from(hex, 'hex')]));
    expect(partial.format).toBe(2);
    expect(partial.tables).toEqual(['es_events']);
    expect(partial.rows).toHaveLength(1);
    const row = partial.rows[0]!;
    expect(row.event_id).toEqual(Buffer.from(id.replaceAll('-', ''), 'hex'));
    expect(unpackJson(row.data as Buffer)).toEqual(data);
    expect((row.data as Buffer).length).toBeLessThan(JSON.stringify(data).length / 2);
    expect(unpackJson(row.metadata as Buffer)).toEqual({});
    expect(rowsOf(path, `payout-${id}`).rows).toHaveLength(1);
  });

  it('a build from before format 2 finds es_streams (a view) with the right revisions, and cannot write through it', async () => {
    const stream = `farmer-${'0f'.repeat(32)}`;
    await store.append(stream, [{ id: randomUUID(), type: 'Tested', data: {} }, { id: randomUUID(), type: 'Tested', data: {} }], { expectedRevision: 'no_stream' });
    const db = new Database(path);
    try {
      // What such a build ran when it opened a ledger, then prepared for every append.
      db.exec('CREATE TABLE IF NOT EXISTS es_streams (stream_id TEXT PRIMARY KEY, revision INTEGER NOT NULL) WITHOUT ROWID');
      expect(db.prepare('SELECT revision FROM es_streams WHERE stream_id = ?').get(Buffer.concat([Buffer.from('farmer-'), Buffer.alloc(32, 0x0f)]))).toEqual({ revision: 1 });
      expect(() => db.prepare('INSERT INTO es_streams (stream_id, revision) VALUES (?, ?) ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision')).toThrow(
        /cannot modify es_streams because it is a view/,
      );
    } finally {
      db.close();
    }
  });

  it('format 1 (ledgers created before) keeps text rows and es_streams', async () => {
    await format1.append(`partial-${hex}`, [{ id: randomUUID(), type: 'PartialSubmitted', data: { points: '1' } }], { expectedRevision: 'no_stream' });
    await format1.append(`partial-${hex}`, [{ id: randomUUID(), type: 'PartialConfirmed', data: { points: '1' } }], { expectedRevision: 0n });
    const partial = rowsOf(format1Path, `partial-${hex}`);
    expect(partial.format).toBe(0);
    expect(partial.tables).toEqual(['es_events', 'es_streams']);
    expect(partial.rows.map((r) => [typeof r.event_id, r.data, r.metadata])).toEqual([
      ['string', '{"points":"1"}', '{}'],
      ['string', '{"points":"1"}', '{}'],
    ]);
    const db = new Database(format1Path, { readonly: true });
    expect(db.prepare('SELECT revision FROM es_streams WHERE stream_id = ?').get(`partial-${hex}`)).toEqual({ revision: 1 });
    db.close();
  });

  it('refuses a ledger of a format this build does not know', () => {
    const file = join(dir, 'future.db');
    const future = new Database(file);
    createOrReadLedgerFormat(future);
    future.pragma('user_version = 3');
    future.close();
    expect(() => new SqliteEventStore({ path: file, readOnly: true })).toThrow(/format 3, which this build does not know/);
  });
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
