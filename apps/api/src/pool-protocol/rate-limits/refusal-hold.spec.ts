import { REFUSAL_DELAY_MS, refusalHoldMs } from './rate-limits.hooks';

describe('refusalHoldMs', () => {
  it('holds a refusal from half to one and a half times the mean', () => {
    expect(refusalHoldMs(1000, () => 0)).toBe(500);
    expect(refusalHoldMs(1000, () => 0.5)).toBe(1000);
    expect(refusalHoldMs(1000, () => 0.999)).toBe(1499);
  });

  it('spreads the refusals of connections refused together, so they do not come back together', () => {
    const holds = Array.from({ length: 64 }, () => refusalHoldMs(REFUSAL_DELAY_MS));
    const inOneTenthOfASecond = Math.max(...holds.map((hold) => holds.filter((other) => Math.abs(other - hold) < 50).length));
    // Uniform over one second, about 6 of 64 fall in any 100 ms; a fixed hold would put all 64 there.
    expect(inOneTenthOfASecond).toBeLessThan(32);
    expect(Math.min(...holds)).toBeGreaterThanOrEqual(REFUSAL_DELAY_MS / 2);
    expect(Math.max(...holds)).toBeLessThanOrEqual((3 * REFUSAL_DELAY_MS) / 2);
  });
});
