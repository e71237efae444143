import { applyToPayoutLedger, createPayoutLedger, type PayoutLedger } from './payout-ledger';
import { unresolvedPayouts } from './payout-window.fold';
import { absorbed, confirmed, launcher, pos, propPlan, puzzle, registered, rewardReverted, reverted } from '@pool/testing';

function replay(events: { type: string; data: unknown }[], ledger: PayoutLedger = createPayoutLedger(), start = 1): PayoutLedger {
  events.forEach((event, i) => applyToPayoutLedger(ledger, event, pos(start + i)));
  return ledger;
}

const points = (ledger: PayoutLedger, n: number): bigint | undefined => ledger.farmers.get(launcher(n))?.pointsSinceLastPayout;

const plan = propPlan;

describe('payout ledger fold', () => {
  it('counts confirmed points per farmer and takes back the ones reverted before a payout', () => {
    const ledger = replay([registered(1), registered(2), confirmed(1, 'p1', 5), confirmed(2, 'p2', 7), confirmed(1, 'p3', 3), reverted(1, 'p3', 3)]);
    expect(points(ledger, 1)).toBe(5n);
    expect(points(ledger, 2)).toBe(7n);
    expect(ledger.farmers.get(launcher(1))?.puzzleHash).toBe(puzzle(1));
    expect(ledger.partials.slice(0).filter((p) => !p.reverted).map((p) => p.points)).toEqual([5n, 7n]);
  });

  it('ignores reverts of partials that were never confirmed and a repeated confirmation', () => {
    const ledger = replay([confirmed(1, 'p1', 5), confirmed(1, 'p1', 5), reverted(1, 'p9', 4, false), reverted(1, 'p1', 5, false)]);
    expect(points(ledger, 1)).toBe(5n);
  });

  it('tracks rewards from absorbed to distributed, and a revert after distribution as a deficit', () => {
    const ledger = replay([absorbed('r1', 100), absorbed('r2', 50), absorbed('r3', 7), rewardReverted('r3', 7), plan(1, pos(4), { rewardCoinIds: [`${'0'.repeat(62)}r1`] })]);
    const states = Object.fromEntries([...ledger.rewards.values()].map((r) => [r.coinId.slice(-2), r.state]));
    expect(states).toEqual({ r1: 'distributed', r2: 'undistributed', r3: 'reverted' });
    expect(ledger.rewardDeficit).toBe(0n);
    replay([rewardReverted('r1', 100)], ledger, 6);
    expect(ledger.rewardDeficit).toBe(100n);
  });

  it('counts a reward reverted between the plan position and the plan event as a deficit', () => {
    const ledger = replay([absorbed('r1', 100), rewardReverted('r1', 100), plan(1, pos(1), { rewardCoinIds: [`${'0'.repeat(62)}r1`], deficitRecovered: '0' })]);
    expect(ledger.rewardDeficit).toBe(100n);
    const next = replay([plan(2, pos(3), { deficitRecovered: '60' })], ledger, 4);
    expect(next.rewardDeficit).toBe(40n);
  });

  it('follows pause, resume, payout address changes and membership', () => {
    const ledger = replay([
      registered(1),
      { type: 'FarmerUpdated', data: { launcherId: launcher(1), payoutPuzzleHash: puzzle(7), updatedAt: 5 } },
      { type: 'FarmerLeftPool', data: { launcherId: launcher(1), height: 3, at: 5, reason: 'leaving' } },
      { type: 'PayoutsPaused', data: { reason: 'maintenance', by: 'operator', at: 5 } },
    ]);
    expect(ledger.paused).toBe(true);
    expect(ledger.farmers.get(launcher(1))).toMatchObject({ puzzleHash: puzzle(7), member: false });
    replay([{ type: 'PayoutsResumed', data: { reason: 'done', by: 'operator', at: 6 } }, { type: 'FarmerRejoinedPool', data: { launcherId: launcher(1), height: 4, at: 6 } }], ledger, 5);
    expect(ledger.paused).toBe(false);
    expect(ledger.farmers.get(launcher(1))?.member).toBe(true);
    expect(ledger.position).toBe(pos(6));
  });

  it('distributes a reward again when the reorg that reverted it after payout is undone (the coin is absorbed again)', () => {
    const ledger = replay([registered(1), absorbed('r1', 100), plan(1, pos(2), { rewardCoinIds: [`${'0'.repeat(62)}r1`], rewardTotal: '100' }), rewardReverted('r1', 100)]);
    expect(ledger.rewardDeficit).toBe(100n);
    replay([absorbed('r1', 100)], ledger, 5);
    // The deficit its revert left and the mojos back in the wallet cancel out in the next plan.
    expect([...ledger.rewards.values()].map((r) => r.state)).toEqual(['undistributed']);
    expect(ledger.rewardDeficit).toBe(100n);
    // Absorbing it once more (a replayed command) changes nothing.
    replay([absorbed('r1', 100)], ledger, 6);
    expect([...ledger.rewards.values()].map((r) => [r.state, r.amount])).toEqual([['undistributed', 100n]]);
  });

  it('sets carried balances from the plan and returns an abandoned payout to balances and the pot', () => {
    const ledger = replay([
      registered(1),
      registered(2),
      plan(1, pos(2), {
        allocations: [{ launcherId: launcher(1), puzzleHash: puzzle(1), points: '1', amount: '70' }],
        carried: [{ launcherId: launcher(2), amount: '9' }],
        poolFee: { puzzleHash: puzzle(99), amount: '5' },
        blockchainFee: '2',
      }),
    ]);
    expect(ledger.farmers.get(launcher(2))?.carried).toBe(9n);
    expect(unresolvedPayouts(ledger).map((p) => p.sequence)).toEqual([1]);
    replay([{ type: 'PayoutFailed', data: { payoutId: 'payout-1', reason: 'x', attempt: 1, willRetry: true, failedAt: 1 } }], ledger, 4);
    expect(ledger.farmers.get(launcher(1))?.carried).toBe(0n);
    replay([{ type: 'PayoutFailed', data: { payoutId: 'payout-1', reason: 'x', attempt: 2, willRetry: false, failedAt: 2 } }], ledger, 5);
    expect(ledger.farmers.get(launcher(1))?.carried).toBe(70n);
    expect(ledger.returnedFunds).toBe(7n);
    expect(unresolvedPayouts(ledger)).toEqual([]);
    // A repeated abandonment must not return the money twice.
    replay([{ type: 'PayoutFailed', data: { payoutId: 'payout-1', reason: 'x', attempt: 2, willRetry: false, failedAt: 2 } }], ledger, 6);
    expect(ledger.farmers.get(launcher(1))?.carried).toBe(70n);
  });

  describe('a settled payout (confirmed, or paid in part) leaves the held payouts; its allocations and fees stay as sums', () => {
    const twoFarmers = (sequence: number, ledgerPosition: string) =>
      plan(sequence, ledgerPosition, {
        allocations: [
          { launcherId: launcher(1), puzzleHash: puzzle(1), points: '1', amount: '70' },
          { launcherId: launcher(2), puzzleHash: puzzle(2), points: '1', amount: '30' },
        ],
        poolFee: { puzzleHash: puzzle(99), amount: '5' },
        blockchainFee: '2',
      });
    const event = (type: string, data: Record<string, unknown>) => ({ type, data: { payoutId: 'payout-1', ...data } });
    const sent = event('PayoutSent', { transactionIds: ['t1'], sentAt: 3 });
    const landed = event('PayoutConfirmed', { confirmedHeight: 10, confirmedAt: 4 });
    const abandoned = event('PayoutFailed', { reason: 'x', attempt: 1, willRetry: false, failedAt: 4 });

    it('given a payout sent, when it is confirmed, it is held no more and the books keep its 100 mojos and 7 of fees', () => {
      const ledger = replay([registered(1), registered(2), twoFarmers(1, pos(2)), sent]);
      expect([...ledger.payouts.keys()]).toEqual(['payout-1']);
      expect(ledger.settled).toEqual({ count: 0, allocated: 0n, poolFees: 0n, blockchainFees: 0n });
      replay([landed], ledger, 5);
      expect(ledger.payouts.size).toBe(0);
      expect(ledger.settled).toEqual({ count: 1, allocated: 100n, poolFees: 5n, blockchainFees: 2n });
      expect(ledger.farmers.get(launcher(1))?.paid).toBe(70n);
      // A repeated confirmation finds nothing to settle again.
      replay([landed], ledger, 6);
      expect(ledger.settled.count).toBe(1);
      expect(ledger.farmers.get(launcher(1))?.paid).toBe(70n);
    });

    it('given a payout abandoned, it stays held (it can still land); when it lands late, it settles', () => {
      const ledger = replay([registered(1), registered(2), twoFarmers(1, pos(2)), sent, abandoned]);
      expect(ledger.payouts.get('payout-1')?.status).toBe('abandoned');
      expect(ledger.settled.count).toBe(0);
      replay([landed], ledger, 6);
      expect(ledger.payouts.size).toBe(0);
      expect(ledger.settled).toEqual({ count: 1, allocated: 100n, poolFees: 5n, blockchainFees: 2n });
      expect(ledger.returnedFunds).toBe(0n);
    });

    it('given a payout sent, when an operator settles it paid in part, the books keep only what it paid', () => {
      const ledger = replay([registered(1), registered(2), twoFarmers(1, pos(2)), sent]);
      const settled = { launcherIds: [launcher(2)], poolFee: '5', blockchainFee: '1' };
      replay([event('PayoutResolved', { decision: 'paid-in-part', landedTransactions: [0], reason: 'one landed', resolvedAt: 5, settled })], ledger, 5);
      expect(ledger.payouts.size).toBe(0);
      expect(ledger.settled).toEqual({ count: 1, allocated: 30n, poolFees: 5n, blockchainFees: 1n });
      expect(ledger.farmers.get(launcher(1))?.carried).toBe(70n);
      expect(ledger.returnedFunds).toBe(1n);
    });
  });
});
