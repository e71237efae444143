import fc from 'fast-check';
import { describeWithVectors } from '@pool/testing';
import { toHex } from './bytes-hex';
import { type PoolState, decodePoolState, decodePoolStateHex, encodePoolState, encodePoolStateHex } from './pool-state-codec';

interface PuzzlesFile {
  travel_spend_example: {
    decoded_pool_state: {
      version: number;
      state: number;
      target_puzzle_hash: string;
      owner_pubkey: string;
      pool_url: string | null;
      relative_lock_height: number;
    };
  };
}

const poolStateArb: fc.Arbitrary<PoolState> = fc.record({
  version: fc.integer({ min: 0, max: 255 }),
  state: fc.constantFrom(1 as const, 2 as const, 3 as const),
  targetPuzzleHash: fc.uint8Array({ minLength: 32, maxLength: 32 }).map(toHex),
  ownerPubkey: fc.uint8Array({ minLength: 48, maxLength: 48 }).map(toHex),
  poolUrl: fc.option(fc.string({ unit: 'binary', maxLength: 80 }), { nil: null }),
  relativeLockHeight: fc.integer({ min: 0, max: 0xffffffff }),
});

const sample: PoolState = {
  version: 1,
  state: 3,
  targetPuzzleHash: '11'.repeat(32),
  ownerPubkey: '22'.repeat(48),
  poolUrl: 'https://pool.example',
  relativeLockHeight: 100,
};

describe('PoolState streamable codec', () => {
  it('round-trips any valid PoolState', () => {
    fc.assert(
      fc.property(poolStateArb, (state) => {
        expect(decodePoolState(encodePoolState(state))).toEqual(state);
        expect(decodePoolStateHex(encodePoolStateHex(state))).toEqual(state);
      }),
    );
  });

  it('writes the streamable layout field by field', () => {
    const url = Buffer.from('https://pool.example', 'utf8');
    const expected = Buffer.concat([
      Buffer.from([1, 3]),
      Buffer.alloc(32, 0x11),
      Buffer.alloc(48, 0x22),
      Buffer.from([1, 0, 0, 0, url.length]),
      url,
      Buffer.from([0, 0, 0, 100]),
    ]);
    expect(encodePoolStateHex(sample)).toBe(expected.toString('hex'));
    const noUrl = encodePoolState({ ...sample, poolUrl: null });
    expect(noUrl.length).toBe(1 + 1 + 32 + 48 + 1 + 4);
    expect(noUrl[82]).toBe(0);
  });

  it('rejects truncated, padded and malformed bytes', () => {
    const bytes = encodePoolState(sample);
    expect(() => decodePoolState(bytes.subarray(0, bytes.length - 1))).toThrow(/truncated/);
    expect(() => decodePoolState(Uint8Array.from([...bytes, 0]))).toThrow(/trailing/);
    const badFlag = Uint8Array.from(bytes);
    badFlag[82] = 2;
    expect(() => decodePoolState(badFlag)).toThrow(/Optional flag/);
    const badState = Uint8Array.from(bytes);
    badState[1] = 4;
    expect(() => decodePoolState(badState)).toThrow(/unknown state 4/);
    const badUtf8 = encodePoolState({ ...sample, poolUrl: 'ab' });
    badUtf8[87] = 0xff;
    expect(() => decodePoolState(badUtf8)).toThrow(/UTF-8/);
  });

  it('refuses to encode out-of-range fields', () => {
    expect(() => encodePoolState({ ...sample, version: 256 })).toThrow(/uint8/);
    expect(() => encodePoolState({ ...sample, relativeLockHeight: -1 })).toThrow(/uint32/);
    expect(() => encodePoolState({ ...sample, ownerPubkey: '22'.repeat(47) })).toThrow(/owner_pubkey: expected 48 bytes/);
    expect(() => encodePoolState({ ...sample, state: 9 as PoolState['state'] })).toThrow(/unknown pool singleton state/);
  });
});

describeWithVectors<PuzzlesFile>('PoolState of the mainnet travel spend (crypto/puzzles.json)', 'crypto/puzzles.json', (v) => {
  it('encodes the decoded vector state and decodes it back', () => {
    const d = v.travel_spend_example.decoded_pool_state;
    const state: PoolState = {
      version: d.version,
      state: d.state as PoolState['state'],
      targetPuzzleHash: d.target_puzzle_hash,
      ownerPubkey: d.owner_pubkey,
      poolUrl: d.pool_url,
      relativeLockHeight: d.relative_lock_height,
    };
    expect(decodePoolState(encodePoolState(state))).toEqual(state);
  });
});
