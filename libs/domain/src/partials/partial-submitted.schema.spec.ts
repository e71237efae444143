import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@pool/event-store';
import { LedgerFollower, type RecordedEvent } from '@pool/event-sourcing';
import { generateLedger, record } from '@pool/testing';
import { auditLedger } from '../audit/payout.audit';
import { farmerStatement } from '../audit/farmer-statement';
import { decodePoolEvent, poolEvents } from '../ledger/pool-event';
import { partialStream, type PartialSubmitted } from './partial.events';
import { ORIGIN_NOT_RECORDED } from './partial-submitted.schema';

const V1_DATA = { launcherId: 'aa'.repeat(32), proofHash: 'bb'.repeat(32), points: '7', signagePointHash: 'cc'.repeat(32), receivedAt: 1_750_000_000, plotSize: 32 };

describe('PartialSubmitted schema versions', () => {
  let dir: string;
  let store: SqliteEventStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pool-partial-schema-'));
    store = new SqliteEventStore({ path: join(dir, 'events.db') });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads a schema 1 event, stored as before schema 2, with every origin field null', async () => {
    // Exactly what the pool appended before schema 2: no schema version (the store records 1), no origin fields.
    await store.append(partialStream(V1_DATA.proofHash), [{ id: '6f1f7a4e-0c4d-4d7e-8f00-000000000001', type: 'PartialSubmitted', data: V1_DATA }], {
      expectedRevision: 'no_stream',
    });
    const [recorded] = await store.readStream(partialStream(V1_DATA.proofHash));
    expect(recorded!.schemaVersion).toBe(1);
    expect(recorded!.data).toEqual(V1_DATA);

    const upcast: PartialSubmitted = { type: 'PartialSubmitted', data: { ...V1_DATA, ...ORIGIN_NOT_RECORDED } };
    expect(decodePoolEvent(recorded!)).toEqual(upcast);
    expect(upcast.data.harvesterId).toBeNull();
    // Every reader gets it through the follower's decoder too.
    const seen: unknown[] = [];
    await new LedgerFollower(store, poolEvents('PartialSubmitted')).catchUp((event) => void seen.push(event));
    expect(seen).toEqual([upcast]);
  });

  it('reads a schema 2 event as recorded', async () => {
    const data: PartialSubmitted['data'] = {
      ...V1_DATA,
      harvesterId: 'dd'.repeat(32),
      plotPublicKey: 'ee'.repeat(48),
      plotId: 'ff'.repeat(32),
      endOfSubSlot: true,
      farmerVersion: '2.5.0',
      harvesterVersion: null,
      userAgent: 'Chia Blockchain v.2.5.0',
    };
    await store.append('partial-x', [{ id: '6f1f7a4e-0c4d-4d7e-8f00-000000000002', type: 'PartialSubmitted', schemaVersion: 2, data }], { expectedRevision: 'no_stream' });
    const [recorded] = await store.readStream('partial-x');
    expect(decodePoolEvent(recorded!)).toEqual({ type: 'PartialSubmitted', data });
  });
});

describe('the audit and the statements do not depend on the origin schema 2 adds', () => {
  /** The same ledger recorded entirely at schema 1: every PartialSubmitted without its origin, at version 1. */
  const asSchema1 = (events: RecordedEvent[]): RecordedEvent[] =>
    events.map((e) => {
      if (e.type !== 'PartialSubmitted') return e;
      const { launcherId, proofHash, points, signagePointHash, receivedAt, plotSize } = e.data as PartialSubmitted['data'];
      return { ...e, schemaVersion: 1, data: { launcherId, proofHash, points, signagePointHash, receivedAt, plotSize } };
    });

  it('gives the same audit report and farmer statements for a ledger recorded at schema 1 and at schema 2', async () => {
    const generated = [...generateLedger({ farmers: 5, events: 3000, seed: 5, rewardEvery: 40, payoutEvery: 150, churn: 10 })];
    const mixed = await record(generated);
    expect(mixed.some((e) => e.type === 'PartialSubmitted' && e.schemaVersion === 2)).toBe(true);
    const old = asSchema1(mixed);

    const [now, before] = [await auditLedger(mixed), await auditLedger(old)];
    // (The generated ledger's plans are not the pool's own PROP plans, so the audit has findings: they must not change.)
    expect(now.results.length).toBeGreaterThan(0);
    expect({ results: now.results, problems: now.problems, summary: now.summary }).toEqual({ results: before.results, problems: before.problems, summary: before.summary });
    for (const launcherId of new Set(generated.filter((g) => g.event.type === 'FarmerRegistered').map((g) => (g.event.data as { launcherId: string }).launcherId))) {
      expect(await farmerStatement(mixed, launcherId)).toEqual(await farmerStatement(old, launcherId));
    }
  });
});
