import fc from 'fast-check';
import type { PartialEvent } from '../partials/partial.events';
import { ORIGIN_NOT_RECORDED } from '../partials/partial-submitted.schema';
import { applyToPayoutLedger, createPayoutLedger } from '../payouts/payout-ledger';
import type { PayoutPlanned } from '../payouts/payout.events';
import {
  applyToFarmerActivity,
  createFarmerActivity,
  currentPointsOf,
  recentPartialsOf,
  recordAcceptedPartial,
  type FarmerActivity,
  type FarmerActivityEvent,
} from './farmer-activity.fold';

const A = 'aa'.repeat(32);
const B = 'bb'.repeat(32);
const pos = (n: number): string => String(n).padStart(20, '0');

const submitted = (launcherId: string, proofHash: string, receivedAt: number, points = 1n): PartialEvent => ({
  type: 'PartialSubmitted',
  data: { launcherId, proofHash, points: points.toString(), signagePointHash: 'ee'.repeat(32), receivedAt, plotSize: 18, ...ORIGIN_NOT_RECORDED },
});
const confirmed = (launcherId: string, proofHash: string, points = 1n): PartialEvent => ({
  type: 'PartialConfirmed',
  data: { launcherId, proofHash, points: points.toString(), confirmedAt: 0 },
});
const reverted = (launcherId: string, proofHash: string, wasConfirmed: boolean, points = 1n): PartialEvent => ({
  type: 'PartialReverted',
  data: { launcherId, proofHash, points: points.toString(), reason: 'reorg', wasConfirmed, revertedAt: 0 },
});
const planned = (ledgerPosition: string): PayoutPlanned =>
  ({ type: 'PayoutPlanned', data: { payoutId: 'p', sequence: 1, ledgerPosition } }) as unknown as PayoutPlanned;

function replay(events: readonly FarmerActivityEvent[], limit = 300): FarmerActivity {
  const activity = createFarmerActivity(limit);
  events.forEach((event, i) => applyToFarmerActivity(activity, event, pos(i + 1)));
  return activity;
}

describe('farmer activity fold', () => {
  it('keeps each farmer’s accepted partials newest first, bounded, without reverted ones', () => {
    const activity = replay(
      [submitted(A, 'p1', 100, 5n), submitted(B, 'q1', 105), submitted(A, 'p2', 110, 5n), submitted(A, 'p3', 120, 7n), reverted(A, 'p2', false, 5n), submitted(A, 'p4', 130)],
      2,
    );
    expect(recentPartialsOf(activity, A)).toEqual([
      { proofHash: 'p4', timestamp: 130, difficulty: 1n },
      { proofHash: 'p3', timestamp: 120, difficulty: 7n },
    ]);
    expect(recentPartialsOf(activity, B).map((p) => p.proofHash)).toEqual(['q1']);
    expect(recentPartialsOf(activity, 'cc'.repeat(32))).toEqual([]);
  });

  it('records a partial once, whether the api saw it first or only the store has it, and in receive-time order', () => {
    const activity = createFarmerActivity(3);
    recordAcceptedPartial(activity, A, { proofHash: 'p2', timestamp: 200, difficulty: 1n });
    applyToFarmerActivity(activity, submitted(A, 'p1', 150), pos(1)); // another instance's, received earlier
    applyToFarmerActivity(activity, submitted(A, 'p2', 200), pos(2)); // our own, met again in the store
    expect(recentPartialsOf(activity, A).map((p) => p.proofHash)).toEqual(['p2', 'p1']);
    recordAcceptedPartial(activity, A, { proofHash: 'p3', timestamp: 300, difficulty: 1n });
    recordAcceptedPartial(activity, A, { proofHash: 'p4', timestamp: 400, difficulty: 1n });
    recordAcceptedPartial(activity, A, { proofHash: 'old', timestamp: 10, difficulty: 1n }); // older than the full window keeps
    expect(recentPartialsOf(activity, A).map((p) => p.proofHash)).toEqual(['p4', 'p3', 'p2']);
  });

  it('counts confirmed points of the current payout window, reverts included, and starts a new window at a payout’s ledger position', () => {
    const events: FarmerActivityEvent[] = [
      submitted(A, 'p1', 100, 10n), // 1
      submitted(A, 'p2', 110, 10n), // 2
      confirmed(A, 'p1', 10n), // 3
      submitted(B, 'q1', 115, 4n), // 4
      confirmed(B, 'q1', 4n), // 5
      confirmed(A, 'p2', 10n), // 6: after the payout's ledger position (5), so in the next window
      planned(pos(5)), // 7
      submitted(A, 'p3', 130, 10n), // 8
      confirmed(A, 'p3', 10n), // 9
      reverted(B, 'q1', true, 4n), // 10: paid already: not taken back (the payout window rule)
    ];
    const before = replay(events.slice(0, 6));
    expect(currentPointsOf(before, A)).toBe(20n);
    expect(currentPointsOf(before, B)).toBe(4n);
    const after = replay(events);
    expect(currentPointsOf(after, A)).toBe(20n);
    expect(currentPointsOf(after, B)).toBe(0n);
    const p3Reverted = replay([...events, reverted(A, 'p3', true, 10n)]);
    expect(currentPointsOf(p3Reverted, A)).toBe(10n); // confirmed in this window: taken back
    expect(after.windowStart).toBe(pos(5));
  });

  it('an unconfirmed partial that is reverted never counted; replaying the same events gives the same activity', () => {
    const events: FarmerActivityEvent[] = [submitted(A, 'p1', 100, 3n), reverted(A, 'p1', false, 3n), submitted(A, 'p2', 101, 3n), confirmed(A, 'p2', 3n)];
    const once = replay(events);
    expect(currentPointsOf(once, A)).toBe(3n);
    expect(replay(events)).toEqual(once);
  });

  it('current_points is always the payout ledger’s PROP basis (pointsSinceLastPayout), whatever the history', () => {
    const farmers = [A, B, 'cc'.repeat(32)];
    const action = fc.oneof(
      fc.record({ kind: fc.constant('submit' as const), farmer: fc.integer({ min: 0, max: 2 }), points: fc.integer({ min: 1, max: 50 }) }),
      fc.record({ kind: fc.constant('confirm' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('revert' as const), pick: fc.nat() }),
      // A plan whose ledger position lags the head by `lag` events, as when partials are confirmed while it is made.
      fc.record({ kind: fc.constant('plan' as const), lag: fc.integer({ min: 0, max: 3 }) }),
    );
    fc.assert(
      fc.property(fc.array(action, { maxLength: 80 }), (actions) => {
        const events: FarmerActivityEvent[] = [];
        const partials: { launcherId: string; proofHash: string; points: bigint; state: 'submitted' | 'confirmed' | 'reverted' }[] = [];
        let plans = 0;
        for (const a of actions) {
          if (a.kind === 'submit') {
            const p = { launcherId: farmers[a.farmer]!, proofHash: `proof-${partials.length}`, points: BigInt(a.points), state: 'submitted' as const };
            partials.push(p);
            events.push(submitted(p.launcherId, p.proofHash, 100 + events.length, p.points));
          } else if (a.kind === 'confirm') {
            const open = partials.filter((p) => p.state === 'submitted');
            const p = open[a.pick % Math.max(1, open.length)];
            if (!p) continue;
            p.state = 'confirmed';
            events.push(confirmed(p.launcherId, p.proofHash, p.points));
          } else if (a.kind === 'revert') {
            const live = partials.filter((p) => p.state !== 'reverted');
            const p = live[a.pick % Math.max(1, live.length)];
            if (!p) continue;
            events.push(reverted(p.launcherId, p.proofHash, p.state === 'confirmed', p.points));
            p.state = 'reverted';
          } else {
            plans += 1;
            const plan = {
              type: 'PayoutPlanned',
              data: {
                payoutId: `payout-${plans}`,
                sequence: plans,
                ledgerPosition: pos(Math.max(0, events.length - a.lag)),
                rewardCoinIds: [],
                carried: [],
                allocations: [],
                poolFee: { puzzleHash: '00'.repeat(32), amount: '0' },
                blockchainFee: '0',
              },
            } as unknown as PayoutPlanned;
            events.push(plan);
          }
        }
        const activity = replay(events);
        const ledger = createPayoutLedger();
        events.forEach((event, i) => applyToPayoutLedger(ledger, event, pos(i + 1)));
        for (const launcherId of farmers) {
          expect(currentPointsOf(activity, launcherId)).toBe(ledger.farmers.get(launcherId)?.pointsSinceLastPayout ?? 0n);
        }
      }),
      { numRuns: 300 },
    );
  });
});
