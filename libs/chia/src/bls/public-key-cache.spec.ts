import { PublicKeyCache } from './public-key-cache';

/** A decoder that accepts keys whose first byte is even and counts how often it really ran. */
function countingDecoder(): { decode: (bytes: Uint8Array) => string | undefined; calls: () => number } {
  let calls = 0;
  return {
    decode: (bytes) => {
      calls++;
      return bytes[0]! % 2 === 0 ? `key-${Buffer.from(bytes).toString('hex')}` : undefined;
    },
    calls: () => calls,
  };
}

const key = (...bytes: number[]): Uint8Array => Uint8Array.from(bytes);

describe('PublicKeyCache', () => {
  it('decodes a valid key once and answers repeats from the cache, by content not by array identity', () => {
    const decoder = countingDecoder();
    const cache = new PublicKeyCache(4, decoder.decode);
    expect(cache.get(key(2, 7))).toBe('key-0207');
    expect(cache.get(key(2, 7))).toBe('key-0207');
    // A view into a larger buffer with the same content is the same key.
    expect(cache.get(new Uint8Array(Uint8Array.from([9, 2, 7, 9]).buffer, 1, 2))).toBe('key-0207');
    expect(decoder.calls()).toBe(1);
    expect(cache.stats()).toEqual({ hits: 2, misses: 1, size: 1, capacity: 4 });
  });

  it('never caches a rejected key: it is decoded (and refused) again every time', () => {
    const decoder = countingDecoder();
    const cache = new PublicKeyCache(4, decoder.decode);
    expect(cache.get(key(2, 7))).toBe('key-0207');
    expect(cache.get(key(3, 7))).toBeUndefined();
    expect(cache.get(key(3, 7))).toBeUndefined();
    expect(decoder.calls()).toBe(3);
    expect(cache.size).toBe(1);
  });

  it('a buffer changed in place after caching is looked up by its new content', () => {
    const decoder = countingDecoder();
    const cache = new PublicKeyCache(4, decoder.decode);
    const bytes = key(2, 7);
    expect(cache.get(bytes)).toBe('key-0207');
    bytes[0] = 3;
    expect(cache.get(bytes)).toBeUndefined();
    bytes[0] = 4;
    expect(cache.get(bytes)).toBe('key-0407');
  });

  it('evicts the least recently used key when full', () => {
    const decoder = countingDecoder();
    const cache = new PublicKeyCache(2, decoder.decode);
    cache.get(key(2));
    cache.get(key(4));
    cache.get(key(2)); // 2 is now the most recently used, 4 the least
    cache.get(key(6)); // evicts 4
    expect(cache.size).toBe(2);
    const before = decoder.calls();
    cache.get(key(2));
    cache.get(key(6));
    expect(decoder.calls()).toBe(before);
    expect(cache.get(key(4))).toBe('key-04');
    expect(decoder.calls()).toBe(before + 1);
    expect(cache.size).toBe(2);
  });

  it('capacity 0 turns caching off', () => {
    const decoder = countingDecoder();
    const cache = new PublicKeyCache(0, decoder.decode);
    cache.get(key(2));
    cache.get(key(2));
    expect(decoder.calls()).toBe(2);
    expect(cache.size).toBe(0);
  });

  it('refuses a capacity that is negative or not a whole number', () => {
    const { decode } = countingDecoder();
    expect(() => new PublicKeyCache(-1, decode)).toThrow(/capacity/);
    expect(() => new PublicKeyCache(1.5, decode)).toThrow(/capacity/);
  });
});
