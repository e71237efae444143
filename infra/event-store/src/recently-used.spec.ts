import fc from 'fast-check';
import { RecentlyUsed } from './recently-used';

describe('RecentlyUsed', () => {
  it('keeps a value in use while values met once pass through', () => {
    const cache = new RecentlyUsed<string, number>(8);
    cache.set('launcher', 1);
    for (let i = 0; i < 100; i++) {
      cache.set(`signage point ${i}`, i);
      expect(cache.get('launcher')).toBe(1);
    }
    expect(cache.get('signage point 0')).toBeUndefined();
    expect(cache.get('signage point 99')).toBe(99);
  });

  it('forgets what goes unused once two halves of newer entries came after it', () => {
    const cache = new RecentlyUsed<number, string>(4);
    cache.set(1, 'a');
    cache.set(2, 'b');
    cache.set(3, 'c'); // (1, 2) is now the older half, 3 the recent one
    expect(cache.get(1)).toBe('a'); // used again: back in the recent half (3, 1)
    cache.set(4, 'd'); // (3, 1) is now the older half: 2, unused, is forgotten
    expect(cache.get(2)).toBeUndefined();
    expect(cache.get(1)).toBe('a');
    expect(cache.get(3)).toBe('c');
  });

  it('never holds more than its capacity, and answers only what it was given, for any use', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 20 }),
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 40 })), { maxLength: 300 }),
        (capacity, steps) => {
          const cache = new RecentlyUsed<number, string>(capacity);
          const given = new Map<number, string>();
          steps.forEach(([isSet, key], i) => {
            if (isSet) {
              given.set(key, `${key}@${i}`);
              cache.set(key, `${key}@${i}`);
              expect(cache.get(key)).toBe(`${key}@${i}`);
            } else {
              const found = cache.get(key);
              if (found !== undefined) expect(found).toBe(given.get(key));
            }
            expect(cache.size).toBeLessThanOrEqual(capacity);
          });
        },
      ),
    );
  });

  it('refuses a capacity that cannot hold two halves', () => {
    expect(() => new RecentlyUsed(1)).toThrow(/capacity of 2 or more/);
  });
});
