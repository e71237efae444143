import { auditLedger, LEDGER_SEALS_STREAM, type LedgerSealed } from '@pool/domain';
import { StreamCommandRunner, type EventStore, type RecordedEvent } from '@pool/event-sourcing';
import { InMemoryEventStore } from '@pool/event-store';
import { appendLedger, generateLedger } from '@pool/testing';
import { LedgerSealer } from './ledger-sealer';

const seals = async (store: EventStore): Promise<{ recorded: RecordedEvent; data: LedgerSealed['data'] }[]> =>
  (await store.readStream(LEDGER_SEALS_STREAM)).map((recorded) => ({ recorded, data: recorded.data as LedgerSealed['data'] }));

describe('LedgerSealer', () => {
  let store: InMemoryEventStore;
  let now: number;
  const sealer = (): LedgerSealer =>
    new LedgerSealer({ store, runner: new StreamCommandRunner(store), schedule: { everyEvents: 200, everySeconds: 600 }, now: () => now, pageSize: 64 });

  beforeEach(async () => {
    store = new InMemoryEventStore();
    now = 1_800_000_000;
    await appendLedger(store, generateLedger({ farmers: 4, events: 900, seed: 2, rewardEvery: 40, payoutEvery: 150 }));
  });

  it('seals through every PayoutPlanned and every 200 events, and the audit verifies every seal', async () => {
    const recorded = await sealer().catchUp();
    const sealed = await seals(store);
    expect(sealed).toHaveLength(recorded);
    const all = await store.readAll();
    const plans = all.filter((e) => e.type === 'PayoutPlanned');
    expect(plans.length).toBeGreaterThanOrEqual(2);
    // Each plan is the last event of a 'payout' seal naming it.
    for (const plan of plans) {
      const seal = sealed.find((s) => s.data.coveredPosition === plan.position);
      expect(seal?.data).toMatchObject({ reason: 'payout', payoutId: (plan.data as { payoutId: string }).payoutId });
    }
    // Between two seals, never more than 200 events (the interval), and each seal continues the one before.
    for (const [i, { data }] of sealed.entries()) {
      expect(data.sequence).toBe(i + 1);
      expect(data.previousPosition).toBe(i === 0 ? null : sealed[i - 1]!.data.coveredPosition);
      expect(data.eventCount - (i === 0 ? 0 : sealed[i - 1]!.data.eventCount)).toBeLessThanOrEqual(200);
      expect(data.coveredPosition < sealed[i]!.recorded.position).toBe(true);
    }
    const report = await auditLedger(all);
    // (The generated ledger's books are the generator's affair: only what the seals say is checked here.)
    expect(report.problems.filter((p) => p.message.startsWith('seal '))).toEqual([]);
    expect(report.seals).toMatchObject({ seals: sealed.length, verified: sealed.length });
  });

  it('resumes from the newest seal after a restart, and seals by time only when something new was recorded', async () => {
    await sealer().catchUp();
    const before = await seals(store);
    await appendLedger(store, generateLedger({ farmers: 2, events: 50, seed: 9 }));
    // A new sealer (a restart, or the next lease holder) goes on from the newest seal, not from the start.
    const restarted = sealer();
    expect(await restarted.catchUp()).toBe(0);
    now += 600;
    expect(await restarted.catchUp()).toBe(1);
    const after = await seals(store);
    expect(after).toHaveLength(before.length + 1);
    expect(after[after.length - 1]!.data).toMatchObject({ sequence: before.length + 1, reason: 'interval', previousPosition: before[before.length - 1]!.data.coveredPosition });
    // Only its own seal is new since: nothing worth sealing, however long it waits.
    now += 6000;
    expect(await restarted.catchUp()).toBe(0);
    const report = await auditLedger(await store.readAll());
    expect(report.seals).toMatchObject({ seals: after.length, verified: after.length, unsealedEvents: 1 });
  });

  it('starts again from the store when another sealer moved on, without sealing twice', async () => {
    const first = sealer();
    const second = sealer();
    await first.catchUp();
    // The second one computed nothing yet; it reads the first one's seals and continues after them.
    expect(await second.catchUp()).toBe(0);
    await appendLedger(store, generateLedger({ farmers: 2, events: 250, seed: 5 }));
    const recorded = (await first.catchUp()) + (await second.catchUp().catch(() => 0)) + (await second.catchUp());
    const sealed = await seals(store);
    expect(new Set(sealed.map((s) => s.data.coveredPosition)).size).toBe(sealed.length);
    expect(recorded).toBeGreaterThan(0);
    expect((await auditLedger(await store.readAll())).seals).toMatchObject({ seals: sealed.length, verified: sealed.length });
  });
});
