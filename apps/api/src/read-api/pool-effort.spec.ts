import { effortPercent, expectedPointsPerBlock, luckPercent, decimalFromHundredths, sharePercent } from './pool-effort';

describe('pool effort and luck', () => {
  // Mainnet-like: POOL_SUB_SLOT_ITERS 37.6e9, sub_slot_iters 147,849,216 * 4 (a round figure), difficulty 3000.
  const network = { difficulty: 3_000n, subSlotIters: 591_396_864n, poolSubSlotIters: 37_600_000_000n };

  it('expects D * POOL_SUB_SLOT_ITERS / sub_slot_iters points per block', () => {
    expect(expectedPointsPerBlock(network)).toBe((3_000n * 37_600_000_000n) / 591_396_864n);
    expect(expectedPointsPerBlock({ difficulty: 2n, subSlotIters: 10n, poolSubSlotIters: 50n })).toBe(10n);
  });

  it('measures effort against one expected block, to the hundredth of a percent, rounded down', () => {
    const small = { difficulty: 2n, subSlotIters: 10n, poolSubSlotIters: 50n }; // 10 points per block
    expect(effortPercent(0n, small)).toBe('0.00');
    expect(effortPercent(10n, small)).toBe('100.00');
    expect(effortPercent(25n, small)).toBe('250.00');
    expect(effortPercent(1n, { difficulty: 3n, subSlotIters: 1n, poolSubSlotIters: 1n })).toBe('33.33');
    expect(effortPercent(5n, { difficulty: 0n, subSlotIters: 10n, poolSubSlotIters: 50n })).toBeNull();
  });

  it('calls a pool that won twice what its points predicted 200 % lucky, and has no luck without points', () => {
    const small = { difficulty: 2n, subSlotIters: 10n, poolSubSlotIters: 50n };
    expect(luckPercent(2, 10n, small)).toBe('200.00');
    expect(luckPercent(0, 40n, small)).toBe('0.00');
    expect(luckPercent(1, 30n, small)).toBe('33.33');
    expect(luckPercent(3, 0n, small)).toBeNull();
  });

  it('formats hundredths and shares exactly', () => {
    expect(decimalFromHundredths(5n)).toBe('0.05');
    expect(decimalFromHundredths(123_456n)).toBe('1234.56');
    expect(sharePercent(1n, 3n)).toBe('33.33');
    expect(sharePercent(3n, 3n)).toBe('100.00');
    expect(sharePercent(1n, 0n)).toBeNull();
  });
});
