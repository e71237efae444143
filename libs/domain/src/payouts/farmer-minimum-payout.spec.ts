import { absorbed, confirmed, hex32, launcher, planned, pos, propScheme, registered } from '@pool/testing';
import { auditLedger, type AuditEvent } from '../audit/payout.audit';
import type { FarmerMinimumPayoutSet } from '../farmers/farmer.events';
import { applyToPayoutLedger, createPayoutLedger, type PayoutLedger } from './payout-ledger';
import { planPayout, type PayoutDraft } from './payout-plan';
import { buildPayoutTransactions } from './payout-transactions';

type Fact = { type: string; data: unknown };

const minimumSet = (n: number, minimumPayout: number | null, poolMinimumPayout = 100): FarmerMinimumPayoutSet => ({
  type: 'FarmerMinimumPayoutSet',
  data: { launcherId: launcher(n), minimumPayout: minimumPayout === null ? null : String(minimumPayout), poolMinimumPayout: String(poolMinimumPayout), setAt: 1500 },
});
const scheme = (minimumPayout = 100) => propScheme({ feeBasisPoints: 0, minimumPayout: String(minimumPayout) });

/** given(facts).whenPlanned(scheme).then(paid, carried): the payout policy over the ledger those facts make. */
function given(facts: Fact[]) {
  const ledger = createPayoutLedger();
  let n = 0;
  const add = (more: Fact[]): PayoutLedger => {
    for (const fact of more) applyToPayoutLedger(ledger, fact, pos(++n));
    return ledger;
  };
  add(facts);
  const api = {
    and(more: Fact[]) {
      add(more);
      return api;
    },
    whenPlanned(minimum = 100) {
      const draft = planPayout(ledger, scheme(minimum), 5000);
      return {
        then(paid: Record<number, number>, carried: Record<number, number>): PayoutDraft | null {
          expect(Object.fromEntries((draft?.allocations ?? []).map((a) => [a.launcherId, a.amount]))).toEqual(
            Object.fromEntries(Object.entries(paid).map(([k, v]) => [launcher(Number(k)), String(v)])),
          );
          expect(Object.fromEntries((draft?.carried ?? []).map((c) => [c.launcherId, c.amount]))).toEqual(
            Object.fromEntries(Object.entries(carried).map(([k, v]) => [launcher(Number(k)), String(v)])),
          );
          // Recorded, so the next plan starts from what this one carried.
          if (draft !== null) add([planned(draft, ledger.lastPayoutSequence + 1, ledger.position!)]);
          return draft;
        },
      };
    },
  };
  return api;
}

// Farmer 1 earns a quarter of each 800-mojo reward (200), farmer 2 the rest (600).
const detected = (coin: string, amount: number): Fact => ({
  type: 'RewardDetected',
  data: { coinId: hex32(coin), launcherId: launcher(1), puzzleHash: hex32('c'), amount: String(amount), farmedHeight: 1, confirmedHeight: 2, detectedAt: 1 },
});
const round = (k: number): Fact[] => [confirmed(1, `p1-${k}`, 1), confirmed(2, `p2-${k}`, 3), detected(`r${k}`, 800), absorbed(`r${k}`, 800)];

describe("the payout policy honours a farmer's own minimum payout", () => {
  it("carries the farmer's balance until it reaches its own minimum, then pays all of it", () => {
    const spec = given([registered(1), registered(2), minimumSet(1, 500), ...round(1)]);
    spec.whenPlanned().then({ 2: 600 }, { 1: 200 });
    spec.and(round(2)).whenPlanned().then({ 2: 600 }, { 1: 400 });
    spec.and(round(3)).whenPlanned().then({ 1: 600, 2: 600 }, {});
  });

  it("without one, the pool's minimum applies as before", () => {
    given([registered(1), registered(2), ...round(1)]).whenPlanned().then({ 1: 200, 2: 600 }, {});
  });

  it("pays at the pool's minimum again once the farmer sets null, from the next plan on", () => {
    const spec = given([registered(1), registered(2), minimumSet(1, 500), ...round(1)]);
    spec.whenPlanned().then({ 2: 600 }, { 1: 200 });
    spec.and([minimumSet(1, null), ...round(2)]).whenPlanned().then({ 1: 400, 2: 600 }, {});
  });

  it("uses the pool's minimum when the pool raised it above the farmer's own", () => {
    given([registered(1), registered(2), minimumSet(1, 150), ...round(1)]).whenPlanned(300).then({ 2: 600 }, { 1: 200 });
  });

  it('holds a balances-only run to the same minimum', () => {
    // Nothing new to share: only carried balances that reach their minimum are paid.
    const spec = given([registered(1), registered(2), minimumSet(1, 500), ...round(1)]);
    spec.whenPlanned().then({ 2: 600 }, { 1: 200 });
    spec.and([minimumSet(1, 150)]).whenPlanned().then({ 1: 200 }, {});
  });
});

describe("the audit recomputes carried balances with the farmer's own minimum", () => {
  /** A ledger written as the saga writes it: each plan computed by `planner` from the events recorded so far. */
  function write(facts: Fact[][], planner: (events: readonly AuditEvent[]) => PayoutDraft | null): AuditEvent[] {
    const events: AuditEvent[] = [];
    for (const batch of facts) {
      for (const fact of batch) events.push({ ...fact, position: pos(events.length + 1) });
      const draft = planner(events);
      if (draft === null) continue;
      const sequence = events.filter((e) => e.type === 'PayoutPlanned').length + 1;
      const plan = planned(draft, sequence, events[events.length - 1]!.position);
      plan.data.transactions = buildPayoutTransactions(draft, [{ coinId: hex32(`1${sequence}`), amount: 100_000n }], 400);
      events.push({ ...plan, position: pos(events.length + 1) });
    }
    return events;
  }
  const replay = (events: readonly AuditEvent[]): PayoutLedger => events.reduce((ledger, e) => applyToPayoutLedger(ledger, e, e.position), createPayoutLedger());
  const batches = (): Fact[][] => [[registered(1), registered(2), minimumSet(1, 500), ...round(1)], round(2), round(3)];

  it('matches every plan of a pool that honoured it', async () => {
    const report = await auditLedger(write(batches(), (events) => planPayout(replay(events), scheme(), 5000)));
    expect(report.problems).toEqual([]);
    expect(report.results.map((r) => r.difference ?? r.status)).toEqual(['match', 'match', 'match']);
    expect(report.summary.balanced).toBe(true);
    expect(report.ledger.farmers.get(launcher(1))).toMatchObject({ carried: 0n, minimumPayout: 500n });
  });

  it('names the first plan that paid the farmer below its own minimum', async () => {
    // A planner blind to the setting pays farmer 1 its 200 mojos at once.
    const blind = (events: readonly AuditEvent[]) => planPayout(replay(events.filter((e) => e.type !== 'FarmerMinimumPayoutSet')), scheme(), 5000);
    const report = await auditLedger(write(batches(), blind));
    expect(report.ok).toBe(false);
    expect(report.results[0]).toMatchObject({ status: 'mismatch', difference: expect.stringMatching(/^allocations/) });
  });
});
