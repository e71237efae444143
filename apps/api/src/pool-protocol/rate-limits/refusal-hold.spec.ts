import { MAX_REFUSAL_HOLD_MS, REFUSAL_DELAY_MS, refusalHoldMs } from './rate-limits.hooks';

describe('refusalHoldMs', () => {
  it('holds a refusal from half to one and a half times the mean', () => {
    expect(refusalHoldMs(1000, 1, () => 0)).toBe(500);
    expect(refusalHoldMs(1000, 1, () => 0.5)).toBe(1000);
    expect(refusalHoldMs(1000, 1, () => 0.999)).toBe(1499);
  });

  it('holds longer the more refusals the address has waiting, so more connections do not mean more answers', () => {
    expect(refusalHoldMs(1000, 5, () => 0.5)).toBe(5000);
    // 16 connections held ~16 s each: about one answer a second, as one connection held 1 s gets.
    const connections = 16;
    expect(connections / (refusalHoldMs(1000, connections, () => 0.5) / 1000)).toBe(1);
    // Capped: an address holding its 256 connections waits MAX_REFUSAL_HOLD_MS on average, not 256 s.
    expect(refusalHoldMs(1000, 256, () => 0.5)).toBe(MAX_REFUSAL_HOLD_MS);
    expect(refusalHoldMs(1000, 256, () => 0)).toBe(MAX_REFUSAL_HOLD_MS / 2);
  });

  it('spreads the refusals of connections refused together, so they do not come back together', () => {
    const holds = Array.from({ length: 64 }, () => refusalHoldMs(REFUSAL_DELAY_MS, 1));
    const inOneTenthOfASecond = Math.max(...holds.map((hold) => holds.filter((other) => Math.abs(other - hold) < 50).length));
    // Uniform over one second, about 6 of 64 fall in any 100 ms; a fixed hold would put all 64 there.
    expect(inOneTenthOfASecond).toBeLessThan(32);
    expect(Math.min(...holds)).toBeGreaterThanOrEqual(REFUSAL_DELAY_MS / 2);
    expect(Math.max(...holds)).toBeLessThanOrEqual((3 * REFUSAL_DELAY_MS) / 2);
  });
});
