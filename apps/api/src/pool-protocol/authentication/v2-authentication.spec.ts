import { isWithinTokenWindow } from './v1-authentication';
import { advertisedExpiration } from './v2-authentication';

describe('v2 authentication clock rules', () => {
  it('tells the farmer to renew max(60 s, 10 %) before the JWT expires, keeping at least half its lifetime', () => {
    expect(advertisedExpiration(1_000, 1_300n)).toBe(1_240n); // 5 min: 60 s early
    expect(advertisedExpiration(1_000, 4_600n)).toBe(4_240n); // 60 min: 6 min early
    expect(advertisedExpiration(1_000, 1_060n)).toBe(1_030n); // 1 min: half of it
  });

  it("accepts a /v2/auth timestamp exactly when v1 would accept a token minted at it (timeout 5: about 25 min either way)", () => {
    const now = 1_700_000_100; // a token boundary: 1_700_000_100 / 300 is whole
    expect(isWithinTokenWindow(BigInt(now), 5, now)).toBe(true);
    expect(isWithinTokenWindow(BigInt(now - 25 * 60), 5, now)).toBe(true);
    expect(isWithinTokenWindow(BigInt(now - 25 * 60 - 1), 5, now)).toBe(false);
    expect(isWithinTokenWindow(BigInt(now + 30 * 60 - 1), 5, now)).toBe(true);
    expect(isWithinTokenWindow(BigInt(now + 30 * 60), 5, now)).toBe(false);
  });
});
