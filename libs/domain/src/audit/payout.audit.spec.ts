import { applyToPayoutLedger, createPayoutLedger } from '../payouts/payout-ledger';
import { absorbed, asWalletCoins, confirmed, hex32, launcher, planned, pos, propScheme, registered, reverted, rewardReverted, signedEventFixture, signPlanFixture, walletCoinFixture } from '@pool/testing';
import { planPayout } from '../payouts/payout-plan';
import { buildPayoutTransactions } from '../payouts/payout-transactions';
import type { PayoutPlanned } from '../payouts/payout.events';
import { coinId } from '@pool/chia';
import { farmerStatement } from './farmer-statement';
import { auditLedger, type AuditEvent } from './payout.audit';
import { syntheticLauncherId, syntheticLedger } from '@pool/testing';

/** The synthetic ledger as a store would number it. */
function materialize(options: Parameters<typeof syntheticLedger>[0]): AuditEvent[] {
  const events: AuditEvent[] = [];
  for (const batch of syntheticLedger(options)) {
    const last = events.length === 0 ? undefined : events[events.length - 1]!.position;
    for (const event of batch.events(last)) events.push({ ...event, position: pos(events.length + 1) });
  }
  return events;
}

const walletCoinChild = (parentCoinId: string, puzzleHash: string, amount: bigint) => ({ coinId: coinId({ parentCoinInfo: parentCoinId, puzzleHash, amount }), parentCoinId, puzzleHash, amount: amount.toString() });

const clone = (events: AuditEvent[]): AuditEvent[] => events.map((e) => ({ ...e, data: structuredClone(e.data) }));
const plans = (events: AuditEvent[]) => events.filter((e) => e.type === 'PayoutPlanned') as (AuditEvent & PayoutPlanned)[];

/** A ledger written event by event the way the saga would, with plans computed by planPayout as it goes. */
function ledgerWriter(scheme = propScheme({ feeBasisPoints: 100 })) {
  const state = createPayoutLedger();
  const events: AuditEvent[] = [];
  const push = (event: { type: string; data: unknown }): void => {
    const position = pos(events.length + 1);
    events.push({ ...event, position });
    applyToPayoutLedger(state, event, position);
  };
  const detected = (coin: string, amount: number) => ({
    type: 'RewardDetected',
    data: { coinId: hex32(coin), launcherId: launcher(1), puzzleHash: hex32('c'), amount: String(amount), farmedHeight: 1, confirmedHeight: 2, detectedAt: 1 },
  });
  /** Plans from the ledger as it stands; `between` are events appended while the plan was being computed. */
  const plan = (sequence: number, between: { type: string; data: unknown }[] = []) => {
    const draft = planPayout(state, scheme, 5000)!;
    const p = planned(draft, sequence, state.position!);
    p.data.transactions = buildPayoutTransactions(draft, [{ coinId: hex32(`1${sequence}`), amount: 100_000n }], 400);
    between.forEach(push);
    push(p);
    return p;
  };
  return { state, events, push, detected, plan };
}

describe('auditLedger', () => {
  const ledger = materialize({ farmers: 40, payouts: 30, partialsPerPayout: 120, seed: 7 });

  it('matches every payout of an honest ledger and balances the books', async () => {
    const report = await auditLedger(ledger);
    expect(report.problems).toEqual([]);
    expect(report.results.map((r) => r.status)).toEqual(plans(ledger).map(() => 'match'));
    expect(report.results).toHaveLength(30);
    expect(report.summary.balanced).toBe(true);
    expect(report.summary.paid).toBeGreaterThan(0n);
    expect(report.ok).toBe(true);
    // The generator exercised the paths that move money outside a plain plan.
    const types = new Set(ledger.map((e) => e.type));
    for (const type of ['PayoutFailed', 'RewardReverted', 'PayoutsPaused', 'FarmerUpdated']) expect(types).toContain(type);
    expect(plans(ledger).some((p) => p.data.returnedFunds !== '0')).toBe(true);
    expect(new Set(plans(ledger).map((p) => p.data.scheme.name))).toEqual(new Set(['prop', 'pplns']));
  });

  it('names the payout and the field of an allocation tampered by one mojo', async () => {
    const events = clone(ledger);
    const target = plans(events)[11]!;
    const allocation = target.data.allocations[2]!;
    const honest = allocation.amount;
    allocation.amount = (BigInt(honest) + 1n).toString();
    const report = await auditLedger(events);
    const bad = report.results.filter((r) => r.status === 'mismatch');
    expect(bad).toEqual([
      expect.objectContaining({ sequence: target.data.sequence, position: target.position, difference: `allocations[2].amount expected ${honest} recorded ${allocation.amount}` }),
    ]);
    expect(report.ok).toBe(false);
  });

  it('fails the next plan when an event it depended on is missing', async () => {
    const events = clone(ledger);
    const target = plans(events)[5]!;
    const index = events.indexOf(target);
    // The last confirmation before the plan: its farmer's points change, so the plan no longer recomputes.
    let victim = index - 1;
    while (events[victim]!.type !== 'PartialConfirmed') victim--;
    events.splice(victim, 1);
    const report = await auditLedger(events);
    const first = report.results.find((r) => r.status === 'mismatch');
    expect(first?.sequence).toBe(target.data.sequence);
    expect(first?.difference).toMatch(/^(allocations|carried)\[\d+\]\.(points|amount|launcherId)|\.length/);
  });

  it('names a deleted confirmation where its revert is, and a copied confirmation where the copy is', async () => {
    const events = clone(ledger);
    const revert = events.find((e) => e.type === 'PartialReverted' && (e.data as { wasConfirmed: boolean }).wasConfirmed)!;
    const proofHash = (revert.data as { proofHash: string }).proofHash;
    const confirmation = events.find((e) => e.type === 'PartialConfirmed' && (e.data as { proofHash: string }).proofHash === proofHash)!;
    events.splice(events.indexOf(confirmation), 1);
    const copy = events.find((e) => e.type === 'PartialConfirmed')!;
    const last = events[events.length - 1]!;
    events.push({ ...copy, position: pos(Number(last.position) + 1) });
    const report = await auditLedger(events);
    expect(report.problems).toEqual(
      expect.arrayContaining([
        { position: revert.position, message: `PartialReverted for proof ${proofHash}: reverts a confirmation that is not in the ledger` },
        { position: pos(Number(last.position) + 1), message: expect.stringMatching(/^PartialConfirmed for proof [0-9a-f]{64}: confirmed already at position \d+$/) },
      ]),
    );
    expect(report.ok).toBe(false);
  });

  it('reports a missing payout: a sequence gap and saga events without their plan', async () => {
    const events = clone(ledger);
    const target = plans(events)[3]!;
    events.splice(events.indexOf(target), 1);
    const report = await auditLedger(events);
    const gap = report.results.find((r) => r.sequence === target.data.sequence + 1)!;
    expect(gap.difference).toBe(`payout sequence gap: expected payout ${target.data.sequence}, recorded ${target.data.sequence + 1}`);
    expect(report.problems.map((p) => p.message)).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^Payout(Sent|Failed) for ${target.data.payoutId}: no PayoutPlanned before it`))]));
    expect(report.ok).toBe(false);
  });

  it('checks every recorded bundle against its plan, and names the payout whose bundle pays another amount', async () => {
    const events = clone(ledger);
    const target = plans(events)[8]!;
    // The generator's plans spend made-up coins: re-plan this one on coins whose ids hash, and sign it as a wallet may.
    const coins = target.data.transactions.map((_, i) => walletCoinFixture(i + 1, 10n ** 15n));
    target.data.transactions = target.data.transactions.map((tx, i) => ({ ...tx, inputCoinIds: [asWalletCoins(coins)[i]!.coinId] }));
    const signing = signPlanFixture(target.data, coins);
    const at = events.indexOf(target);
    // Right after its plan: a longer position with the same prefix sorts between the plan and the next event.
    events.splice(at + 1, 0, { ...signedEventFixture(target.data, signing), position: `${target.position}5` });
    const honest = await auditLedger(clone(events));
    expect({ ok: honest.ok, problems: honest.problems }).toEqual({ ok: true, problems: [] });

    // The wallet paid the first farmer one mojo more (its coin id recomputed, so only the amount betrays it).
    const tampered = clone(events);
    const signed = tampered[at + 1]!.data as ReturnType<typeof signedEventFixture>['data'];
    const payment = target.data.allocations[0]!;
    const coin = signed.transactions.flatMap((t) => t.createdCoins).find((c) => c.puzzleHash === payment.puzzleHash)!;
    const richer = walletCoinChild(coin.parentCoinId, coin.puzzleHash, BigInt(coin.amount) + 1n);
    Object.assign(coin, richer);
    const report = await auditLedger(tampered);
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(new RegExp(`^PayoutSigned for ${target.data.payoutId}: signed transaction \\d+ pays ${BigInt(coin.amount)} to ${payment.puzzleHash}, the plan pays it ${payment.amount}$`)),
    ]);
  });

  it('recomputes the coin ids a plan of schema 1 predicted', async () => {
    const events = clone(ledger);
    const target = plans(events)[8]!;
    const tx = target.data.transactions[0]!;
    const parent = tx.inputCoinIds[0]!;
    const additions = tx.payments.map((p) => ({ ...p, coinId: coinId({ parentCoinInfo: parent, puzzleHash: p.puzzleHash, amount: BigInt(p.amount) }) }));
    // As schema 1 recorded it: additions with their ids, no payments.
    (target.data as unknown as { transactions: unknown[] }).transactions = [{ inputCoinIds: tx.inputCoinIds, additions, change: null, fee: tx.fee }, ...target.data.transactions.slice(1)];
    expect((await auditLedger(clone(events))).results[8]).toMatchObject({ status: 'match' });
    additions[1]!.coinId = additions[1]!.coinId.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
    const report = await auditLedger(events);
    expect(report.results.find((r) => r.status === 'mismatch')).toMatchObject({
      sequence: target.data.sequence,
      difference: expect.stringMatching(/^transactions\[0\]\.additions\[1\]\.coinId expected [0-9a-f]{64} recorded/),
    });
  });

  it('reports an event that no longer parses instead of crashing', async () => {
    const events = clone(ledger);
    const target = events.find((e) => e.type === 'PartialConfirmed')!;
    target.data = { launcherId: 'x', proofHash: 'y', points: 'not a number', confirmedAt: 1 };
    const report = await auditLedger(events);
    expect(report.problems[0]).toEqual({ position: target.position, message: expect.stringMatching(/^PartialConfirmed cannot be applied: /) });
    expect(report.ok).toBe(false);
  });

  it('names a RewardAbsorbed whose amount was changed, even after the last plan', async () => {
    for (const which of ['first', 'last'] as const) {
      const events = clone(ledger);
      const absorbs = events.filter((e) => e.type === 'RewardAbsorbed');
      const target = which === 'first' ? absorbs[0]! : absorbs[absorbs.length - 1]!;
      const data = target.data as { amount: string; coinId: string };
      const honest = data.amount;
      data.amount = (BigInt(honest) + 1n).toString();
      const report = await auditLedger(events);
      expect(report.problems).toContainEqual({ position: target.position, message: expect.stringContaining(`RewardAbsorbed for reward ${data.coinId}: amount ${data.amount} differs from ${honest} detected at position`) });
      expect(report.ok).toBe(false);
    }
  });

  it('names the plan and the field when a recorded scheme field was changed', async () => {
    for (const [field, value, difference] of [
      ['feeBasisPoints', 150, /^poolFee\.amount expected \d+ recorded \d+$/],
      ['minimumPayout', '20000000000', /^(allocations|carried)/],
      ['name', 'pplns', /^plan cannot be recomputed: payout scheme: pplns needs exactly one of windowSeconds and windowPoints$/],
    ] as const) {
      const events = clone(ledger);
      const target = plans(events)[4]!;
      target.data.scheme = { ...target.data.scheme, [field]: value };
      const report = await auditLedger(events);
      expect(report.results.filter((r) => r.status === 'mismatch')).toEqual([
        expect.objectContaining({ sequence: target.data.sequence, position: target.position, difference: expect.stringMatching(difference) }),
      ]);
    }
  });

  it('balances the books when an abandoned payout lands after all, and the next plan does not pay it again', async () => {
    const { events, push, detected, plan } = ledgerWriter();
    [registered(1), registered(2), confirmed(1, 'p1', 1), confirmed(2, 'p2', 3), detected('r1', 1000), absorbed('r1', 1000)].forEach(push);
    const first = plan(1);
    push({ type: 'PayoutFailed', data: { payoutId: 'payout-1', reason: 'wallet refused', attempt: 3, willRetry: false, failedAt: 1 } });
    push({ type: 'PayoutConfirmed', data: { payoutId: 'payout-1', confirmedHeight: 9, confirmedAt: 2 } });
    // Only the new reward is left to pay: the first payout's balances are not owed any more.
    [confirmed(1, 'p3', 1), detected('r2', 500), absorbed('r2', 500)].forEach(push);
    const second = plan(2);
    expect(second.data.rewardTotal).toBe('500');
    expect(second.data.returnedFunds).toBe('0');
    const report = await auditLedger(events);
    expect(report.problems).toEqual([]);
    expect(report.results.map((r) => r.status)).toEqual(['match', 'match']);
    expect(report.summary).toMatchObject({ balanced: true, paid: first.data.allocations.reduce((sum, a) => sum + BigInt(a.amount), 0n), carried: 0n });
    const statement = await farmerStatement(events, launcher(2));
    expect(statement.lines.map((l) => [l.kind, l.mojos, l.carried, l.paid])).toEqual([
      ['credit', '0', '0', '0'],
      ['allocation', first.data.allocations.find((a) => a.launcherId === launcher(2))!.amount, '0', '0'],
      ['returned', '742', '742', '0'],
      ['payment', '742', '0', '742'],
    ]);
  });

  it('balances the books through reorgs: a reward reverted while a plan was made, reverted after payout and absorbed again', async () => {
    const { state, events, push, detected, plan: record } = ledgerWriter();
    const plan = (sequence: number, between: { type: string; data: unknown }[] = []) => {
      const p = record(sequence, between);
      push({ type: 'PayoutSent', data: { payoutId: p.data.payoutId, transactionIds: ['t'], sentAt: 1 } });
      push({ type: 'PayoutConfirmed', data: { payoutId: p.data.payoutId, confirmedHeight: 9, confirmedAt: 2 } });
      return p;
    };
    [registered(1), registered(2), confirmed(1, 'p1', 1), confirmed(2, 'p2', 3), detected('r1', 1000), absorbed('r1', 1000), detected('r2', 400), absorbed('r2', 400)].forEach(push);
    // r2 is orphaned while plan 1 (which distributes it) is being made: the plan paid it anyway, a deficit.
    plan(1, [rewardReverted('r2', 400)]);
    expect(state.rewardDeficit).toBe(400n);
    // r1, paid by plan 1, is orphaned, and so is a partial plan 1 paid for (not taken back: rule of the ledger).
    push(rewardReverted('r1', 1000));
    push(reverted(1, 'p1', 1));
    // The new chain creates r1 again and the pool absorbs it; more points arrive.
    [detected('r1', 1000), absorbed('r1', 1000), confirmed(2, 'p3', 1), detected('r3', 2000), absorbed('r3', 2000)].forEach(push);
    const second = plan(2);
    expect(second.data).toMatchObject({ rewardTotal: '3000', deficitRecovered: '1400' });
    const report = await auditLedger(events);
    expect(report.problems).toEqual([]);
    expect(report.results.map((r) => r.status)).toEqual(['match', 'match']);
    expect(report.summary).toMatchObject({ balanced: true, rewardDeficit: 0n, undistributed: 0n, absorbed: 3000n });
    const statement = await farmerStatement(events, launcher(1));
    expect(statement.lines.map((l) => l.kind)).toContain('reversal_after_payout');
  });

  it('rebuilds the state at the plan position when events were appended while the plan was made', async () => {
    const scheme = propScheme({ feeBasisPoints: 0 });
    const before = [registered(1), registered(2), confirmed(1, 'p1', 1), confirmed(2, 'p2', 3), absorbed('r1', 400)];
    const state = createPayoutLedger();
    before.forEach((e, i) => applyToPayoutLedger(state, e, pos(i + 1)));
    const draft = planPayout(state, scheme, 5000)!;
    // Two events land between the plan's ledger position (5) and the plan (8); neither may change its recomputation.
    const plan = planned(draft, 1, pos(5));
    plan.data.transactions = buildPayoutTransactions(draft, [{ coinId: hex32('1'), amount: 10_000n }], 400);
    const events = [...before, confirmed(1, 'p3', 50), absorbed('r2', 1000), plan].map((e, i) => ({ ...e, position: pos(i + 1) }));
    const report = await auditLedger(events);
    expect(report.results).toEqual([expect.objectContaining({ status: 'match', sequence: 1 })]);
    expect(report.ledger.farmers.get(launcher(1))?.pointsSinceLastPayout).toBe(50n);
    // With no room to hold those events back the state cannot be rebuilt, and the audit says so.
    const strict = await auditLedger(events, { maxPlanLag: 1 });
    expect(strict.results[0]?.difference).toMatch(/more than 1 events before the plan/);
  });
});

describe('farmerStatement', () => {
  it('lists credits, reversals, allocations and payments with running balances', async () => {
    const scheme = propScheme({ feeBasisPoints: 0 });
    const state = createPayoutLedger();
    const before = [registered(1), registered(2), confirmed(1, 'p1', 2), confirmed(2, 'p2', 2), confirmed(1, 'p3', 1), reverted(1, 'p3', 1), absorbed('r1', 100)];
    before.forEach((e, i) => applyToPayoutLedger(state, e, pos(i + 1)));
    const draft = planPayout(state, scheme, 5000)!;
    const plan = planned(draft, 1, pos(before.length));
    const after = [
      plan,
      { type: 'PayoutSent', data: { payoutId: plan.data.payoutId, transactionIds: ['t'], sentAt: 1 } },
      { type: 'PayoutConfirmed', data: { payoutId: plan.data.payoutId, confirmedHeight: 5, confirmedAt: 2 } },
      reverted(1, 'p1', 2),
    ];
    const events = [...before, ...after].map((e, i) => ({ ...e, position: pos(i + 1) }));
    const statement = await farmerStatement(events, launcher(1));
    expect(statement.lines.map((l) => [l.kind, l.points, l.mojos, l.pointsBalance, l.inFlight, l.paid])).toEqual([
      ['credit', '2', '0', '2', '0', '0'],
      ['credit', '1', '0', '3', '0', '0'],
      ['reversal', '-1', '0', '2', '0', '0'],
      ['allocation', '-2', '50', '0', '50', '0'],
      ['payment', '0', '50', '0', '0', '50'],
      ['reversal_after_payout', '0', '0', '0', '0', '50'],
    ]);
    expect(statement.totals).toMatchObject({ creditedPoints: 3n, revertedPoints: 3n, allocated: 50n, paid: 50n, carried: 0n });
  });

  it('agrees with the audit on a generated ledger: what each farmer was paid adds up to the payouts', async () => {
    const events = materialize({ farmers: 12, payouts: 8, partialsPerPayout: 60, seed: 3 });
    const report = await auditLedger(events);
    let paid = 0n;
    let carried = 0n;
    for (let f = 0; f < 12; f++) {
      const statement = await farmerStatement(events, syntheticLauncherId(f));
      paid += statement.totals.paid;
      carried += statement.totals.carried;
    }
    expect(paid).toBe(report.summary.paid);
    expect(carried).toBe(report.summary.carried);
  });
});
