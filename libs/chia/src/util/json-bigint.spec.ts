import fc from 'fast-check';
import { type JsonValue, JsonParseError, parseChiaJson, stringifyChiaJson } from './json-bigint';

const TWO_POW_53 = 2n ** 53n;

/** Values as the parser produces them: safe integers as numbers, every other integer as bigint. */
const bigIntegers = fc.oneof(
  fc.bigInt({ min: TWO_POW_53, max: 2n ** 130n }),
  fc.bigInt({ min: -(2n ** 130n), max: -TWO_POW_53 }),
);
const nonIntegerDoubles = fc
  .double({ noNaN: true, noDefaultInfinity: true })
  .filter((d) => !Number.isInteger(d));
const parsedJson: fc.Arbitrary<JsonValue> = fc.letrec<{ value: JsonValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.maxSafeInteger(),
    bigIntegers,
    nonIntegerDoubles,
    fc.string({ unit: 'binary' }),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.string({ unit: 'binary' }), tie('value'), { maxKeys: 5 }),
  ),
})).value;

describe('parseChiaJson', () => {
  it('keeps integers above 2^53 exact (Chia `space` and uint64 mojo amounts)', () => {
    const parsed = parseChiaJson(
      '{"space": 25193321725003644928, "amount": 18446744073709551615, "height": 3330000, "t": 1700000000.25}',
    );
    expect(parsed).toEqual({
      space: BigInt('25193321725003644928'),
      amount: BigInt('18446744073709551615'),
      height: 3330000,
      t: 1700000000.25,
    });
  });

  it('gives a number for 2^53 - 1 and a bigint for 2^53, for both signs', () => {
    expect(parseChiaJson('9007199254740991')).toBe(9007199254740991);
    expect(parseChiaJson('9007199254740992')).toBe(9007199254740992n);
    expect(parseChiaJson('-9007199254740991')).toBe(-9007199254740991);
    expect(parseChiaJson('-9007199254740992')).toBe(-9007199254740992n);
  });

  it('treats a literal with fraction or exponent as a float even when it is large', () => {
    expect(parseChiaJson('1e21')).toBe(1e21);
    expect(parseChiaJson('12345678901234567890.0')).toBe(Number('12345678901234567890'));
  });

  it('keeps a "__proto__" key as an own property instead of changing the prototype', () => {
    const parsed = parseChiaJson('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects nesting deeper than the limit instead of overflowing the stack', () => {
    expect(() => parseChiaJson('['.repeat(100) + ']'.repeat(100), { maxDepth: 50 })).toThrow(JsonParseError);
    expect(() => parseChiaJson('['.repeat(200_000))).toThrow(JsonParseError);
    expect(parseChiaJson('[[[]]]', { maxDepth: 3 })).toEqual([[[]]]);
  });

  const invalidTexts = ['', '01', '-', '1.', '.5', '1e', '+1', '[1,]', '{"a":1,}', '{a:1}', "'x'"];
  invalidTexts.push('"\\x"', '"a\nb"', 'tru', '1 2', 'NaN', '"\\u12g4"');
  it.each(invalidTexts)(
    'rejects invalid JSON %j',
    (text) => {
      expect(() => JSON.parse(text)).toThrow(SyntaxError); // the oracle agrees it is invalid
      expect(() => parseChiaJson(text)).toThrow(JsonParseError);
    },
  );

  it('agrees with JSON.parse on any JSON text, up to the precision JSON.parse loses', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (value, pretty) => {
        const text = JSON.stringify(value, null, pretty ? 2 : undefined);
        expectSameUpToPrecision(parseChiaJson(text), JSON.parse(text) as unknown);
      }),
      { numRuns: 300 },
    );
  });

  it('accepts exactly the strings JSON.parse accepts', () => {
    const jsonish = fc.stringOf(fc.constantFrom(...'{}[]:,"\\-+.0123456789eEtrufalsn ux\n'.split('')), {
      maxLength: 12,
    });
    fc.assert(
      fc.property(fc.oneof(jsonish, fc.string()), (text) => {
        let nativeOk = true;
        try {
          JSON.parse(text);
        } catch {
          nativeOk = false;
        }
        let oursOk = true;
        try {
          parseChiaJson(text);
        } catch (error) {
          expect(error).toBeInstanceOf(JsonParseError);
          oursOk = false;
        }
        expect(oursOk).toBe(nativeOk);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('stringifyChiaJson', () => {
  it('writes bigint as a bare JSON number', () => {
    expect(stringifyChiaJson({ amount: 2n ** 64n - 1n, fee: 0n })).toBe('{"amount":18446744073709551615,"fee":0}');
  });

  it('leaves out undefined properties and writes the rest like JSON.stringify', () => {
    const value = { a: undefined, b: [1, 'x', null, true], c: { 'd"e': -1.5 } };
    expect(stringifyChiaJson(value)).toBe(JSON.stringify(value));
  });

  it('refuses numbers that cannot be sent exactly', () => {
    expect(() => stringifyChiaJson({ amount: 2 ** 60 })).toThrow(RangeError);
    expect(() => stringifyChiaJson({ additions: [{ amount: 1n }, { amount: 2 ** 60 }] })).toThrow(
      '$.additions[1].amount: integer',
    );
    expect(() => stringifyChiaJson([Number.NaN])).toThrow(RangeError);
    expect(() => stringifyChiaJson(Infinity)).toThrow(RangeError);
  });

  it('refuses values with no JSON form', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => stringifyChiaJson(cyclic)).toThrow(TypeError);
    expect(() => stringifyChiaJson({ when: new Date(0) })).toThrow(TypeError);
    expect(() => stringifyChiaJson([undefined])).toThrow(TypeError);
    expect(() => stringifyChiaJson(Buffer.from('ab'))).toThrow(TypeError);
  });

  it('allows the same object twice when it is not its own ancestor', () => {
    const shared = { x: 1 };
    expect(stringifyChiaJson([shared, shared])).toBe('[{"x":1},{"x":1}]');
  });

  it('round-trips random nested values with big integers exactly', () => {
    fc.assert(
      fc.property(parsedJson, (value) => {
        expect(parseChiaJson(stringifyChiaJson(value))).toEqual(value);
      }),
      { numRuns: 500 },
    );
  });

  it('produces text that JSON.parse reads, with big integers only rounded', () => {
    fc.assert(
      fc.property(parsedJson, (value) => {
        expectSameUpToPrecision(value, JSON.parse(stringifyChiaJson(value)) as unknown);
      }),
      { numRuns: 300 },
    );
  });
});

/** Deep equality where our bigint may stand for JSON.parse's rounded double of the same literal. */
function expectSameUpToPrecision(ours: unknown, native: unknown): void {
  if (typeof ours === 'bigint') {
    expect(typeof native).toBe('number');
    expect(Number.isSafeInteger(native)).toBe(false);
    expect(native).toBe(Number(ours));
    return;
  }
  if (Array.isArray(ours)) {
    expect(Array.isArray(native)).toBe(true);
    const nativeItems = native as unknown[];
    expect(ours.length).toBe(nativeItems.length);
    ours.forEach((item, i) => expectSameUpToPrecision(item, nativeItems[i]));
    return;
  }
  if (ours !== null && typeof ours === 'object') {
    const nativeObject = native as Record<string, unknown>;
    expect(Object.keys(ours)).toEqual(Object.keys(nativeObject));
    for (const [key, item] of Object.entries(ours)) expectSameUpToPrecision(item, nativeObject[key]);
    return;
  }
  expect(ours).toBe(native);
}
