import fc from 'fast-check';
import { canonicalLedgerJson } from './canonical-json';

/** The encoding as first written, member by member: what the faster path must spell byte for byte. */
function spelledOut(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('not a JSON number');
      return JSON.stringify(value);
    case 'bigint':
      return JSON.stringify(value.toString());
    case 'object':
      if (Array.isArray(value)) return `[${value.map((item: unknown) => (item === undefined ? 'null' : spelledOut(item))).join(',')}]`;
      return `{${Object.keys(value)
        .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
        .sort()
        .map((key) => `${JSON.stringify(key)}:${spelledOut((value as Record<string, unknown>)[key])}`)
        .join(',')}}`;
    default:
      throw new TypeError('not a JSON value');
  }
}

describe('canonicalLedgerJson', () => {
  it('spells any JSON value read back from a store as the member-by-member encoding does', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => canonicalLedgerJson(value) === spelledOut(value)), { numRuns: 2000 });
  });

  it('spells domain values (bigints, undefined members and array items, keys in any order) the same way', () => {
    const member = fc.oneof(fc.bigInt(), fc.constant(undefined), fc.string(), fc.integer(), fc.boolean(), fc.constant(null));
    const value = fc.dictionary(fc.string(), fc.oneof(member, fc.array(member), fc.dictionary(fc.string(), member)));
    fc.assert(fc.property(value, (v) => canonicalLedgerJson(v) === spelledOut(v)), { numRuns: 2000 });
  });

  it('escapes strings and keys of any UTF-16 code units (quotes, backslashes, control characters, lone surrogates) as JSON.stringify does', () => {
    const text = fc.string16bits();
    const value = fc.dictionary(text, fc.oneof(text, fc.array(text), fc.dictionary(text, text)));
    fc.assert(fc.property(value, (v) => canonicalLedgerJson(v) === spelledOut(v)), { numRuns: 2000 });
    expect(canonicalLedgerJson({ 'a"\\\u0001\ud800': 'x\u001fy\udfff"' })).toBe('{"a\\"\\\\\\u0001\\ud800":"x\\u001fy\\udfff\\""}');
  });

  it('sorts keys at every depth and leaves out undefined members', () => {
    expect(canonicalLedgerJson({ b: 1, a: { d: [1, { z: true, y: null }], c: 'x' }, u: undefined, '10': 2, '9': 3 })).toBe(
      '{"10":2,"9":3,"a":{"c":"x","d":[1,{"y":null,"z":true}]},"b":1}',
    );
  });

  it('keeps a member named __proto__ read from JSON, and never writes an object its prototype', () => {
    const parsed: unknown = JSON.parse('{"__proto__":{"a":1},"b":{"c":2}}');
    expect(canonicalLedgerJson(parsed)).toBe('{"__proto__":{"a":1},"b":{"c":2}}');
    expect(canonicalLedgerJson({ b: { constructor: 'x' }, a: {} })).toBe('{"a":{},"b":{"constructor":"x"}}');
  });

  it('refuses what is not JSON', () => {
    expect(() => canonicalLedgerJson({ a: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalLedgerJson({ a: () => 1 })).toThrow(TypeError);
  });
});
