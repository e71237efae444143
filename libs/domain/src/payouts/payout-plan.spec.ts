import fc from 'fast-check';
import { applyToPayoutLedger, createPayoutLedger, type PayoutLedger } from './payout-ledger';
import { payoutBalance, planPayout, splitByPoints, totalCarried, type PayoutDraft } from './payout-plan';
import { absorbed, confirmed, launcher, planned, POOL_FEE_PH, pos, propScheme, puzzle, registered, rewardReverted } from '@pool/testing';
import type { PayoutSchemeConfig } from './payout.events';

function replay(events: { type: string; data: unknown }[], ledger: PayoutLedger = createPayoutLedger()): PayoutLedger {
  let n = ledger.position === undefined ? 0 : Number(ledger.position);
  for (const event of events) applyToPayoutLedger(ledger, event, pos(++n));
  return ledger;
}

const amounts = (draft: PayoutDraft | null): Record<string, string> =>
  Object.fromEntries((draft?.allocations ?? []).map((a) => [a.launcherId.replace(/^0+a/, 'a'), a.amount]));

const record = (ledger: PayoutLedger, draft: PayoutDraft): PayoutLedger => replay([planned(draft, ledger.lastPayoutSequence + 1, ledger.position!)], ledger);

describe('splitByPoints', () => {
  it('gives the flooring remainder to the largest fractional parts, ties to the smaller launcher id', () => {
    expect(splitByPoints(10n, new Map([['b', 1n], ['a', 2n]]))).toEqual(new Map([['b', 3n], ['a', 7n]]));
    expect(splitByPoints(10n, new Map([['c', 1n], ['b', 1n], ['a', 1n]]))).toEqual(new Map([['c', 3n], ['b', 3n], ['a', 4n]]));
  });
});

describe('planPayout', () => {
  const base = () => replay([registered(1), registered(2), confirmed(1, 'p1', 1), confirmed(2, 'p2', 2), absorbed('r1', 1000)]);

  it('PROP: takes the pool fee in basis points and splits the rest by points since the last payout', () => {
    const draft = planPayout(base(), propScheme({ feeBasisPoints: 100 }), 5000)!;
    expect(draft.poolFee).toEqual({ puzzleHash: POOL_FEE_PH, amount: '10' });
    expect(amounts(draft)).toEqual({ a1: '330', a2: '660' });
    expect(draft.allocations.map((a) => a.points)).toEqual(['2', '1']);
    expect(draft.rewardTotal).toBe('1000');
    expect(draft.carried).toEqual([]);
    expect(draft.allocations[0]!.puzzleHash).toBe(puzzle(2));
  });

  it('PROP: the next run pays only points confirmed after the recorded plan', () => {
    const ledger = base();
    record(ledger, planPayout(ledger, propScheme({ feeBasisPoints: 0 }), 5000)!);
    expect(planPayout(ledger, propScheme(), 5000)).toBeNull(); // no new reward
    replay([confirmed(1, 'p3', 4), absorbed('r2', 80)], ledger);
    expect(amounts(planPayout(ledger, propScheme({ feeBasisPoints: 0 }), 5000))).toEqual({ a1: '80' });
  });

  it('carries balances below the minimum payout and pays them once they reach it', () => {
    const ledger = base();
    const first = planPayout(ledger, propScheme({ feeBasisPoints: 0, minimumPayout: '500' }), 5000)!;
    expect(amounts(first)).toEqual({ a2: '667' });
    expect(first.carried).toEqual([{ launcherId: launcher(1), amount: '333' }]);
    record(ledger, first);
    replay([confirmed(1, 'p3', 1), absorbed('r2', 200)], ledger);
    const second = planPayout(ledger, propScheme({ feeBasisPoints: 0, minimumPayout: '500' }), 5000)!;
    expect(amounts(second)).toEqual({ a1: '533' });
    expect(second.carried).toEqual([]);
  });

  it('carries the balance of a farmer without a payout puzzle hash', () => {
    const ledger = replay([registered(1), confirmed(1, 'p1', 1), confirmed(3, 'p3', 1), absorbed('r1', 100)]);
    const draft = planPayout(ledger, propScheme({ feeBasisPoints: 0 }), 5000)!;
    expect(amounts(draft)).toEqual({ a1: '50' });
    expect(draft.carried).toEqual([{ launcherId: launcher(3), amount: '50' }]);
  });

  it('charges the blockchain fee per transaction of max additions, counting the pool fee output', () => {
    const ledger = replay([1, 2, 3].flatMap((n): { type: string; data: unknown }[] => [registered(n), confirmed(n, `p${n}`, 1)]).concat([absorbed('r1', 10_000)]));
    const draft = planPayout(ledger, propScheme({ feeBasisPoints: 100, maxAdditionsPerTransaction: 2, blockchainFeePerTransaction: '30' }), 5000)!;
    // 3 recipients + pool fee = 4 outputs = 2 transactions; pot 9900 - 60 = 9840 split in 3.
    expect(draft.blockchainFee).toBe('60');
    expect(amounts(draft)).toEqual({ a1: '3280', a2: '3280', a3: '3280' });
  });

  it('applies the caps per run and carries what they hold back', () => {
    const ledger = replay([1, 2, 3].flatMap((n): { type: string; data: unknown }[] => [registered(n), confirmed(n, `p${n}`, n)]).concat([absorbed('r1', 600)]));
    const scheme = (caps: Partial<PayoutSchemeConfig>) => propScheme({ feeBasisPoints: 0, ...caps });
    expect(amounts(planPayout(ledger, scheme({ maxRecipientsPerRun: 2 }), 5000))).toEqual({ a3: '300', a2: '200' });
    expect(amounts(planPayout(ledger, scheme({ maxPerRecipient: '250' }), 5000))).toEqual({ a3: '250', a2: '200', a1: '100' });
    const capped = planPayout(ledger, scheme({ maxTotalPerRun: '450' }), 5000)!;
    expect(amounts(capped)).toEqual({ a3: '300', a2: '150' });
    expect(capped.carried).toEqual([
      { launcherId: launcher(1), amount: '100' },
      { launcherId: launcher(2), amount: '50' },
    ]);
  });

  it('PPLNS over a time window counts only partials confirmed inside it, paid or not', () => {
    const ledger = replay([registered(1), registered(2), confirmed(1, 'p1', 5, 100), confirmed(2, 'p2', 1, 950), confirmed(1, 'p3', 1, 990), absorbed('r1', 100)]);
    const scheme = propScheme({ name: 'pplns', windowSeconds: 100, feeBasisPoints: 0 });
    expect(amounts(planPayout(ledger, scheme, 1000))).toEqual({ a1: '50', a2: '50' });
    record(ledger, planPayout(ledger, scheme, 1000)!);
    replay([absorbed('r2', 10)], ledger);
    expect(amounts(planPayout(ledger, scheme, 1000))).toEqual({ a1: '5', a2: '5' });
  });

  it('PPLNS over N points counts the newest points, the edge partial only in part', () => {
    const ledger = replay([registered(1), registered(2), confirmed(1, 'p1', 10), confirmed(2, 'p2', 3), confirmed(1, 'p3', 1), absorbed('r1', 60)]);
    const draft = planPayout(ledger, propScheme({ name: 'pplns', windowPoints: '6', feeBasisPoints: 0 }), 5000)!;
    // newest first: a1 1, a2 3, then 2 of a1's 10.
    expect(amounts(draft)).toEqual({ a1: '30', a2: '30' });
    expect(draft.allocations.map((a) => a.points).sort()).toEqual(['3', '3']);
  });

  it('recovers a deficit from a reward reverted after it was paid out', () => {
    const ledger = base();
    record(ledger, planPayout(ledger, propScheme({ feeBasisPoints: 0 }), 5000)!);
    replay([rewardReverted('r1', 1000), confirmed(1, 'p9', 1), absorbed('r2', 1200)], ledger);
    const draft = planPayout(ledger, propScheme({ feeBasisPoints: 0 }), 5000)!;
    expect(draft.deficitRecovered).toBe('1000');
    expect(amounts(draft)).toEqual({ a1: '200' });
    record(ledger, draft);
    expect(ledger.rewardDeficit).toBe(0n);
  });

  it('returns null when paused, without rewards, without points, or when fees eat the pot', () => {
    expect(planPayout(replay([registered(1), confirmed(1, 'p1', 1)]), propScheme(), 1)).toBeNull();
    expect(planPayout(replay([registered(1), absorbed('r1', 10)]), propScheme(), 1)).toBeNull();
    const paused = replay([registered(1), confirmed(1, 'p1', 1), absorbed('r1', 10), { type: 'PayoutsPaused', data: { reason: 'x', by: 'operator', at: 1 } }]);
    expect(planPayout(paused, propScheme(), 1)).toBeNull();
    expect(planPayout(replay([registered(1), confirmed(1, 'p1', 1), absorbed('r1', 10)]), propScheme({ blockchainFeePerTransaction: '10' }), 1)).toBeNull();
  });

  it('refuses an inconsistent scheme', () => {
    expect(() => planPayout(base(), propScheme({ name: 'pplns' }), 1)).toThrow(RangeError);
    expect(() => planPayout(base(), propScheme({ maxAdditionsPerTransaction: 0 }), 1)).toThrow(RangeError);
  });

  // Random ledgers (registrations, partials, reverts, rewards, earlier plans and abandoned payouts) under random
  // schemes: every plan accounts for its distributable amount to the mojo, with no negative amount anywhere.
  it('property: allocations + carried delta + pool fee + blockchain fee == distributable, all >= 0', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('partial' as const), farmer: fc.integer({ min: 1, max: 8 }), points: fc.integer({ min: 1, max: 5000 }), at: fc.integer({ min: 0, max: 2000 }) }),
      fc.record({ kind: fc.constant('revert' as const), index: fc.nat() }),
      fc.record({ kind: fc.constant('reward' as const), amount: fc.bigInt({ min: 1n, max: 2_000_000_000_000n }) }),
      fc.record({ kind: fc.constant('rewardRevert' as const), index: fc.nat() }),
      fc.record({ kind: fc.constant('plan' as const) }),
      fc.record({ kind: fc.constant('abandon' as const) }),
      fc.record({ kind: fc.constant('landLate' as const), back: fc.nat({ max: 3 }) }),
    );
    const scheme = fc.record({
      name: fc.constantFrom('prop' as const, 'pplns' as const),
      window: fc.oneof(fc.record({ windowSeconds: fc.integer({ min: 1, max: 3000 }) }), fc.record({ windowPoints: fc.integer({ min: 1, max: 20000 }).map(String) })),
      feeBasisPoints: fc.integer({ min: 0, max: 10_000 }),
      minimumPayout: fc.bigInt({ min: 0n, max: 1_000_000_000n }).map(String),
      maxAdditionsPerTransaction: fc.integer({ min: 1, max: 5 }),
      maxRecipientsPerRun: fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
      maxTotalPerRun: fc.option(fc.bigInt({ min: 1n, max: 3_000_000_000_000n }).map(String), { nil: undefined }),
      maxPerRecipient: fc.option(fc.bigInt({ min: 1n, max: 1_000_000_000_000n }).map(String), { nil: undefined }),
      blockchainFeePerTransaction: fc.bigInt({ min: 0n, max: 50_000_000n }).map(String),
    });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), scheme, fc.integer({ min: 0, max: 2500 }), (steps, s, now) => {
        const config: PayoutSchemeConfig = {
          name: s.name,
          ...(s.name === 'pplns' ? s.window : {}),
          feeBasisPoints: s.feeBasisPoints,
          poolFeePuzzleHash: POOL_FEE_PH,
          minimumPayout: s.minimumPayout,
          maxAdditionsPerTransaction: s.maxAdditionsPerTransaction,
          maxRecipientsPerRun: s.maxRecipientsPerRun,
          maxTotalPerRun: s.maxTotalPerRun,
          maxPerRecipient: s.maxPerRecipient,
          blockchainFeePerTransaction: s.blockchainFeePerTransaction,
        };
        const ledger = replay([1, 2, 3, 4, 5, 6].map((n) => registered(n))); // 7 and 8 never register
        let partials = 0;
        let rewards = 0;
        let landedLate = false;
        const check = (draft: PayoutDraft): void => {
          const { distributable, accounted } = payoutBalance(draft, totalCarried(ledger));
          expect(accounted).toBe(distributable);
          for (const amount of [draft.poolFee.amount, draft.blockchainFee, ...draft.allocations.map((a) => a.amount)]) {
            expect(BigInt(amount)).toBeGreaterThanOrEqual(0n);
          }
          // Negative balances exist only after a payout landed after it was abandoned (someone was paid twice).
          if (!landedLate) for (const c of draft.carried) expect(BigInt(c.amount)).toBeGreaterThanOrEqual(0n);
          expect(draft.allocations.length).toBeGreaterThan(0);
          // The fee pays for at least as many transactions as the outputs need.
          const outputs = draft.allocations.length + (BigInt(draft.poolFee.amount) > 0n ? 1 : 0);
          const transactions = BigInt(Math.ceil(outputs / config.maxAdditionsPerTransaction));
          expect(BigInt(draft.blockchainFee)).toBeGreaterThanOrEqual(transactions * BigInt(config.blockchainFeePerTransaction));
          const minimum = BigInt(config.minimumPayout);
          // A balances-only run pays its fee from the balances: an allocation may miss the minimum by that much.
          const balancesOnly = draft.rewardTotal === '0' && draft.allocations.every((a) => a.points === '0');
          const feeShareBound = balancesOnly ? BigInt(draft.blockchainFee) : 0n;
          for (const a of draft.allocations) if (BigInt(a.amount) + feeShareBound < minimum) expect(config.maxPerRecipient ?? config.maxTotalPerRun).toBeDefined();
        };
        for (const st of steps) {
          if (st.kind === 'partial') replay([confirmed(st.farmer, `q${partials++}`, st.points, st.at)], ledger);
          else if (st.kind === 'revert' && partials > 0) {
            const p = ledger.partials.at(st.index % ledger.partials.length);
            replay([{ type: 'PartialReverted', data: { launcherId: p.launcherId, proofHash: p.proofHash, points: String(p.points), reason: 'reorg', wasConfirmed: true, revertedAt: 1 } }], ledger);
          } else if (st.kind === 'reward') replay([absorbed(`r${rewards++}`, st.amount)], ledger);
          else if (st.kind === 'rewardRevert' && rewards > 0) {
            const r = [...ledger.rewards.values()][st.index % ledger.rewards.size]!;
            replay([rewardReverted(r.coinId.replace(/^0+/, ''), r.amount)], ledger);
          } else if (st.kind === 'plan') {
            const draft = planPayout(ledger, config, now);
            if (draft) {
              check(draft);
              record(ledger, draft);
            }
          } else if (st.kind === 'abandon' && ledger.lastPayoutSequence > 0) {
            const payoutId = `payout-${ledger.lastPayoutSequence}`;
            replay([{ type: 'PayoutFailed', data: { payoutId, reason: 'x', attempt: 3, willRetry: false, failedAt: 1 } }], ledger);
          } else if (st.kind === 'landLate' && ledger.lastPayoutSequence > st.back) {
            // An abandoned payout's transactions land after all, possibly after later plans paid its balances again.
            const payoutId = `payout-${ledger.lastPayoutSequence - st.back}`;
            if (ledger.payouts.get(payoutId)?.status === 'abandoned') landedLate = true;
            replay([{ type: 'PayoutConfirmed', data: { payoutId, confirmedHeight: 1, confirmedAt: 1 } }], ledger);
          }
        }
        const last = planPayout(ledger, config, now);
        if (last) check(last);
      }),
      { numRuns: 300 },
    );
  });
});

describe('planPayout: balances without new points (money review)', () => {
  const abandon = (sequence: number) => ({ type: 'PayoutFailed', data: { payoutId: `payout-${sequence}`, reason: 'wallet refused', attempt: 3, willRetry: false, failedAt: 1 } });

  it('pays the balances an abandoned payout returned, with no new points, distributing nothing new', () => {
    const ledger = replay([registered(1), registered(2), confirmed(1, 'p1', 1), confirmed(2, 'p2', 2), absorbed('r1', 1000)]);
    const first = planPayout(ledger, propScheme({ feeBasisPoints: 100 }), 5000)!;
    record(ledger, first);
    replay([abandon(1)], ledger);
    const again = planPayout(ledger, propScheme({ feeBasisPoints: 100 }), 5000)!;
    expect(again).not.toBeNull();
    expect(amounts(again)).toEqual(amounts(first));
    expect(again).toMatchObject({ rewardCoinIds: [], rewardTotal: '0', returnedFunds: '0', deficitRecovered: '0', poolFee: { amount: '0' }, blockchainFee: '0', carried: [] });
    expect(again.allocations.map((a) => a.points)).toEqual(['0', '0']);
    record(ledger, again);
    // The first run's pool fee is still in the pot, waiting for points to share it by.
    expect(ledger.returnedFunds).toBe(10n);
    expect(planPayout(ledger, propScheme(), 5000)).toBeNull();
    replay([confirmed(1, 'p3', 1)], ledger);
    expect(planPayout(ledger, propScheme({ feeBasisPoints: 0 }), 5000)).toMatchObject({ returnedFunds: '10', allocations: [{ launcherId: launcher(1), amount: '10' }] });
  });

  it('pays what a per-run cap held back in the next run, and charges that run its blockchain fee by amount', () => {
    const ledger = replay([1, 2, 3].flatMap((n): { type: string; data: unknown }[] => [registered(n), confirmed(n, `p${n}`, n)]).concat([absorbed('r1', 600)]));
    const scheme = propScheme({ feeBasisPoints: 0, maxRecipientsPerRun: 2, blockchainFeePerTransaction: '7' });
    const first = planPayout(ledger, scheme, 5000)!;
    // 600 - 7 = 593 split 1:2:3; a3 and a2 are paid, a1 carries its 98 (rounding: 98.83 -> 99 to the largest remainder).
    expect(first.carried).toEqual([{ launcherId: launcher(1), amount: '99' }]);
    record(ledger, first);
    const second = planPayout(ledger, scheme, 5000)!;
    expect(second).toMatchObject({ rewardTotal: '0', blockchainFee: '7', carried: [] });
    expect(amounts(second)).toEqual({ a1: '92' });
    const carriedBefore = totalCarried(ledger);
    const { distributable, accounted } = payoutBalance(second, carriedBefore);
    expect([distributable, accounted]).toEqual([0n, 0n]);
    record(ledger, second);
    expect(totalCarried(ledger)).toBe(0n);
    expect(planPayout(ledger, scheme, 5000)).toBeNull();
  });

  it('splits a balances-only fee by amount, floor each, the rest to the largest remainders', () => {
    const ledger = replay([registered(1), registered(2), confirmed(1, 'p1', 1), confirmed(2, 'p2', 2), absorbed('r1', 3000)]);
    record(ledger, planPayout(ledger, propScheme({ feeBasisPoints: 0 }), 5000)!);
    replay([abandon(1)], ledger);
    // Balances 1000 and 2000, fee 10: 3.33 and 6.67 -> 3 and 7.
    const draft = planPayout(ledger, propScheme({ feeBasisPoints: 0, blockchainFeePerTransaction: '10' }), 5000)!;
    expect(amounts(draft)).toEqual({ a1: '997', a2: '1993' });
    expect(draft.blockchainFee).toBe('10');
  });

  it('leaves a balance its fee share would swallow whole for a later run', () => {
    const ledger = replay([1, 2, 3].flatMap((n): { type: string; data: unknown }[] => [registered(n), confirmed(n, `p${n}`, 1)]).concat([absorbed('r1', 15)]));
    record(ledger, planPayout(ledger, propScheme({ feeBasisPoints: 0 }), 5000)!);
    replay([abandon(1)], ledger);
    // Three balances of 5 in two transactions cost 14: shares 4.67 round to 5, 5 and 4, two balances gone whole.
    // Two recipients need one transaction (7): 3.5 each, rounded 4 and 3.
    const draft = planPayout(ledger, propScheme({ feeBasisPoints: 0, maxAdditionsPerTransaction: 2, blockchainFeePerTransaction: '7' }), 5000)!;
    expect(amounts(draft)).toEqual({ a1: '1', a2: '2' });
    expect(draft.carried).toEqual([{ launcherId: launcher(3), amount: '5' }]);
    expect(draft.blockchainFee).toBe('7');
  });

  it('pays no balance while the pool is short (a reverted reward not yet recovered)', () => {
    const ledger = replay([registered(1), confirmed(1, 'p1', 1), absorbed('r1', 1000)]);
    record(ledger, planPayout(ledger, propScheme({ feeBasisPoints: 0, maxPerRecipient: '400' }), 5000)!);
    replay([rewardReverted('r1', 1000)], ledger);
    expect(totalCarried(ledger)).toBe(600n);
    expect(planPayout(ledger, propScheme({ feeBasisPoints: 0, maxPerRecipient: '400' }), 5000)).toBeNull();
  });
});
