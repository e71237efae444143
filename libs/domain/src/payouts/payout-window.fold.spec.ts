import { applyToPayoutWindow, createPayoutWindow, type PayoutWindow } from './payout-window.fold';
import { confirmed, launcher, pos, propPlan, puzzle, registered, reverted } from '@pool/testing';

function replay(events: { type: string; data: unknown }[], state: PayoutWindow = createPayoutWindow(), start = 1): PayoutWindow {
  events.forEach((event, i) => applyToPayoutWindow(state, event, pos(start + i)));
  return state;
}

const points = (state: PayoutWindow, n: number): bigint | undefined => state.farmers.get(launcher(n))?.pointsSinceLastPayout;

const plan = propPlan;

describe('payout window fold', () => {
  it('starts a new PROP period at the plan position, keeping partials confirmed after it', () => {
    // positions: 1 reg, 2 p1, 3 p2 (after the plan's position 2), 4 plan
    const state = replay([registered(1), confirmed(1, 'p1', 5), confirmed(1, 'p2', 4), plan(1, pos(2))]);
    expect(points(state, 1)).toBe(4n);
    expect(state.propCutoff).toBe(pos(2));
    expect(state.lastPayoutSequence).toBe(1);
  });
  it('does not claw back points reverted after the plan that paid them', () => {
    const state = replay([registered(1), confirmed(1, 'p1', 5), plan(1, pos(2)), confirmed(1, 'p2', 2), reverted(1, 'p1', 5), reverted(1, 'p2', 2)]);
    expect(points(state, 1)).toBe(0n);
    expect(state.farmers.get(launcher(1))?.revertedAfterPayout).toBe(5n);
  });
  it('keeps a balance returned by an abandoned payout after the next plan had read the state', () => {
    const first = plan(1, pos(1), { allocations: [{ launcherId: launcher(1), puzzleHash: puzzle(1), points: '1', amount: '70' }], carried: [{ launcherId: launcher(2), amount: '4' }] });
    // positions: 1 reg, 2 plan 1, 3 abandonment of plan 1, 4 plan 2 computed at position 2 (before the abandonment)
    const state = replay([
      registered(1),
      first,
      { type: 'PayoutFailed', data: { payoutId: 'payout-1', reason: 'x', attempt: 1, willRetry: false, failedAt: 2 } },
      plan(2, pos(2), { carried: [{ launcherId: launcher(2), amount: '4' }] }),
    ]);
    expect(state.farmers.get(launcher(1))?.carried).toBe(70n);
    expect(state.farmers.get(launcher(2))?.carried).toBe(4n);
    // Once a plan has seen the return, its recorded balances already include it.
    replay([plan(3, pos(4), { carried: [{ launcherId: launcher(1), amount: '70' }] })], state, 5);
    expect(state.farmers.get(launcher(1))?.carried).toBe(70n);
    expect(state.returns).toEqual([]);
  });
  it('takes back what an abandoned payout returned when its coins land after all', () => {
    const first = plan(1, pos(2), {
      allocations: [{ launcherId: launcher(1), puzzleHash: puzzle(1), points: '1', amount: '70' }],
      poolFee: { puzzleHash: puzzle(99), amount: '5' },
      blockchainFee: '2',
    });
    const abandoned = { type: 'PayoutFailed', data: { payoutId: 'payout-1', reason: 'x', attempt: 3, willRetry: false, failedAt: 2 } };
    const landed = { type: 'PayoutConfirmed', data: { payoutId: 'payout-1', confirmedHeight: 50, confirmedAt: 3 } };
    const state = replay([registered(1), first, abandoned, landed]);
    expect(state.farmers.get(launcher(1))?.carried).toBe(0n);
    expect(state.returnedFunds).toBe(0n);
    expect(state.payouts.get('payout-1')?.status).toBe('confirmed');

    // The same, after a plan (computed before the landing) had already paid the returned 70 again: the farmer
    // is 70 ahead, which nets against what they earn next; the fees the plan re-used are owed back to the pot.
    const again = replay([
      registered(1),
      first,
      abandoned,
      landed, // position 4, appended while plan 2 (position 3) was being made
      plan(2, pos(3), { allocations: [{ launcherId: launcher(1), puzzleHash: puzzle(1), points: '0', amount: '70' }], returnedFunds: '7', poolFee: { puzzleHash: puzzle(99), amount: '7' } }),
    ]);
    expect(again.farmers.get(launcher(1))?.carried).toBe(-70n);
    expect(again.returnedFunds).toBe(-7n);
    // Plan 2 cannot land either (it spends the first payout's inputs) and is abandoned: back to even.
    replay([{ type: 'PayoutFailed', data: { payoutId: 'payout-2', reason: 'input spent', attempt: 1, willRetry: false, failedAt: 4 } }], again, 6);
    expect(again.farmers.get(launcher(1))?.carried).toBe(0n);
    expect(again.returnedFunds).toBe(0n);
  });

  it('numbers windows by the payout that pays them and says which confirms moved on to the next one', () => {
    // positions: 1 p1, 2 p2 (after the plan's position 1), 3 plan 1
    const state = replay([confirmed(1, 'p1', 5), confirmed(1, 'p2', 4)]);
    expect([...state.unpaid.values()].map((c) => c.window)).toEqual([1, 1]);
    const change = applyToPayoutWindow(state, plan(1, pos(1)), pos(3));
    expect(change).toMatchObject({ type: 'planned', movedOn: [{ confirm: { proofHash: expect.stringContaining('p2'), window: 2 }, from: 1 }] });
    expect(state.openWindow).toBe(2);
    expect(applyToPayoutWindow(state, confirmed(1, 'p3', 1), pos(4))).toMatchObject({ type: 'confirmed', confirm: { window: 2 } });
  });

  it('adds a confirmed payout to paid, also when it lands after it was abandoned', () => {
    const first = plan(1, pos(1), { allocations: [{ launcherId: launcher(1), puzzleHash: puzzle(1), points: '1', amount: '70' }] });
    const state = replay([registered(1), first, { type: 'PayoutConfirmed', data: { payoutId: 'payout-1', confirmedHeight: 50, confirmedAt: 3 } }]);
    expect(state.farmers.get(launcher(1))?.paid).toBe(70n);
    const late = replay([
      first,
      { type: 'PayoutFailed', data: { payoutId: 'payout-1', reason: 'x', attempt: 3, willRetry: false, failedAt: 2 } },
      { type: 'PayoutConfirmed', data: { payoutId: 'payout-1', confirmedHeight: 50, confirmedAt: 3 } },
    ]);
    expect(late.farmers.get(launcher(1))).toMatchObject({ paid: 70n, carried: 0n });
  });
});
