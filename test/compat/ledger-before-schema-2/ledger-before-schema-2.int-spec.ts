import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditLedger, DEVNET_SPACE_CONSTANTS, estimatedSpaceFromPoints, estimatedSpaceFromPointsPerDay, farmingSpanSeconds } from '@pool/domain';
import { type EventStore, type JsonObject } from '@pool/event-sourcing';
import { SqliteEventStore } from '@pool/event-store';
import { readWholeStore } from '@pool/poolctl';
import { createProjections } from '@pool/projections';
import { Projector, ReadModelDatabase } from '@pool/read-models';

/**
 * Events written before a schema change must still replay: a real devnet cycle as commit 3bf7413 recorded it (see
 * README.md beside this file) is imported into a fresh store, and today's audit and rebuild must say exactly what
 * that commit said of it.
 */
interface StoredEvent {
  stream: string;
  id: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: JsonObject;
}

interface TableDigest {
  primaryKey: string[];
  columns: string[];
  rows: number;
  sha256: string;
}

interface Expected {
  events: number;
  audit: unknown;
  tables: Record<string, TableDigest>;
}

const here = __dirname;
const events: StoredEvent[] = readFileSync(join(here, 'events.ndjson'), 'utf8')
  .split('\n')
  .filter((line) => line !== '')
  .map((line) => JSON.parse(line) as StoredEvent);
const expected = JSON.parse(readFileSync(join(here, 'expected.json'), 'utf8')) as Expected;

/** Bigints as decimal strings, as the report was written. */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));

type Row = Record<string, unknown>;

/** What a PayoutPlanned of that time says of the money it moves. */
interface PlanAmounts {
  allocations: { amount: string }[];
  poolFee: { amount: string };
  blockchainFee: string;
}

/**
 * Columns whose meaning changed on purpose since the fixture was written, each with the rule of its time applied to
 * today's row (so every other column is still compared as it was). farmer_view.estimated_space: a farmer registered
 * less than a day ago now has its points divided by the time it has farmed (issue 17); the fixture's farmers are
 * all that young, and it recorded points_24h taken as a whole day.
 */
const CHANGED_SINCE: Readonly<Record<string, (row: Row) => Row>> = {
  farmer_view: (row) => ({ ...row, estimated_space: estimatedSpaceFromPointsPerDay(BigInt(String(row.points_24h)), DEVNET_SPACE_CONSTANTS) }),
};

/** The digest the fixture was written with: the given columns in that order, rows in primary-key order. */
async function digest(db: ReadModelDatabase, table: string, like: TableDigest): Promise<TableDigest> {
  const asThen = CHANGED_SINCE[table] ?? ((row: Row): Row => row);
  const rows = (await db.executor().query<Row>(`SELECT * FROM ${table} ORDER BY ${like.primaryKey.join(', ')}`)).map(asThen);
  const hash = createHash('sha256');
  for (const row of rows) {
    const values = like.columns.map((column) => {
      const value = row[column];
      return typeof value === 'number' || typeof value === 'bigint' ? value.toString() : value;
    });
    hash.update(JSON.stringify(values)).update('\n');
  }
  const columns = rows.length > 0 ? like.columns.filter((column) => column in rows[0]!) : like.columns;
  return { primaryKey: like.primaryKey, columns, rows: rows.length, sha256: hash.digest('hex') };
}

describe('a ledger recorded before PartialSubmitted schema 2', () => {
  let dir: string;
  let store: EventStore;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pool-old-ledger-'));
    store = new SqliteEventStore({ path: join(dir, 'events.db') });
    // One append per event in the recorded order, with the recorded ids and schema versions.
    for (const event of events) {
      await store.append(event.stream, [{ id: event.id, type: event.type, schemaVersion: event.schemaVersion, data: event.data, metadata: event.metadata }], { expectedRevision: 'any' });
    }
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds old PartialSubmitted events at schema version 1', () => {
    expect(events).toHaveLength(expected.events);
    const partials = events.filter((event) => event.type === 'PartialSubmitted');
    expect(partials.length).toBeGreaterThan(100);
    expect(new Set(partials.map((event) => event.schemaVersion))).toEqual(new Set([1]));
  });

  it('audits to the very report the code of its time wrote', async () => {
    const report = await auditLedger(readWholeStore(store));
    expect(report.ok).toBe(true);
    // Two deliberate changes. The ledger's map of partials by proof hash is no longer a field of its own (the partials,
    // kept in columns, find themselves by hash: confirmed-partials.ts); they still print as the same list. And a settled
    // payout leaves the ledger's payouts for the sums in `settled` (payout-ledger.ts): its plan's allocations and fees.
    const audit = expected.audit as { ledger: Record<string, unknown> };
    const { partialIndex, ...ledger } = audit.ledger;
    expect(partialIndex).toEqual({});
    const { settled, ...today } = (plain(report) as { ledger: Record<string, unknown> }).ledger;
    expect(plain({ ...report, ledger: today })).toEqual({ ...audit, ledger });
    const confirmed = new Set(events.filter((e) => e.type === 'PayoutConfirmed').map((e) => (e.data as { payoutId: string }).payoutId));
    const plans = events.filter((e) => e.type === 'PayoutPlanned' && confirmed.has((e.data as { payoutId: string }).payoutId)).map((e) => e.data as PlanAmounts);
    expect(confirmed.size).toBeGreaterThan(0);
    expect(settled).toEqual({
      count: confirmed.size,
      allocated: plans.reduce((sum, p) => sum + p.allocations.reduce((s, a) => s + BigInt(a.amount), 0n), 0n).toString(),
      poolFees: plans.reduce((sum, p) => sum + BigInt(p.poolFee.amount), 0n).toString(),
      blockchainFees: plans.reduce((sum, p) => sum + BigInt(p.blockchainFee), 0n).toString(),
    });
  });

  it('rebuilds every read-model table of its time with the same content', async () => {
    const db = await ReadModelDatabase.open(`sqlite:${join(dir, 'read-models.db')}`);
    try {
      await new Projector(store, db, createProjections({ space: DEVNET_SPACE_CONSTANTS }), { batchSize: 500 }).rebuild();
      const actual: Record<string, TableDigest> = {};
      for (const [table, like] of Object.entries(expected.tables)) actual[table] = await digest(db, table, like);
      expect(actual).toEqual(expected.tables);
      // What today's rule makes of the changed column: each farmer's 24 h points over its time in the pool.
      const [{ ledger_time: now }] = await db.executor().query<{ ledger_time: number }>('SELECT ledger_time FROM farmer_view_meta');
      const farmers = await db.executor().query<Row>('SELECT launcher_id, registered_at, points_24h, estimated_space FROM farmer_view ORDER BY launcher_id');
      expect(farmers.length).toBeGreaterThan(0);
      for (const f of farmers) {
        const span = farmingSpanSeconds(f.registered_at === null ? null : Number(f.registered_at), Number(now));
        expect(span).toBeLessThan(86_400);
        expect(String(f.estimated_space)).toBe(estimatedSpaceFromPoints(BigInt(String(f.points_24h)), span, DEVNET_SPACE_CONSTANTS).toString());
      }
    } finally {
      await db.close();
    }
  });
});
