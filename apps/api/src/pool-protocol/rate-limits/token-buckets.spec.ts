import { TokenBuckets } from './token-buckets';

describe('TokenBuckets', () => {
  let nowMs = 0;
  const buckets = (perMinute: number, maxKeys = 1000) => new TokenBuckets({ perMinute, maxKeys, now: () => nowMs });
  const takes = (b: TokenBuckets, key: string, n: number) => Array.from({ length: n }, () => b.take(key).allowed);
  beforeEach(() => {
    nowMs = 1_000_000;
  });

  it('lets a burst of perMinute through at once, refuses the next with the wait until a token is back', () => {
    const b = buckets(60);
    expect(takes(b, 'a', 60).every(Boolean)).toBe(true);
    expect(b.take('a')).toEqual({ allowed: false, retryAfterMs: 1000 });
    nowMs += 400;
    expect(b.take('a')).toEqual({ allowed: false, retryAfterMs: 600 });
  });

  it('refills at perMinute a minute, never above the burst, and a refused request costs nothing', () => {
    const b = buckets(60);
    takes(b, 'a', 60);
    takes(b, 'a', 10); // refused: they take no token
    nowMs += 3000;
    expect(takes(b, 'a', 4)).toEqual([true, true, true, false]);
    nowMs += 3_600_000;
    expect(takes(b, 'a', 61).filter(Boolean)).toHaveLength(60);
  });

  it('keeps each key apart', () => {
    const b = buckets(2);
    expect(takes(b, 'a', 3)).toEqual([true, true, false]);
    expect(takes(b, 'b', 3)).toEqual([true, true, false]);
  });

  it('forgets a key idle for a minute (its bucket is full again: nothing changes for it)', () => {
    const b = buckets(2);
    takes(b, 'a', 2);
    nowMs += 30_000;
    takes(b, 'b', 1);
    expect(b.size).toBe(2);
    nowMs += 30_000;
    b.take('c');
    expect(b.size).toBe(2); // a: idle 60 s, forgotten; b: 30 s, kept
    expect(takes(b, 'a', 3)).toEqual([true, true, false]);
  });

  it('holds at most maxKeys under a flood of made-up keys, forgetting the least recently seen first', () => {
    const b = buckets(2, 100);
    takes(b, 'farmer', 2);
    for (let i = 0; i < 10_000; i++) {
      nowMs += 1;
      b.take(`random ${i}`);
      if (i % 50 === 0) b.take('farmer');
    }
    expect(b.size).toBe(100);
    // The key in use all along is still known (and still limited); the flood's oldest keys are gone.
    expect(b.take('farmer').allowed).toBe(false);
    nowMs += 10;
    expect(b.take('random 0').allowed).toBe(true);
  });
});
