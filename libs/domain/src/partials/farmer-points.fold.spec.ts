import { foldFarmerPoints } from './farmer-points.fold';
import type { PartialEvent } from './partial.events';
import { ORIGIN_NOT_RECORDED } from './partial-submitted.schema';

const submitted = (launcherId: string, proofHash: string, points: string, receivedAt = 1000): PartialEvent => ({
  type: 'PartialSubmitted',
  data: { launcherId, proofHash, points, signagePointHash: 'sp', receivedAt, plotSize: 32, ...ORIGIN_NOT_RECORDED },
});
const confirmed = (launcherId: string, proofHash: string, points: string): PartialEvent => ({
  type: 'PartialConfirmed',
  data: { launcherId, proofHash, points, confirmedAt: 2000 },
});
const reverted = (launcherId: string, proofHash: string, points: string, wasConfirmed: boolean): PartialEvent => ({
  type: 'PartialReverted',
  data: { launcherId, proofHash, points, reason: 'reorg', wasConfirmed, revertedAt: 3000 },
});

describe('foldFarmerPoints', () => {
  it('keeps submitted points pending until they are confirmed', () => {
    const deltas = foldFarmerPoints([submitted('a', 'p1', '10'), submitted('a', 'p2', '5', 1500), confirmed('a', 'p1', '10')]);
    expect(deltas.get('a')).toEqual({
      pendingPoints: 5n,
      confirmedPoints: 10n,
      revertedPoints: 0n,
      submitted: 2,
      confirmed: 1,
      reverted: 0,
      lastPartialAt: 1500,
    });
  });

  it('takes reverted points back from confirmed or pending, whichever held them', () => {
    const deltas = foldFarmerPoints([
      submitted('a', 'p1', '10'),
      confirmed('a', 'p1', '10'),
      reverted('a', 'p1', '10', true),
      submitted('b', 'p2', '7'),
      reverted('b', 'p2', '7', false),
    ]);
    expect(deltas.get('a')).toMatchObject({ pendingPoints: 0n, confirmedPoints: 0n, revertedPoints: 10n, reverted: 1 });
    expect(deltas.get('b')).toMatchObject({ pendingPoints: 0n, confirmedPoints: 0n, revertedPoints: 7n, reverted: 1 });
  });

  it('keeps points exact beyond 2^53', () => {
    const big = '18446744073709551615';
    const deltas = foldFarmerPoints([submitted('a', 'p1', big), submitted('a', 'p2', big)]);
    expect(deltas.get('a')!.pendingPoints).toBe(2n * 18446744073709551615n);
  });
});
