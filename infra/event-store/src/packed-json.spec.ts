import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KEYS, packJson, SHARED_VALUE_KEYS, sharedNumbers, sharedNumbersInHex, sharedValuesIn, streamIdOf, unpackJson, unpackJsonHex, type ValueDictionary } from './packed-json';

/** What the ledger stored before: JSON text. Packing must give back exactly what parsing that text gives. */
const throughJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));
const roundTrip = (value: unknown): unknown => unpackJson(packJson(value));

describe('packed JSON', () => {
  it('gives back what JSON.parse gives, key order included, for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const expected = throughJson(value);
        expect(JSON.stringify(roundTrip(expected))).toBe(JSON.stringify(expected));
        expect(roundTrip(expected)).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads the same from the bytes in hex, upper or lower case, up to a mark, as SQLite hands them over', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const expected = throughJson(value);
        const hex = packJson(expected).toString('hex');
        expect(unpackJsonHex(`${hex.toUpperCase()}~`)).toEqual(expected);
        expect(unpackJsonHex(hex)).toEqual(expected);
      }),
      { numRuns: 500 },
    );
    const long = { reason: 'ü'.repeat(700) + 'a'.repeat(5000), id: 'ab'.repeat(32) };
    expect(unpackJsonHex(`${packJson(long).toString('hex').toUpperCase()}~`)).toEqual(long);
    expect(unpackJsonHex(`${packJson({ a: 1 }).toString('hex')}~`)).toEqual({ a: 1 });
    expect(() => unpackJsonHex('0')).toThrow(/stray digit/);
    expect(() => unpackJsonHex('0A0')).toThrow(/stray digit/);
    expect(() => unpackJsonHex('~')).toThrow(/ends early/);
  });

  it("given the event's stream, stores its id as one byte wherever the data holds it, and gives back the same value", () => {
    // With a letter, so that its upper-case spelling is another string.
    const id = fc.hexaString({ minLength: 63, maxLength: 63 }).map((h) => `c${h.toLowerCase()}`);
    fc.assert(
      fc.property(id, fc.constantFrom('partial-', 'farmer-', ''), fc.jsonValue(), (hexId, head, other) => {
        const stream = `${head}${hexId}`;
        const value = throughJson({ proofHash: hexId, other, list: [hexId, hexId.toUpperCase(), `${hexId}00`] });
        const packed = packJson(value, stream);
        expect(unpackJson(packed, stream)).toEqual(value);
        expect(unpackJsonHex(packed.toString('hex'), stream)).toEqual(value);
        // Two copies of the id (34 bytes each: a tag, a length, 32 bytes) are one byte each; the others are kept.
        expect(packed.length).toBe(packJson(value).length - 2 * 34 + 2);
        expect(() => unpackJson(packed)).toThrow(/not given/);
        expect(() => unpackJson(packed, 'payout-1')).toThrow(/is not named by one/);
      }),
      { numRuns: 300 },
    );
  });

  it('given a dictionary, stores hex values under the shared keys as their numbers there, anywhere in the data, and gives back the same value', () => {
    const dictionary = (): ValueDictionary & { size(): number } => {
      const numbers = new Map<string, number>();
      const values: string[] = [];
      return {
        numberOf: (hex) => numbers.get(hex) ?? (numbers.set(hex, values.push(hex) - 1), values.length - 1),
        hexOf: (n) => values[n] ?? 'missing',
        size: () => values.length,
      };
    };
    const hexValue = fc.uint8Array({ minLength: 1, maxLength: 48 }).map((bytes) => Buffer.from(bytes).toString('hex'));
    fc.assert(
      fc.property(hexValue, fc.constantFrom(...SHARED_VALUE_KEYS), fc.jsonValue(), (shared, key, other) => {
        const value = throughJson({ [key]: shared, nested: [{ [key]: shared, other }], notShared: shared, [`${key}s`]: shared, text: { [key]: 'not hex' } });
        const values = dictionary();
        const packed = packJson(value, undefined, values);
        expect(unpackJson(packed, undefined, values)).toEqual(value);
        expect(JSON.stringify(unpackJson(packed, undefined, values))).toBe(JSON.stringify(value));
        // Once in the dictionary (unless `other` holds more under shared keys); in place under other keys.
        expect(values.numberOf(shared)).toBe(0);
        expect(packed.length).toBeLessThan(packJson(value).length - (shared.length / 2 - 2) * 2 + 1);
        expect(() => unpackJson(packed)).toThrow(/no dictionary/);
      }),
      { numRuns: 300 },
    );
    // The stream's own id stays the stream's: one byte, never a dictionary entry.
    const id = 'c0'.repeat(32);
    const values = dictionary();
    expect(unpackJson(packJson({ launcherId: id }, `farmer-${id}`, values), `farmer-${id}`, values)).toEqual({ launcherId: id });
    expect(values.size()).toBe(0);
  });

  it('finds, without decoding, exactly the dictionary numbers a reader of the bytes (or their hex) asks for, and before packing the values it numbers', () => {
    const hexValue = fc.uint8Array({ minLength: 1, maxLength: 48 }).map((bytes) => Buffer.from(bytes).toString('hex'));
    const shared = fc.dictionary(fc.constantFrom(...SHARED_VALUE_KEYS), hexValue);
    // Values of every kind around them: texts, hex, decimals, floats, spelled-out keys, nesting.
    const around = fc.jsonValue().map(throughJson);
    fc.assert(
      fc.property(fc.array(fc.tuple(shared, around), { maxLength: 6 }), around, (parts, tail) => {
        const value = { parts: parts.map(([keys, other]) => ({ ...keys, other, 'a key spelled out': 'ab', f: 1.5 })), tail };
        const numbers = new Map<string, number>();
        const dictionary: ValueDictionary = {
          numberOf: (hex) => numbers.get(hex) ?? (numbers.set(hex, numbers.size * 300), numbers.size * 300 - 300),
          hexOf: (n) => [...numbers].find(([, number]) => number === n)![0],
        };
        const packed = packJson(value, undefined, dictionary);
        const hex = `${packed.toString('hex')}~`;
        const asked = new Set<number>();
        unpackJsonHex(hex, undefined, { numberOf: dictionary.numberOf, hexOf: (n) => (asked.add(n), dictionary.hexOf(n)) });
        const found = new Set<number>();
        sharedNumbersInHex(hex, found);
        expect([...found].sort((a, b) => a - b)).toEqual([...asked].sort((a, b) => a - b));
        expect(found.size).toBe(numbers.size);
        const inBytes = new Set<number>();
        sharedNumbers(packed, inBytes);
        expect(inBytes).toEqual(found);
        const toNumber = new Set<string>();
        sharedValuesIn(value, undefined, toNumber);
        expect(toNumber).toEqual(new Set(numbers.keys()));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps a shared key\'s value longer than any id or key the pool writes in place, not in the dictionary', () => {
    const found = new Set<string>();
    const long = 'ab'.repeat(65);
    const value = { plotId: long, harvesterId: 'cd'.repeat(64) };
    sharedValuesIn(value, undefined, found);
    expect(found).toEqual(new Set(['cd'.repeat(64)]));
    const dictionary: ValueDictionary = { numberOf: () => 0, hexOf: () => 'cd'.repeat(64) };
    expect(unpackJson(packJson(value, undefined, dictionary), undefined, dictionary)).toEqual(value);
  });

  it("before packing, names no value that is the stream's own id (packed as one byte, never numbered)", () => {
    const id = 'c0'.repeat(32);
    const found = new Set<string>();
    sharedValuesIn({ launcherId: id, plotId: 'ab'.repeat(32), harvesterId: 'not hex' }, `partial-${id}`, found);
    expect(found).toEqual(new Set(['ab'.repeat(32)]));
  });

  it('finds the dictionary numbers in data longer than any read before, which outgrows the buffer it is read into', () => {
    const numbers = new Map<string, number>([['ab'.repeat(32), 7], ['cd'.repeat(32), 300]]);
    const dictionary: ValueDictionary = { numberOf: (hex) => numbers.get(hex)!, hexOf: (n) => [...numbers].find(([, number]) => number === n)![0] };
    // A megabyte of text first, so that the numbers lie past anything an earlier read left in the buffer.
    const value = { note: 'x'.repeat(1_000_000), launcherId: 'ab'.repeat(32), plotId: 'cd'.repeat(32) };
    const found = new Set<number>();
    sharedNumbersInHex(`${packJson(value, undefined, dictionary).toString('hex')}~`, found);
    expect([...found].sort((a, b) => a - b)).toEqual([7, 300]);
  });

  it('takes as a stream id only the 64 lowercase hex digits ending a printable name', () => {
    const id = 'c0'.repeat(32);
    expect(streamIdOf(`partial-${id}`)).toBe(id);
    expect(streamIdOf(id)).toBe(id);
    expect(streamIdOf(`partial-${id.toUpperCase()}`)).toBeUndefined();
    expect(streamIdOf(`partial-${id.slice(2)}`)).toBeUndefined();
    expect(streamIdOf(`pärtial-${id}`)).toBeUndefined();
    expect(streamIdOf('payout-00000001')).toBeUndefined();
    // Without a stream id, packing with a stream is packing without one.
    expect(packJson({ a: id }, 'payout-00000001')).toEqual(packJson({ a: id }));
  });

  it('keeps strings that only look like hex or decimals as they were', () => {
    const strings = ['00', '0a', '0A', 'abc', 'ab'.repeat(48), '0', '1', '10', '007', '-1', '1.5', '999999999999999', '1000000000000000', '18446744073709551615', '', ' 1', 'ünï'];
    for (const s of strings) expect(roundTrip(s)).toBe(s);
    expect(roundTrip({ [KEYS[0]!]: 1, own: 2, ['ü'.repeat(200)]: 3 })).toEqual({ [KEYS[0]!]: 1, own: 2, ['ü'.repeat(200)]: 3 });
  });

  it('keeps "__proto__" an own property, as JSON.parse does', () => {
    const parsed = JSON.parse('{"__proto__":{"polluted":true},"a":1}') as Record<string, unknown>;
    const read = roundTrip(parsed) as Record<string, unknown>;
    expect(Object.keys(read)).toEqual(['__proto__', 'a']);
    expect(Object.getPrototypeOf(read)).toBe(Object.prototype);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('keeps numbers: safe integers, negatives, fractions and the largest doubles', () => {
    for (const n of [0, 1, 127, 128, 2 ** 31, 2 ** 32 + 1, Number.MAX_SAFE_INTEGER, -1, -Number.MAX_SAFE_INTEGER, 0.1, -2.5, 2 ** 60, 1e300, Number.MIN_VALUE]) {
      expect(roundTrip(n)).toBe(n);
    }
  });

  it('refuses what JSON text cannot hold', () => {
    expect(() => packJson(1n)).toThrow(/JSON values only/);
    expect(() => packJson({ a: undefined })).toThrow(/JSON values only/);
    expect(() => packJson(Number.NaN)).toThrow(/finite/);
  });

  it('refuses bytes that are not exactly one packed value', () => {
    const packed = packJson({ launcherId: 'ab'.repeat(32), points: '1' });
    expect(() => unpackJson(packed.subarray(0, packed.length - 1))).toThrow(/ends early/);
    expect(() => unpackJson(Buffer.concat([packed, Buffer.from([0])]))).toThrow(/after its value/);
    expect(() => unpackJson(Buffer.from([0xff]))).toThrow(/unknown tag 255/);
    expect(() => unpackJson(Buffer.from([3, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]))).toThrow(/varint/);
  });

  it('names every key once, each in one byte', () => {
    expect(new Set(KEYS).size).toBe(KEYS.length);
    expect(KEYS.length).toBeLessThanOrEqual(128);
  });

  it('gives back a real ledger event by event, in about half its JSON text', () => {
    const fixture = join(__dirname, '../../../test/compat/ledger-before-schema-2/events.ndjson');
    const events = readFileSync(fixture, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as { type: string; data: unknown });
    expect(events.length).toBeGreaterThan(100);
    let textBytes = 0;
    let packedBytes = 0;
    for (const event of events) {
      const packed = packJson(event.data);
      expect(unpackJson(packed)).toEqual(event.data);
      textBytes += Buffer.byteLength(JSON.stringify(event.data));
      packedBytes += packed.length;
    }
    expect(packedBytes).toBeLessThan(textBytes * 0.6);
  });
});
