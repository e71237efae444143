import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runEventStoreContract } from '../contract/event-store.contract';
import { WrongExpectedRevisionError } from '@pool/event-sourcing';
import { SqliteEventStore } from './sqlite-event-store';
import { createOrReadLedgerFormat, DATA_SQL, dataFromRow, SqliteValueDictionary } from './ledger-row-format';
import { packJson, unpackJson } from '../packed-json';

const dir = mkdtempSync(join(tmpdir(), 'pool-sqlite-contract-'));
const path = join(dir, 'events.db');
let store: SqliteEventStore;

let memory: SqliteEventStore;
/** Ledgers created before format 3 (format 1: text rows, es_streams; format 2: packed rows), which keep their format. */
const format1Path = join(dir, 'format-1.db');
let format1: SqliteEventStore;
const format2Path = join(dir, 'format-2.db');
let format2: SqliteEventStore;

function createLedger(file: string, format: 1 | 2): void {
  const old = new Database(file);
  createOrReadLedgerFormat(old, format);
  old.close();
}

beforeAll(() => {
  store = new SqliteEventStore({ path, pollIntervalMs: 20 });
  memory = new SqliteEventStore({ path: ':memory:' });
  createLedger(format1Path, 1);
  format1 = new SqliteEventStore({ path: format1Path, pollIntervalMs: 20 });
  createLedger(format2Path, 2);
  format2 = new SqliteEventStore({ path: format2Path, pollIntervalMs: 20 });
});
afterAll(async () => {
  await store.close();
  await memory.close();
  await format1.close();
  await format2.close();
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

runEventStoreContract('sqlite, a ledger of format 2', {
  store: () => format2,
  openWriter: async () => new SqliteEventStore({ path: format2Path, pollIntervalMs: 20 }),
});

describe('sqlite ledger row formats', () => {
  const hex = 'c0ffee'.repeat(10) + 'beef';
  type RawRow = { stream: unknown; type: unknown; event_id: unknown; data: unknown; metadata: unknown };
  /** A stream's rows as stored, by its stored name: in es_events (formats 1 and 2) or in es_stream_names (format 3). */
  const rowsOf = (file: string, stream: string | Buffer) => {
    const db = new Database(file, { readonly: true });
    try {
      const format = db.pragma('user_version', { simple: true }) as number;
      const rows =
        format === 3
          ? 'SELECT stream, type, event_id, data, metadata FROM es_events WHERE stream = (SELECT id FROM es_stream_names WHERE name = ?)'
          : 'SELECT stream_id AS stream, type, event_id, data, metadata FROM es_events WHERE stream_id = ?';
      return {
        format,
        tables: db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'es_%' ORDER BY name").all().map((t) => t.name),
        rows: db.prepare<[string | Buffer], RawRow>(rows).all(stream),
        names: format === 3 ? db.prepare<[], { id: number; name: unknown }>('SELECT id, name FROM es_stream_names').all() : [],
        types: format === 3 ? db.prepare<[], { id: number; name: string }>('SELECT id, name FROM es_event_types').all() : [],
        values: format === 3 ? db.prepare<[], { id: number; value: Buffer }>('SELECT id, value FROM es_values').all() : [],
      };
    } finally {
      db.close();
    }
  };
  const hexNamed = (head: string, id: string): Buffer => Buffer.concat([Buffer.from(head), Buffer.from(id, 'hex')]);

  it('format 3 (new ledgers) stores stream names, type names and shared values once; rows point to them, and data to its stream id', async () => {
    const id = randomUUID();
    const launcherId = hex.slice(2) + '00';
    const data = { launcherId, proofHash: hex, points: '2' };
    await store.append(`partial-${hex}`, [{ id, type: 'PartialSubmitted', data }], { expectedRevision: 'no_stream' });
    await store.append(`partial-${hex}`, [{ id: randomUUID(), type: 'PartialConfirmed', data: { launcherId, proofHash: hex } }], { expectedRevision: 0n });
    await store.append(`payout-${id}`, [{ id: randomUUID(), type: 'PartialSubmitted', data: {} }], { expectedRevision: 'no_stream' });
    // A shared key's hex value goes to es_values once however many events hold it; the same value under another key stays in place.
    const elsewhere = { launcherId, owner: launcherId };
    const owners = `owners-${randomUUID()}`;
    await store.append(owners, [{ id: randomUUID(), type: 'Tested', data: elsewhere }], { expectedRevision: 'no_stream' });
    const [owned] = rowsOf(path, owners).rows as [RawRow];
    const launcherBytes = Buffer.from(launcherId, 'hex');
    expect((owned.data as Buffer).indexOf(launcherBytes)).toBeGreaterThan(-1);
    expect((owned.data as Buffer).indexOf(launcherBytes, (owned.data as Buffer).indexOf(launcherBytes) + 1)).toBe(-1);
    const partial = rowsOf(path, hexNamed('partial-', hex));
    expect(partial.format).toBe(3);
    expect(partial.tables).toEqual(['es_event_types', 'es_events', 'es_stream_names', 'es_values']);
    expect(partial.values.filter((v) => v.value.equals(Buffer.from(launcherId, 'hex')))).toHaveLength(1);
    expect(partial.rows).toHaveLength(2);
    const [submitted, confirmed] = partial.rows as [RawRow, RawRow];
    expect(submitted.event_id).toEqual(Buffer.from(id.replaceAll('-', ''), 'hex'));
    // One name row per stream (the hex-named one as its head and bytes), one type row per type.
    const names = partial.names.filter((n) => n.id === submitted.stream);
    expect(names.map((n) => n.name)).toEqual([hexNamed('partial-', hex)]);
    expect(partial.rows.map((r) => r.stream)).toEqual([submitted.stream, submitted.stream]);
    expect(partial.names.filter((n) => Buffer.isBuffer(n.name) && n.name.equals(hexNamed('partial-', hex)))).toHaveLength(1);
    expect(partial.types.filter((t) => t.name === 'PartialSubmitted')).toEqual([{ id: submitted.type, name: 'PartialSubmitted' }]);
    expect(rowsOf(path, `payout-${id}`).rows.map((r) => r.type)).toEqual([submitted.type]);
    // The proof hash the stream is named by is one byte of the data (not a tag, a length and 32 bytes), the launcher id
    // its number in es_values (a tag and a varint).
    const db = new Database(path, { readonly: true });
    const dictionary = new SqliteValueDictionary(db);
    expect(unpackJson(submitted.data as Buffer, `partial-${hex}`, dictionary)).toEqual(data);
    expect((submitted.data as Buffer).length).toBe(packJson(data).length - 33 - 32);
    expect((confirmed.data as Buffer).length).toBeLessThan(10);
    expect(() => unpackJson(confirmed.data as Buffer, `partial-${hex}`)).toThrow(/no dictionary/);
    expect(() => unpackJson(confirmed.data as Buffer, undefined, dictionary)).toThrow(/not given/);
    // A build from before format 3 refuses the file (user_version 3); one from before format 2 cannot prepare its insert.
    try {
      expect(() => db.prepare('INSERT INTO es_events (stream_id, stream_revision, event_id, type, schema_version, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')).toThrow(
        /no column named stream_id/,
      );
    } finally {
      db.close();
    }
    // Read back as appended.
    expect((await store.readStream(`partial-${hex}`)).map((e) => [e.type, e.data])).toEqual([
      ['PartialSubmitted', data],
      ['PartialConfirmed', { launcherId, proofHash: hex }],
    ]);
    expect((await store.readStream(owners)).map((e) => e.data)).toEqual([elsewhere]);
    // And by a reader of its own, as another process reads it.
    const reader = new SqliteEventStore({ path, readOnly: true });
    try {
      expect((await reader.readStream(`partial-${hex}`)).map((e) => e.data)).toEqual([data, { launcherId, proofHash: hex }]);
    } finally {
      await reader.close();
    }
  });

  it('a failed append leaves no stream name, type name or shared value behind, and the next append of them is numbered anew', async () => {
    const stream = `partial-${'ab'.repeat(32)}`;
    const harvesterId = 'cd'.repeat(32);
    const taken = randomUUID();
    await store.append(`taken-${randomUUID()}`, [{ id: taken, type: 'Tested', data: {} }], { expectedRevision: 'no_stream' });
    // The new name, type and value are written, then the reused event id fails the append: all of it rolls back.
    const failing = [
      { id: randomUUID(), type: 'NeverStored', data: { harvesterId } },
      { id: taken, type: 'NeverStored', data: {} },
    ];
    await expect(store.append(stream, failing, { expectedRevision: 'no_stream' })).rejects.toThrow();
    const after = rowsOf(path, hexNamed('partial-', 'ab'.repeat(32)));
    expect(after.names.filter((n) => Buffer.isBuffer(n.name) && n.name.equals(hexNamed('partial-', 'ab'.repeat(32))))).toEqual([]);
    expect(after.types.filter((t) => t.name === 'NeverStored')).toEqual([]);
    expect(after.values.filter((v) => v.value.equals(Buffer.from(harvesterId, 'hex')))).toEqual([]);
    await store.append(stream, [{ id: randomUUID(), type: 'NeverStored', data: { n: 1, harvesterId } }], { expectedRevision: 'no_stream' });
    expect((await store.readStream(stream)).map((e) => [e.type, e.data])).toEqual([['NeverStored', { n: 1, harvesterId }]]);
  });

  it("format 3's reader decodes a page from what it looked up for the page, also when the page outgrows what it remembers", () => {
    const db = new Database(':memory:');
    try {
      db.exec('CREATE TABLE es_values (id INTEGER PRIMARY KEY, value BLOB NOT NULL UNIQUE); CREATE TABLE page (n INTEGER PRIMARY KEY, data BLOB)');
      const dictionary = new SqliteValueDictionary(db);
      const launcherIdOf = (n: number): string => n.toString(16).padStart(64, '0');
      const spelled = (from: number, to: number): string[] => {
        db.exec('DELETE FROM page');
        const insert = db.prepare('INSERT INTO page (n, data) VALUES (?, ?)');
        for (let n = from; n <= to; n++) insert.run(n, packJson({ launcherId: launcherIdOf(n) }, undefined, dictionary));
        return db.prepare<[], string>(`SELECT ${DATA_SQL} FROM page ORDER BY n`).pluck().all();
      };
      // A first page, remembered; then one holding it again and more than the reader remembers (32,768 values).
      dictionary.prefetch(spelled(1, 20));
      const page = spelled(1, 33_000);
      dictionary.prefetch(page);
      // Decoded from memory alone: es_values is no longer there to ask.
      db.exec('DROP TABLE es_values');
      expect(page.map((data) => dataFromRow(data, 'page', dictionary))).toEqual(page.map((_, i) => ({ launcherId: launcherIdOf(i + 1) })));
    } finally {
      db.close();
    }
  });

  it('format 2 stores ids, a hex-named stream and the JSON as bytes; other stream names as text; no es_streams', async () => {
    const id = randomUUID();
    const data = { launcherId: hex, proofHash: hex, points: '2' };
    await format2.append(`partial-${hex}`, [{ id, type: 'PartialSubmitted', data }], { expectedRevision: 'no_stream' });
    await format2.append(`payout-${id}`, [{ id: randomUUID(), type: 'Tested', data: {} }], { expectedRevision: 'no_stream' });
    const partial = rowsOf(format2Path, hexNamed('partial-', hex));
    expect(partial.format).toBe(2);
    expect(partial.tables).toEqual(['es_events']);
    expect(partial.rows).toHaveLength(1);
    const row = partial.rows[0]!;
    expect(row.type).toBe('PartialSubmitted');
    expect(row.event_id).toEqual(Buffer.from(id.replaceAll('-', ''), 'hex'));
    // Format 2 readers know nothing of stream ids in data: the proof hash is there in full.
    expect(unpackJson(row.data as Buffer)).toEqual(data);
    expect((row.data as Buffer).length).toBe(packJson(data).length);
    expect(unpackJson(row.metadata as Buffer)).toEqual({});
    expect(rowsOf(format2Path, `payout-${id}`).rows).toHaveLength(1);
  });

  it('a build from before format 2 finds es_streams (a view) with the right revisions, and cannot write through it', async () => {
    const stream = `farmer-${'0f'.repeat(32)}`;
    await format2.append(stream, [{ id: randomUUID(), type: 'Tested', data: {} }, { id: randomUUID(), type: 'Tested', data: {} }], { expectedRevision: 'no_stream' });
    const db = new Database(format2Path);
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
    future.pragma('user_version = 4');
    future.close();
    expect(() => new SqliteEventStore({ path: file, readOnly: true })).toThrow(/format 4, which this build does not know/);
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
