import fc from 'fast-check';
import * as chainObjects from './chain-objects';
import * as harvesterMessages from './harvester-messages';
import { type FieldCodec } from './field-codecs';
import { parseChiaJson } from '../util/json-bigint';
import { PoolErrorCode, isPoolErrorCode } from './pool-error-code';
import { parsePostPartialRequestJson, parsePutFarmerRequestJson } from './pool-protocol-editions';
import * as messages from './pool-protocol-messages';
import * as v2Messages from './pool-protocol-v2-messages';
import { type ProofOfSpace } from './proof-of-space';
import { type StreamableSchema } from './streamable-schema';

/*
 * Self-contained round trips (no vector files needed): random values for every schema, built from the
 * schema's own field list, must survive bytes -> object -> bytes and JSON text -> object -> JSON text.
 */

const bytesOf = (length: number) => fc.uint8Array({ minLength: length, maxLength: length });

const clvmProgram: fc.Arbitrary<Uint8Array> = fc
  .letrec<{ node: number[] }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constant([0x80]),
      fc.integer({ min: 0, max: 0x7f }).map((byte) => [byte]),
      fc.uint8Array({ minLength: 2, maxLength: 63 }).map((atom) => [0x80 | atom.length, ...atom]),
      fc.tuple(tie('node'), tie('node')).map(([left, right]) => [0xff, ...left, ...right]),
    ),
  }))
  .node.map((serialized) => Uint8Array.from(serialized));

const proofOfSpace: fc.Arbitrary<ProofOfSpace> = fc.oneof(
  fc.record({
    challenge: bytesOf(32),
    poolPublicKey: fc.option(bytesOf(48), { nil: null }),
    poolContractPuzzleHash: fc.option(bytesOf(32), { nil: null }),
    plotPublicKey: bytesOf(48),
    version: fc.constant(0),
    plotIndex: fc.constant(0),
    metaGroup: fc.constant(0),
    strength: fc.constant(0),
    size: fc.nat({ max: 255 }),
    proof: fc.uint8Array({ maxLength: 64 }),
  }),
  fc.record({
    challenge: bytesOf(32),
    poolPublicKey: fc.constant(null),
    poolContractPuzzleHash: bytesOf(32),
    plotPublicKey: bytesOf(48),
    version: fc.constant(1),
    plotIndex: fc.nat({ max: 0xffff }),
    metaGroup: fc.nat({ max: 255 }),
    strength: fc.nat({ max: 255 }),
    size: fc.constant(0),
    proof: fc.uint8Array({ maxLength: 64 }),
  }),
);

function arbitraryFor(codec: FieldCodec<unknown>, legacyProofs: boolean): fc.Arbitrary<unknown> {
  const { typeName } = codec;
  if (typeName === 'ProofOfSpace') {
    return legacyProofs ? proofOfSpace.filter((pos) => pos.version === 0) : proofOfSpace;
  }
  if (typeName.startsWith('Optional[') && codec.inner !== undefined) {
    return fc.option(arbitraryFor(codec.inner, legacyProofs), { nil: null });
  }
  if (typeName.startsWith('List[') && codec.inner !== undefined) {
    return fc.array(arbitraryFor(codec.inner, legacyProofs), { maxLength: 3 });
  }
  const fields = (codec as Partial<StreamableSchema<unknown>>).fields;
  if (fields !== undefined) {
    const record: Record<string, fc.Arbitrary<unknown>> = {};
    for (const spec of fields) record[spec.name] = arbitraryFor(spec.codec as FieldCodec<unknown>, legacyProofs);
    return fc.record(record);
  }
  switch (typeName) {
    case 'uint8':
      return fc.nat({ max: 0xff });
    case 'uint16':
      return fc.nat({ max: 0xffff });
    case 'uint32':
      return fc.nat({ max: 0xffffffff });
    case 'uint64':
      return fc.bigUintN(64);
    case 'uint128':
      return fc.bigUintN(128);
    case 'bool':
      return fc.boolean();
    case 'bytes32':
      return bytesOf(32);
    case 'G1Element':
      return bytesOf(48);
    case 'G2Element':
      return bytesOf(96);
    case 'bytes100':
      return bytesOf(100);
    case 'bytes':
      return fc.uint8Array({ maxLength: 40 });
    case 'str':
      return fc.fullUnicodeString({ maxLength: 20 });
    case 'Program':
      return clvmProgram;
    default:
      throw new Error(`no arbitrary for ${typeName}`);
  }
}

const allSchemas: Array<[string, StreamableSchema<unknown>]> = Object.entries({
  ...messages,
  ...v2Messages,
  ...chainObjects,
  ...harvesterMessages,
})
  .filter(([name]) => name.endsWith('Schema'))
  .map(([name, schema]) => [name, schema as StreamableSchema<unknown>]);

describe('round trips of every pool-protocol schema (property based)', () => {
  it('covers the message set the pool needs', () => {
    const names = allSchemas.map(([name]) => name);
    expect(names).toEqual(
      expect.arrayContaining([
        'PostPartialRequestSchema',
        'PostPartialRequestLegacySchema',
        'PutFarmerPayloadSchema',
        'PutFarmerPayloadLegacySchema',
        'GetPoolInfoResponseSchema',
        'GetAuthRequestSchema',
        'GetFarmerRequestV1Schema',
        'ErrorResponseSchema',
        'PoolStateSchema',
      ]),
    );
  });

  describe.each(allSchemas)('%s', (name, schema) => {
    const arbitrary = arbitraryFor(schema, name.includes('Legacy'));

    it('bytes -> object -> bytes', () => {
      fc.assert(
        fc.property(arbitrary, (value) => {
          const encoded = schema.encode(value);
          const decoded = schema.decode(encoded);
          expect(decoded).toEqual(value);
          expect(schema.encode(decoded)).toEqual(encoded);
        }),
        { numRuns: 30 },
      );
    });

    it('JSON text -> object -> JSON text, exact for uint64 values', () => {
      fc.assert(
        fc.property(arbitrary, (value) => {
          const text = schema.toJsonText(value);
          const parsed = schema.fromJsonText(text);
          expect(parsed).toEqual(value);
          expect(schema.toJsonText(parsed)).toBe(text);
          expect(schema.toJson(value)).toEqual(parseChiaJson(text));
        }),
        { numRuns: 30 },
      );
    });

    it('rejects a strict prefix of a valid encoding as too short', () => {
      fc.assert(
        fc.property(arbitrary, fc.nat(), (value, seed) => {
          const encoded = schema.encode(value);
          const cut = seed % encoded.length;
          expect(() => schema.decode(encoded.subarray(0, cut))).toThrow(/input too short/);
        }),
        { numRuns: 30 },
      );
    });
  });
});

describe('edition parsing helpers', () => {
  it('reject a body that is not an object', () => {
    expect(() => parsePostPartialRequestJson([])).toThrow('PostPartialRequest: expected a JSON object');
    expect(() => parsePutFarmerRequestJson({ payload: 'x' })).toThrow('PutFarmerRequest.payload: expected a JSON object');
  });
});

describe('GetFarmerRequestV1 query parsing', () => {
  const launcher = 'ae4ef3b9bfe68949691281a015a9c16630fc8f66d48c19ca548fb80768791afa';

  it('reads a chia 2.4.4 farmer query (strings, no 0x, no authentication_token_v2)', () => {
    const request = v2Messages.GetFarmerRequestV1Schema.fromJson({
      launcher_id: launcher,
      authentication_token: '5637888',
      signature: 'c0'.padEnd(192, '0'),
    });
    expect(request.authenticationToken).toBe(5637888n);
    expect(request.authenticationTokenV2).toBe('');
    expect(request.signature?.length).toBe(96);
  });

  it('reads a v2 query without signature', () => {
    const request = v2Messages.GetFarmerRequestV1Schema.fromJson({
      launcher_id: `0x${launcher}`,
      authentication_token: '0',
      authentication_token_v2: 'header.payload.sig',
    });
    expect(request.signature).toBeNull();
    expect(() => v2Messages.GetFarmerRequestV2Schema.fromJson({ launcher_id: launcher, authentication_token: '0' })).toThrow(
      'GetFarmerRequestV2.authentication_token_v2: missing key',
    );
  });
});

describe('GetPoolInfoResponse', () => {
  it('defaults pool_memoization to CLVM nil (0x80) when a v1 pool omits it', () => {
    const legacy = {
      name: 'p',
      logo_url: 'l',
      minimum_difficulty: 1,
      relative_lock_height: 32,
      protocol_version: 1,
      fee: '0.01',
      description: 'd',
      target_puzzle_hash: `0x${'11'.repeat(32)}`,
      authentication_token_timeout: 5,
    };
    const parsed = messages.GetPoolInfoResponseSchema.fromJson(legacy);
    expect(Array.from(parsed.poolMemoization)).toEqual([0x80]);
    expect(messages.GetPoolInfoResponseSchema.toJson(parsed)['pool_memoization']).toBe('0x80');
  });
});

describe('PoolErrorCode', () => {
  it('has the sixteen codes of the protocol with their numbers', () => {
    const entries = Object.entries(PoolErrorCode).filter(([, value]) => typeof value === 'number');
    expect(entries).toHaveLength(16);
    expect(PoolErrorCode.REVERTED_SIGNAGE_POINT).toBe(1);
    expect(PoolErrorCode.SERVER_EXCEPTION).toBe(8);
    expect(PoolErrorCode.FARMER_NOT_KNOWN).toBe(10);
    expect(PoolErrorCode.INVALID_AUTHENTICATION_TOKEN).toBe(12);
    expect(PoolErrorCode.REQUEST_FAILED).toBe(16);
    expect(isPoolErrorCode(16)).toBe(true);
    expect(isPoolErrorCode(0)).toBe(false);
    expect(isPoolErrorCode(17)).toBe(false);
  });
});
