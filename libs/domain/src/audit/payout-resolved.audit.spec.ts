import { absorbed, asWalletCoins, confirmed, hex32, launcher, planned, POOL_FEE_PH, pos, propScheme, puzzle, registered, signPlanFixture, walletCoinFixture } from '@pool/testing';
import { applyToPayoutLedger, createPayoutLedger } from '../payouts/payout-ledger';
import { planPayout } from '../payouts/payout-plan';
import { buildPayoutTransactions } from '../payouts/payout-transactions';
import { payoutDecider, type PayoutCommand } from '../payouts/payout.decider';
import type { PayoutEvent, PayoutPlanned, PayoutResolved } from '../payouts/payout.events';
import { auditLedger, type AuditEvent } from './payout.audit';
import type { PlanArchive } from './audited-plans';

/** One output per transaction, so a payout of two farmers and a pool fee has three transactions that land apart. */
const scheme = propScheme({ feeBasisPoints: 100, maxAdditionsPerTransaction: 1 });

/**
 * A ledger written as the saga and an operator would write it: plans computed by planPayout from the ledger as it
 * stands, and every payout event produced by the payout decider from its stream (so a resolution says what the decider
 * says it settles, never what this spec assumes).
 */
function ledgerWriter() {
  const state = createPayoutLedger();
  const events: AuditEvent[] = [];
  const streams = new Map<string, PayoutEvent[]>();
  const push = (event: { type: string; data: unknown }): void => {
    const position = pos(events.length + 1);
    events.push({ ...event, position });
    applyToPayoutLedger(state, event, position);
  };
  const detected = (coin: string, amount: number) => ({
    type: 'RewardDetected',
    data: { coinId: hex32(coin), launcherId: launcher(1), puzzleHash: hex32('c'), amount: String(amount), farmedHeight: 1, confirmedHeight: 2, detectedAt: 1 },
  });
  const decide = (payoutId: string, command: PayoutCommand): void => {
    const stream = streams.get(payoutId) ?? [];
    const current = stream.reduce(payoutDecider.evolve, payoutDecider.initialState());
    for (const event of payoutDecider.decide(command, current)) {
      stream.push(event);
      push(event);
    }
    streams.set(payoutId, stream);
  };
  /** Plans from the ledger as it stands, on wallet coins whose ids hash, and records it; `signed`: the wallet signs it. */
  const plan = (sequence: number, { signed }: { signed: boolean }): PayoutPlanned['data'] => {
    const draft = planPayout(state, scheme, 5000)!;
    const p = planned(draft, sequence, state.position!);
    const coins = [1, 2, 3, 4].map((n) => walletCoinFixture(sequence * 10 + n, 100_000n));
    p.data.transactions = buildPayoutTransactions(draft, asWalletCoins(coins), scheme.maxAdditionsPerTransaction);
    decide(p.data.payoutId, { type: 'PlanPayout', plan: p.data });
    if (signed) decide(p.data.payoutId, { type: 'RecordPayoutSigned', payoutId: p.data.payoutId, transactions: signPlanFixture(p.data, coins), now: 5001 });
    return p.data;
  };
  return { state, events, push, detected, decide, plan };
}

/** Which of the plan's transactions pays a puzzle hash (the builder's order is not assumed). */
const txPaying = (plan: PayoutPlanned['data'], puzzleHash: string): number => plan.transactions.findIndex((tx) => tx.payments.some((p) => p.puzzleHash === puzzleHash));
const allocationOf = (plan: PayoutPlanned['data'], n: number): bigint => BigInt(plan.allocations.find((a) => a.launcherId === launcher(n))!.amount);

/** Two payouts an operator settled: payout-1 abandoned while it waited unsent, payout-2 (abandoned by the saga) paid in part. */
function resolvedLedger() {
  const writer = ledgerWriter();
  const { push, detected, decide, plan } = writer;
  [registered(1), registered(2), confirmed(1, 'p1', 1), confirmed(2, 'p2', 3), detected('r1', 1000), absorbed('r1', 1000)].forEach(push);
  const first = plan(1, { signed: false });
  decide(first.payoutId, { type: 'FailPayout', payoutId: first.payoutId, reason: 'wallet cannot cover the plan', maxAttempts: 3, now: 5002 });
  decide(first.payoutId, { type: 'ResolvePayout', payoutId: first.payoutId, decision: 'abandon', landedTransactions: [], reason: 'wallet short of coins', now: 5003 });
  [confirmed(1, 'p3', 2), detected('r2', 2000), absorbed('r2', 2000)].forEach(push);
  const second = plan(2, { signed: true });
  decide(second.payoutId, { type: 'RecordPayoutSent', payoutId: second.payoutId, transactionIds: ['t'], now: 5004 });
  decide(second.payoutId, { type: 'FailPayout', payoutId: second.payoutId, reason: 'not confirmed', maxAttempts: 1, now: 5005 });
  const landed = txPaying(second, puzzle(1));
  decide(second.payoutId, { type: 'ResolvePayout', payoutId: second.payoutId, decision: 'paid-in-part', landedTransactions: [landed], reason: 'farmer 1 was paid on chain', now: 5006 });
  return { ...writer, first, second, landed };
}

const resolutionEvent = (events: AuditEvent[], payoutId: string) => events.find((e) => e.type === 'PayoutResolved' && (e.data as PayoutResolved['data']).payoutId === payoutId)!;

describe('auditLedger and PayoutResolved', () => {
  it('passes a ledger with an abandoned and a paid-in-part payout, reports both resolutions and recomputes the next plan', async () => {
    const { events, plan, first, second, landed } = resolvedLedger();
    expect(second.transactions).toHaveLength(3);
    // What payout-2 did not pay (farmer 2, the pool fee) goes back; the third plan must pay it again, and only it.
    const third = plan(3, { signed: false });
    const report = await auditLedger(events);
    expect(report.problems).toEqual([]);
    expect(report.results.map((r) => r.status)).toEqual(['match', 'match', 'match']);
    expect(report.resolutions).toEqual([
      { position: resolutionEvent(events, first.payoutId).position, payoutId: first.payoutId, decision: 'abandon', landedTransactions: [], reason: 'wallet short of coins', paidToFarmers: 0n },
      {
        position: resolutionEvent(events, second.payoutId).position,
        payoutId: second.payoutId,
        decision: 'paid-in-part',
        landedTransactions: [landed],
        reason: 'farmer 1 was paid on chain',
        paidToFarmers: allocationOf(second, 1),
      },
    ]);
    expect(report.summary).toMatchObject({ balanced: true, paid: allocationOf(second, 1) });
    expect(report.ok).toBe(true);
    // Farmer 2's allocation of payout-2 is owed again: the third plan allocates at least as much to it.
    expect(allocationOf(third, 2)).toBeGreaterThanOrEqual(allocationOf(second, 2));
  });

  it('FAILS, naming the payout, when a resolution records another settlement than its landed transactions pay', async () => {
    const { events, second } = resolvedLedger();
    const data = resolutionEvent(events, second.payoutId).data as PayoutResolved['data'];
    // Farmer 2 added to what was paid: the balances would move money no landed transaction paid.
    data.settled = { ...data.settled, launcherIds: [...data.settled.launcherIds, launcher(2)] };
    const report = await auditLedger(events);
    expect(report.problems).toContainEqual({
      position: resolutionEvent(events, second.payoutId).position,
      message: expect.stringMatching(new RegExp(`^PayoutResolved for ${second.payoutId}: records as settled .*the plan says its landed transactions pay`)),
    });
    expect((report.resolutions ?? []).map((r) => r.payoutId)).not.toContain(second.payoutId);
    expect(report.ok).toBe(false);
  });

  it('FAILS, naming the payout, when a paid-in-part names a transaction whose coins were never recorded', async () => {
    const { events, push, detected, plan } = ledgerWriter();
    [registered(1), registered(2), confirmed(1, 'p1', 1), confirmed(2, 'p2', 3), detected('r1', 1000), absorbed('r1', 1000)].forEach(push);
    const unsigned = plan(1, { signed: false });
    const landed = txPaying(unsigned, POOL_FEE_PH);
    // The decider refuses this resolution; written past it, the audit must still catch it.
    push({
      type: 'PayoutResolved',
      data: {
        payoutId: unsigned.payoutId,
        decision: 'paid-in-part',
        landedTransactions: [landed],
        reason: 'guessed',
        resolvedAt: 5010,
        settled: { launcherIds: [], poolFee: unsigned.poolFee.amount, blockchainFee: unsigned.transactions[landed]!.fee },
      },
    });
    const report = await auditLedger(events);
    expect(report.problems).toEqual([{ position: events[events.length - 1]!.position, message: `PayoutResolved for ${unsigned.payoutId}: transaction ${landed} has no recorded coins: nobody can know it landed` }]);
    expect(report.ok).toBe(false);
  });

  it('FAILS when a payout is confirmed after an operator declared it paid in part', async () => {
    const { events, push, second } = resolvedLedger();
    push({ type: 'PayoutConfirmed', data: { payoutId: second.payoutId, confirmedHeight: 99, confirmedAt: 6000 } });
    const report = await auditLedger(events);
    expect(report.problems).toContainEqual({ position: events[events.length - 1]!.position, message: expect.stringContaining(second.payoutId) });
    expect(report.ok).toBe(false);
  });
});

/** The plan archive as a map in memory (poolctl's keeps it in its scratch SQLite file), remembering what moved. */
class MapPlanArchive implements PlanArchive {
  readonly held = new Map<string, string>();
  readonly filed: string[] = [];
  readonly taken: string[] = [];

  filePlan(payoutId: string, plan: string): void {
    this.held.set(payoutId, plan);
    this.filed.push(payoutId);
  }

  takePlan(payoutId: string): string | undefined {
    const plan = this.held.get(payoutId);
    this.held.delete(payoutId);
    if (plan !== undefined) this.taken.push(payoutId);
    return plan;
  }
}

describe('auditLedger with abandoned payouts\' plans filed in an archive', () => {
  const bothWays = async (events: AuditEvent[]) => {
    const planArchive = new MapPlanArchive();
    return { held: await auditLedger(events), filed: await auditLedger(events, { planArchive }), planArchive };
  };

  it('files each plan as its payout is abandoned, takes it back for a settlement in part, and reports what the audit holding them reports', async () => {
    const { events, plan, first, second } = resolvedLedger();
    plan(3, { signed: false });
    const { held, filed, planArchive } = await bothWays(events);
    expect(held.ok).toBe(true);
    expect(filed).toEqual(held);
    expect(planArchive.filed).toEqual([first.payoutId, second.payoutId]);
    expect(planArchive.taken).toEqual([second.payoutId]);
    expect([...planArchive.held.keys()]).toEqual([first.payoutId]);
  });

  it('gives back the plan of an abandoned payout confirmed after all, which needs none of it', async () => {
    const { events, push, first } = resolvedLedger();
    push({ type: 'PayoutConfirmed', data: { payoutId: first.payoutId, confirmedHeight: 99, confirmedAt: 6000 } });
    const { held, filed, planArchive } = await bothWays(events);
    expect(filed).toEqual(held);
    expect(planArchive.held.size).toBe(0);
  });

  it('names the same faults in events that come after an abandonment', async () => {
    const tampered = [
      // A settlement that pays farmer 2 too, read against the filed plan.
      (w: ReturnType<typeof resolvedLedger>) => {
        const data = resolutionEvent(w.events, w.second.payoutId).data as PayoutResolved['data'];
        data.settled = { ...data.settled, launcherIds: [...data.settled.launcherIds, launcher(2)] };
      },
      // A signing of an abandoned payout, refused on its status while its plan is filed.
      (w: ReturnType<typeof resolvedLedger>) => w.push({ type: 'PayoutSigned', data: { payoutId: w.first.payoutId, transactions: [], signedAt: 6000 } }),
      // Retried after it was abandoned, then signed with a transaction of another amount than planned.
      (w: ReturnType<typeof resolvedLedger>) => {
        w.push({ type: 'PayoutFailed', data: { payoutId: w.first.payoutId, reason: 'again', attempt: 4, willRetry: true, failedAt: 6000 } });
        const signed = signPlanFixture(w.first, [1, 2, 3, 4].map((n) => walletCoinFixture(10 + n, 100_000n)));
        w.push({ type: 'PayoutSigned', data: { payoutId: w.first.payoutId, transactions: signed.map((tx, i) => (i === 0 ? { ...tx, fee: '1' } : tx)), signedAt: 6001 } });
      },
    ];
    for (const tamper of tampered) {
      const writer = resolvedLedger();
      tamper(writer);
      const { held, filed } = await bothWays(writer.events);
      expect(held.problems).not.toEqual([]);
      expect(filed).toEqual(held);
    }
  });
});
