import fc from 'fast-check';
import { bytesToHex, hexToBytes } from '../util/hex';
import { type JsonObject } from '../util/json-bigint';
import { type ProofOfSpace, ProofOfSpaceLegacySchema, ProofOfSpaceSchema } from './proof-of-space';

const bytesOf = (length: number) => fc.uint8Array({ minLength: length, maxLength: length });

const v1Proof: fc.Arbitrary<ProofOfSpace> = fc.record({
  challenge: bytesOf(32),
  poolPublicKey: fc.option(bytesOf(48), { nil: null }),
  poolContractPuzzleHash: fc.option(bytesOf(32), { nil: null }),
  plotPublicKey: bytesOf(48),
  version: fc.constant(0),
  plotIndex: fc.constant(0),
  metaGroup: fc.constant(0),
  strength: fc.constant(0),
  size: fc.nat({ max: 255 }),
  proof: fc.uint8Array({ maxLength: 300 }),
});

const v2Proof: fc.Arbitrary<ProofOfSpace> = fc
  .tuple(fc.boolean(), bytesOf(48), bytesOf(32))
  .chain(([useContract, poolKey, contract]) =>
    fc.record({
      challenge: bytesOf(32),
      poolPublicKey: fc.constant(useContract ? null : poolKey),
      poolContractPuzzleHash: fc.constant(useContract ? contract : null),
      plotPublicKey: bytesOf(48),
      version: fc.constant(1),
      plotIndex: fc.nat({ max: 0xffff }),
      metaGroup: fc.nat({ max: 255 }),
      strength: fc.nat({ max: 255 }),
      size: fc.constant(0),
      proof: fc.uint8Array({ maxLength: 500 }),
    }),
  );

function sampleV1(): ProofOfSpace {
  return {
    challenge: new Uint8Array(32).fill(1),
    poolPublicKey: null,
    poolContractPuzzleHash: new Uint8Array(32).fill(2),
    plotPublicKey: new Uint8Array(48).fill(3),
    version: 0,
    plotIndex: 0,
    metaGroup: 0,
    strength: 0,
    size: 32,
    proof: Uint8Array.of(9, 9),
  };
}

describe('ProofOfSpace', () => {
  it('round-trips v1 and v2 proofs through bytes and through both JSON forms that can hold them', () => {
    fc.assert(
      fc.property(fc.oneof(v1Proof, v2Proof), (pos) => {
        const encoded = ProofOfSpaceSchema.encode(pos);
        expect(ProofOfSpaceSchema.decode(encoded)).toEqual(pos);
        expect(ProofOfSpaceSchema.fromJsonText(ProofOfSpaceSchema.toJsonText(pos))).toEqual(pos);
        if (pos.version === 0) {
          expect(ProofOfSpaceLegacySchema.fromJson(ProofOfSpaceLegacySchema.toJson(pos))).toEqual(pos);
          expect(ProofOfSpaceLegacySchema.encode(pos)).toEqual(encoded);
        }
      }),
    );
  });

  it('v1 layout: Optional flag 0x01 for the contract hash, then plot key, size byte, proof', () => {
    const hex = bytesToHex(ProofOfSpaceSchema.encode(sampleV1()));
    expect(hex).toBe(`${'01'.repeat(32)}00` + `01${'02'.repeat(32)}` + '03'.repeat(48) + '20' + '000000020909');
  });

  it('v2 layout: the flag byte carries the version bit and size is replaced by index/group/strength', () => {
    const v2: ProofOfSpace = { ...sampleV1(), version: 1, size: 0, plotIndex: 0x0c49, metaGroup: 5, strength: 3 };
    const hex = bytesToHex(ProofOfSpaceSchema.encode(v2));
    expect(hex).toBe(`${'01'.repeat(32)}00` + `03${'02'.repeat(32)}` + '03'.repeat(48) + '0c490503' + '000000020909');
  });

  it('has 10 JSON keys in the full form and 6 in the legacy form', () => {
    expect(Object.keys(ProofOfSpaceSchema.toJson(sampleV1()))).toEqual([
      'challenge',
      'pool_public_key',
      'pool_contract_puzzle_hash',
      'plot_public_key',
      'version',
      'plot_index',
      'meta_group',
      'strength',
      'size',
      'proof',
    ]);
    expect(Object.keys(ProofOfSpaceLegacySchema.toJson(sampleV1()))).toEqual([
      'challenge',
      'pool_public_key',
      'pool_contract_puzzle_hash',
      'plot_public_key',
      'size',
      'proof',
    ]);
  });

  it('reads the 6-key JSON form as a v1 proof', () => {
    const legacyJson = ProofOfSpaceLegacySchema.toJson(sampleV1());
    expect(ProofOfSpaceSchema.fromJson(legacyJson)).toEqual(sampleV1());
  });

  it('drops the fields a version cannot carry, so the object equals what is hashed', () => {
    const json = { ...ProofOfSpaceSchema.toJson(sampleV1()), plot_index: 7, strength: 2 };
    const parsed = ProofOfSpaceSchema.fromJson(json);
    expect(parsed.plotIndex).toBe(0);
    expect(parsed.strength).toBe(0);
    expect(ProofOfSpaceSchema.hash(parsed)).toEqual(ProofOfSpaceSchema.hash(sampleV1()));
  });

  it.each([0x04, 0x05, 0x80, 0xff])('rejects the contract flag/version byte 0x%s', (marker) => {
    const bytes = ProofOfSpaceSchema.encode(sampleV1());
    bytes[33] = marker;
    expect(() => ProofOfSpaceSchema.decode(bytes)).toThrow(/ProofOfSpace\.pool_contract_puzzle_hash: invalid Optional\/version byte/);
  });

  it('rejects a v2 proof with both or neither pool identity, in bytes and in JSON', () => {
    const both: ProofOfSpace = { ...sampleV1(), poolPublicKey: new Uint8Array(48), version: 1, size: 0 };
    const neither: ProofOfSpace = { ...sampleV1(), poolContractPuzzleHash: null, version: 1, size: 0 };
    for (const pos of [both, neither]) {
      expect(() => ProofOfSpaceSchema.encode(pos)).toThrow(/exactly one of pool_public_key and pool_contract_puzzle_hash/);
      expect(() => ProofOfSpaceSchema.fromJson(ProofOfSpaceSchema.toJson(pos))).toThrow(/exactly one of/);
    }
    // Same check when the bytes come off the wire: flip a v1 "neither" proof's marker to v2.
    const bytes = ProofOfSpaceSchema.encode({ ...sampleV1(), poolContractPuzzleHash: null });
    bytes[33] = 0x02;
    expect(() => ProofOfSpaceSchema.decode(bytes)).toThrow(/exactly one of/);
  });

  it('rejects unknown versions and refuses to write a v2 proof in the 6-key form', () => {
    const v2: ProofOfSpace = { ...sampleV1(), version: 1, size: 0 };
    expect(() => ProofOfSpaceLegacySchema.toJson(v2)).toThrow(/cannot be written in the 6-key JSON form/);
    const json: JsonObject = { ...ProofOfSpaceSchema.toJson(sampleV1()), version: 2 };
    expect(() => ProofOfSpaceSchema.fromJson(json)).toThrow('ProofOfSpace.version: unknown proof-of-space version 2');
  });

  it('names the missing key of an incomplete JSON proof', () => {
    const json: Record<string, unknown> = { ...ProofOfSpaceSchema.toJson(sampleV1()) };
    delete json['size'];
    expect(() => ProofOfSpaceSchema.fromJson(json)).toThrow('ProofOfSpace.size: missing key "size" (uint8)');
  });

  it('rejects a truncated proof', () => {
    const bytes = ProofOfSpaceSchema.encode(sampleV1());
    expect(() => ProofOfSpaceSchema.decode(bytes.subarray(0, bytes.length - 1))).toThrow(/ProofOfSpace\.proof: input too short/);
    expect(() => ProofOfSpaceSchema.decode(hexToBytes('00'))).toThrow(/ProofOfSpace\.challenge: input too short/);
  });
});
