import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { bytesToHex, hexToBytes } from '../util/hex';
import { ByteReader, ByteWriter } from './byte-stream';
import {
  bool,
  bytes,
  bytes32,
  type FieldCodec,
  g1Element,
  list,
  optional,
  serializedProgram,
  str,
  uint128,
  uint16,
  uint32,
  uint64,
  uint8,
} from './field-codecs';
import { StreamableError } from './streamable-error';
import { defineStreamable, field } from './streamable-schema';

function encodeWith<T>(codec: FieldCodec<T>, value: T): Uint8Array {
  const writer = new ByteWriter();
  codec.write(writer, value, 'value');
  return writer.toBytes();
}

function decodeWith<T>(codec: FieldCodec<T>, data: Uint8Array): T {
  const reader = new ByteReader(data);
  const value = codec.read(reader, 'value');
  reader.assertFullyConsumed('value');
  return value;
}

describe('unsigned integers', () => {
  it('are fixed-width big-endian', () => {
    expect(bytesToHex(encodeWith(uint8, 0xab))).toBe('ab');
    expect(bytesToHex(encodeWith(uint16, 0x0102))).toBe('0102');
    expect(bytesToHex(encodeWith(uint32, 0x01020304))).toBe('01020304');
    expect(bytesToHex(encodeWith(uint64, 0x0102030405060708n))).toBe('0102030405060708');
    expect(bytesToHex(encodeWith(uint128, 1n))).toBe('00000000000000000000000000000001');
  });

  it('round-trip every value of their range', () => {
    fc.assert(
      fc.property(fc.bigUintN(64), (value) => expect(decodeWith(uint64, encodeWith(uint64, value))).toBe(value)),
    );
    fc.assert(
      fc.property(fc.bigUintN(128), (value) => expect(decodeWith(uint128, encodeWith(uint128, value))).toBe(value)),
    );
    fc.assert(
      fc.property(fc.nat({ max: 0xffffffff }), (value) =>
        expect(decodeWith(uint32, encodeWith(uint32, value))).toBe(value),
      ),
    );
  });

  it('refuse out-of-range values when encoding', () => {
    expect(() => encodeWith(uint8, 256)).toThrow(/uint8 out of range: 256/);
    expect(() => encodeWith(uint16, -1)).toThrow(/out of range/);
    expect(() => encodeWith(uint32, 1.5)).toThrow(/must be an integer/);
    expect(() => encodeWith(uint64, 1n << 64n)).toThrow(/uint64 out of range/);
    expect(() => encodeWith(uint64, -1n)).toThrow(/uint64 out of range/);
    expect(() => encodeWith(uint64, 5 as unknown as bigint)).toThrow(/must be a bigint/);
  });

  it('accept JSON numbers, bigints and decimal strings (query parameters)', () => {
    expect(uint64.fromJson(5637888, 'token')).toBe(5637888n);
    expect(uint64.fromJson(18446744073709551615n, 'token')).toBe(18446744073709551615n);
    expect(uint64.fromJson('18446744073709551615', 'token')).toBe(18446744073709551615n);
    expect(uint8.fromJson('76', 'timeout')).toBe(76);
  });

  it('write JSON as a number while exact and as a bigint beyond 2^53', () => {
    expect(uint64.toJson(9007199254740991n, 'v')).toBe(9007199254740991);
    expect(uint64.toJson(9007199254740992n, 'v')).toBe(9007199254740992n);
  });

  it.each([
    [-1, /out of range/],
    [1.5, /non-integer/],
    [2 ** 60, /beyond 2\^53.*parseChiaJson/],
    ['0x10', /decimal digits/],
    ['-5', /decimal digits/],
    [' 5', /decimal digits/],
    ['', /decimal digits/],
    ['18446744073709551616', /uint64 out of range/],
    [null, /expected uint64, got null/],
    [true, /expected uint64/],
  ])('reject the JSON value %p for a uint64, naming the field', (json, message) => {
    expect(() => uint64.fromJson(json, 'PostFarmerPayload.suggested_difficulty')).toThrow(message);
    expect(() => uint64.fromJson(json, 'PostFarmerPayload.suggested_difficulty')).toThrow(
      /^PostFarmerPayload\.suggested_difficulty: /,
    );
  });

  it('reject a uint8 JSON value above 255', () => {
    expect(() => uint8.fromJson(256, 'GetPoolInfoResponse.protocol_version')).toThrow(
      'GetPoolInfoResponse.protocol_version: uint8 out of range: 256',
    );
  });
});

describe('bool', () => {
  it('is one byte 0/1 and rejects other bytes', () => {
    expect(bytesToHex(encodeWith(bool, true))).toBe('01');
    expect(decodeWith(bool, Uint8Array.of(0))).toBe(false);
    expect(() => decodeWith(bool, Uint8Array.of(2))).toThrow('value: invalid bool byte 0x02');
  });

  it('accepts only JSON booleans', () => {
    expect(() => bool.fromJson('true', 'x')).toThrow(/expected bool/);
    expect(() => bool.fromJson(1, 'x')).toThrow(/expected bool/);
  });
});

describe('fixed-size bytes', () => {
  const hash = '929287fab514e2204808821e2afe8c4d84f0093c75554b067fe4fca272890c9d';

  it('accept hex with 0x, 0X or no prefix, either case; write lowercase 0x-hex', () => {
    for (const text of [hash, `0x${hash}`, `0X${hash.toUpperCase()}`]) {
      expect(bytesToHex(bytes32.fromJson(text, 'sp_hash'))).toBe(hash);
    }
    expect(bytes32.toJson(hexToBytes(hash), 'sp_hash')).toBe(`0x${hash}`);
  });

  it.each([
    [`0x${hash.slice(2)}`, /bytes32 must be 32 bytes, got 31/],
    [`${hash}00`, /bytes32 must be 32 bytes, got 33/],
    [`${hash.slice(1)}`, /bytes32: odd number of hex digits/],
    [`${hash.slice(2)}zz`, /bytes32: contains a character that is not a hex digit/],
    [` ${hash.slice(1)}`, /not a hex digit/],
    [42, /expected bytes32 as a hex string/],
  ])('reject %p with an error naming the field', (json, message) => {
    expect(() => bytes32.fromJson(json, 'PostPartialPayload.sp_hash')).toThrow(message);
    expect(() => bytes32.fromJson(json, 'PostPartialPayload.sp_hash')).toThrow(/^PostPartialPayload\.sp_hash: /);
  });

  it('refuse to encode a value of the wrong length', () => {
    expect(() => encodeWith(g1Element, new Uint8Array(47))).toThrow(/G1Element must be 48 bytes, got 47/);
  });

  it('report short input with the field name', () => {
    expect(() => decodeWith(bytes32, new Uint8Array(31))).toThrow(/^value: input too short: needs 32 byte/);
  });
});

describe('bytes and str', () => {
  it('carry a uint32 length prefix', () => {
    expect(bytesToHex(encodeWith(bytes, Uint8Array.of(0xaa, 0xbb)))).toBe('00000002aabb');
    expect(bytesToHex(encodeWith(str, 'é'))).toBe('00000002c3a9');
  });

  it('round-trip any content', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (value) => expect(decodeWith(bytes, encodeWith(bytes, value))).toEqual(value)));
    fc.assert(fc.property(fc.fullUnicodeString(), (value) => expect(decodeWith(str, encodeWith(str, value))).toBe(value)));
  });

  it('reject a length prefix longer than the input', () => {
    expect(() => decodeWith(bytes, hexToBytes('00000005aabb'))).toThrow(/input too short: needs 5 byte/);
  });

  it('reject invalid UTF-8 and lone surrogates', () => {
    expect(() => decodeWith(str, hexToBytes('00000001ff'))).toThrow('value: str is not valid UTF-8');
    expect(() => encodeWith(str, 'a\ud800b')).toThrow(/lone UTF-16 surrogate/);
    expect(() => str.fromJson('\udc00', 'name')).toThrow(/lone UTF-16 surrogate/);
  });
});

describe('Optional and List', () => {
  const maybeKey = optional(g1Element);

  it('encode None as 00 and a value as 01 + value', () => {
    expect(bytesToHex(encodeWith(maybeKey, null))).toBe('00');
    expect(bytesToHex(encodeWith(optional(uint16), 7))).toBe('010007');
  });

  it('reject a flag byte other than 0 or 1, naming the field', () => {
    expect(() => decodeWith(maybeKey, Uint8Array.of(2))).toThrow('value: invalid Optional flag 0x02 (expected 0x00 or 0x01)');
  });

  it('map JSON null to null', () => {
    expect(maybeKey.fromJson(null, 'k')).toBeNull();
    expect(maybeKey.toJson(null, 'k')).toBeNull();
  });

  it('List carries a uint32 count and names the failing element', () => {
    const hashes = list(bytes32);
    expect(bytesToHex(encodeWith(list(uint8), [1, 2]))).toBe('000000020102');
    expect(() => hashes.fromJson(['00'.repeat(32), '00'], 'puzzle_hashes')).toThrow(/^puzzle_hashes\[1\]: bytes32 must be 32 bytes/);
    expect(() => decodeWith(hashes, hexToBytes('ffffffff'))).toThrow(/list claims 4294967295 items/);
  });
});

describe('serialized CLVM Program', () => {
  it.each([
    ['80', 'nil'],
    ['01', 'one-byte atom'],
    ['8401020304', 'atom with a 1-byte size prefix'],
    ['ff0180', 'a pair (1 . nil)'],
    ['ffff0102ff0380', 'nested pairs'],
    [`c040${'00'.repeat(64)}`, 'atom with a 2-byte size prefix'],
  ])('finds the end of %s (%s) inside a longer stream', (hex) => {
    const withTail = hexToBytes(`${hex}aabbcc`);
    const reader = new ByteReader(withTail);
    expect(bytesToHex(serializedProgram.read(reader, 'program'))).toBe(hex);
    expect(reader.remaining).toBe(3);
  });

  it('rejects a truncated program and trailing bytes in JSON', () => {
    expect(() => decodeWith(serializedProgram, hexToBytes('ff01'))).toThrow(/input too short/);
    expect(() => decodeWith(serializedProgram, hexToBytes('8401'))).toThrow(/input too short/);
    expect(() => serializedProgram.fromJson('0x8080', 'pool_memoization')).toThrow(
      'pool_memoization: Program has 1 byte(s) after the serialized program',
    );
    expect(() => serializedProgram.fromJson('0xfe', 'pool_memoization')).toThrow(/invalid CLVM atom size prefix/);
  });
});

describe('defineStreamable', () => {
  interface Sample {
    launcherId: Uint8Array;
    points: bigint;
    note: string | null;
    authenticationTokenV2: string;
  }
  const SampleSchema = defineStreamable('Sample', [
    field('launcherId', bytes32),
    field('points', uint64),
    field('note', optional(str)),
    field('authenticationTokenV2', str, { defaultValue: () => '' }),
  ]);
  const sample: Sample = {
    launcherId: new Uint8Array(32).fill(7),
    points: 14310455844127802841n,
    note: null,
    authenticationTokenV2: 'jwt',
  };

  it('derives snake_case JSON keys, V2 suffix included', () => {
    expect(Object.keys(SampleSchema.toJson(sample))).toEqual(['launcher_id', 'points', 'note', 'authentication_token_v2']);
  });

  it('writes exact JSON text and reads it back', () => {
    const text = SampleSchema.toJsonText(sample);
    expect(text).toBe(`{"launcher_id":"0x${'07'.repeat(32)}","points":14310455844127802841,"note":null,"authentication_token_v2":"jwt"}`);
    expect(SampleSchema.fromJsonText(text)).toEqual(sample);
  });

  it('requires keys without a default (Optional ones too) and names the missing key', () => {
    expect(() => SampleSchema.fromJson({ launcher_id: '07'.repeat(32), points: 1 })).toThrow(
      'Sample.note: missing key "note" (Optional[str])',
    );
  });

  it('uses the default for an absent key and ignores unknown keys', () => {
    const parsed = SampleSchema.fromJson({ launcher_id: '07'.repeat(32), points: 1, note: 'x', extra: [1, 2] });
    expect(parsed.authenticationTokenV2).toBe('');
    expect(parsed).not.toHaveProperty('extra');
  });

  it('rejects a non-object JSON value and a missing value when encoding', () => {
    expect(() => SampleSchema.fromJson([1])).toThrow('Sample: expected a JSON object for Sample, got an array');
    expect(() => SampleSchema.encode({ ...sample, points: undefined } as unknown as Sample)).toThrow(
      'Sample.points: missing value for uint64 field',
    );
  });

  it('hash is the SHA-256 of the bytes', () => {
    const expected = createHash('sha256').update(SampleSchema.encode(sample)).digest('hex');
    expect(bytesToHex(SampleSchema.hash(sample))).toBe(expected);
  });

  it('decode errors are StreamableErrors carrying the path', () => {
    const encoded = SampleSchema.encode(sample);
    try {
      SampleSchema.decode(encoded.subarray(0, 35));
      throw new Error('decode should have failed');
    } catch (error) {
      expect(error).toBeInstanceOf(StreamableError);
      expect((error as StreamableError).path).toBe('Sample.points');
    }
  });
});
