import { createHash, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describeWithVectors } from '@pool/testing';
import { MAINNET_POS_CONSTANTS, isPlotSizeAllowedV1 } from './pos-constants';
import { calculatePlotIdPh, calculatePlotIdPk, plotIdFromPoolContractPuzzleHash, plotIdFromPoolPublicKey, plotIdV2 } from './plot-id';
import { leadingBitsAreZero, passesPlotFilter, plotFilterBitsForHeight, plotFilterHash, posChallenge } from './plot-filter';
import {
  calculateIterationsQuality,
  expectedPlotSize,
  passesPoolThreshold,
  poolItersLimit,
  requiredIterations,
} from './required-iterations';

const fromHex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'hex'));
const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const sha256Hex = (...parts: Uint8Array[]): string => {
  const hash = createHash('sha256');
  parts.forEach((p) => hash.update(p));
  return hash.digest('hex');
};

describe('plot id (self-contained)', () => {
  it('hashes the raw encodings in the documented order', () => {
    const ph = randomBytes(32);
    const poolPk = randomBytes(48);
    const plotPk = randomBytes(48);
    expect(toHex(plotIdFromPoolContractPuzzleHash(ph, plotPk))).toBe(sha256Hex(ph, plotPk));
    expect(toHex(plotIdFromPoolPublicKey(poolPk, plotPk))).toBe(sha256Hex(poolPk, plotPk));
    expect(calculatePlotIdPh).toBe(plotIdFromPoolContractPuzzleHash);
    expect(calculatePlotIdPk).toBe(plotIdFromPoolPublicKey);
  });
  it('rejects wrongly sized keys and hashes', () => {
    expect(() => plotIdFromPoolContractPuzzleHash(new Uint8Array(31), new Uint8Array(48))).toThrow(RangeError);
    expect(() => plotIdFromPoolPublicKey(new Uint8Array(48), new Uint8Array(47))).toThrow(RangeError);
    expect(() => plotIdV2(2, new Uint8Array(48), new Uint8Array(40), 0, 0)).toThrow(RangeError);
    expect(() => plotIdV2(2, new Uint8Array(48), new Uint8Array(32), 70000, 0)).toThrow(RangeError);
  });
});

describe('plot size rule (self-contained)', () => {
  it('allows 32..50 on mainnet and follows an override', () => {
    expect([31, 32, 50, 51, 32.5].map((k) => isPlotSizeAllowedV1(k))).toEqual([false, true, true, false, false]);
    expect(isPlotSizeAllowedV1(18, { ...MAINNET_POS_CONSTANTS, minPlotSizeV1: 18 })).toBe(true);
  });
});

describe('plot filter (self-contained)', () => {
  it('counts leading zero bits MSB first', () => {
    expect(leadingBitsAreZero(Uint8Array.of(0x00, 0x7f), 9)).toBe(true);
    expect(leadingBitsAreZero(Uint8Array.of(0x00, 0x80), 9)).toBe(false);
    expect(leadingBitsAreZero(Uint8Array.of(0x01, 0x00), 7)).toBe(true);
    expect(leadingBitsAreZero(Uint8Array.of(0x01, 0x00), 8)).toBe(false);
    expect(leadingBitsAreZero(Uint8Array.of(0xff), 0)).toBe(true);
    expect(() => leadingBitsAreZero(Uint8Array.of(0), 9)).toThrow(RangeError);
  });
  it('passing with more prefix bits implies passing with fewer', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.integer({ min: 1, max: 12 }), (plotId, bits) => {
        const challenge = new Uint8Array(32);
        const sp = new Uint8Array(32);
        if (passesPlotFilter(plotId, challenge, sp, bits)) expect(passesPlotFilter(plotId, challenge, sp, bits - 1)).toBe(true);
      }),
    );
  });
  it('pos challenge is the hash of the filter hash', () => {
    const [a, b, c] = [randomBytes(32), randomBytes(32), randomBytes(32)];
    expect(toHex(plotFilterHash(a, b, c))).toBe(sha256Hex(a, b, c));
    expect(toHex(posChallenge(a, b, c))).toBe(sha256Hex(fromHex(sha256Hex(a, b, c))));
  });
  it('uses the overridden schedule for a devnet', () => {
    const devnet = { ...MAINNET_POS_CONSTANTS, numberZeroBitsPlotFilterV1: 2, hardForkHeight: 10, plotFilter128Height: 20, plotFilter64Height: 30, plotFilter32Height: 40 };
    expect([0, 10, 20, 30, 40].map((h) => plotFilterBitsForHeight(h, devnet))).toEqual([2, 1, 0, 0, 0]);
  });
});

describe('required iterations (self-contained)', () => {
  it('expected plot size is (2k+1)*2^(k-1)', () => {
    expect(expectedPlotSize(1)).toBe(3n);
    expect(expectedPlotSize(3)).toBe(28n);
    expect(() => expectedPlotSize(0)).toThrow(RangeError);
  });

  it('is the exact floor of the formula, and at least 1', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.integer({ min: 18, max: 50 }),
        fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
        (quality, sp, k, difficulty) => {
          const iters = requiredIterations(quality, sp, k, difficulty);
          const q = BigInt(`0x${sha256Hex(quality, sp)}`);
          const numerator = difficulty * (1n << 67n) * q;
          const denominator = (1n << 256n) * BigInt(2 * k + 1) * (1n << BigInt(k - 1));
          if (iters > 1n) {
            expect(iters * denominator <= numerator).toBe(true);
            expect((iters + 1n) * denominator > numerator).toBe(true);
          } else {
            expect(iters).toBe(1n);
            expect(2n * denominator > numerator).toBe(true);
          }
        },
      ),
    );
  });

  it('chia argument order gives the same result; a custom constant factor scales it', () => {
    const quality = randomBytes(32);
    const sp = randomBytes(32);
    const base = requiredIterations(quality, sp, 32, 1000n);
    expect(calculateIterationsQuality(1n << 67n, quality, 32, 1000n, sp)).toBe(base);
    expect(requiredIterations(quality, sp, 32, 1000n, 1n << 68n) >= 2n * base).toBe(true);
  });

  it('pool limit is POOL_SUB_SLOT_ITERS / 64 and strictly exclusive', () => {
    expect(poolItersLimit()).toBe(587_500_000n);
    expect(passesPoolThreshold(587_499_999n)).toBe(true);
    expect(passesPoolThreshold(587_500_000n)).toBe(false);
    expect(poolItersLimit({ ...MAINNET_POS_CONSTANTS, poolSubSlotIters: 6_400n })).toBe(100n);
  });

  it('rejects malformed inputs', () => {
    expect(() => requiredIterations(new Uint8Array(31), new Uint8Array(32), 32, 1)).toThrow(RangeError);
    expect(() => requiredIterations(new Uint8Array(32), new Uint8Array(32), 32, -1)).toThrow(RangeError);
  });
});

// ---------- vectors ----------

interface MiscFile {
  plot_id_v1: {
    plot_public_key: string;
    pool_public_key: string;
    pool_contract_puzzle_hash: string;
    expected_plot_id_pool_pk: string;
    expected_plot_id_contract: string;
  };
  plot_id_v2: {
    plot_public_key: string;
    cases: Array<{ strength: number; plot_index: number; meta_group: number; pool: string; expected: string }>;
  };
  plot_filter_v1: {
    pool_public_key: string;
    plot_public_key: string;
    original_challenge_hash: string;
    signage_point: string;
    computed_plot_id: string;
    computed_plot_filter_hash: string;
    expected_pos_challenge: string;
  };
  prefix_bits_by_height_v1_mainnet: { table: Array<[number, number]> };
  constants_mainnet: Record<string, unknown>;
}

describeWithVectors<MiscFile>('plot id / filter / constants vectors', 'pos/plot_id_filter_misc.json', (file) => {
  it('v1 plot ids', () => {
    const v = file.plot_id_v1;
    expect(toHex(plotIdFromPoolPublicKey(fromHex(v.pool_public_key), fromHex(v.plot_public_key)))).toBe(v.expected_plot_id_pool_pk);
    expect(toHex(plotIdFromPoolContractPuzzleHash(fromHex(v.pool_contract_puzzle_hash), fromHex(v.plot_public_key)))).toBe(
      v.expected_plot_id_contract,
    );
  });

  it('v2 plot ids', () => {
    const v = file.plot_id_v2;
    for (const c of v.cases) {
      const pool = c.pool.startsWith('contract') ? fromHex(file.plot_id_v1.pool_contract_puzzle_hash) : fromHex(file.plot_id_v1.pool_public_key);
      expect(toHex(plotIdV2(c.strength, fromHex(v.plot_public_key), pool, c.plot_index, c.meta_group))).toBe(c.expected);
    }
  });

  it('plot filter: fails with 9 bits (height 5495999), passes with 8 (height 5496000)', () => {
    const v = file.plot_filter_v1;
    const plotId = plotIdFromPoolPublicKey(fromHex(v.pool_public_key), fromHex(v.plot_public_key));
    expect(toHex(plotId)).toBe(v.computed_plot_id);
    const challenge = fromHex(v.original_challenge_hash);
    const sp = fromHex(v.signage_point);
    expect(toHex(plotFilterHash(plotId, challenge, sp))).toBe(v.computed_plot_filter_hash);
    expect(toHex(posChallenge(plotId, challenge, sp))).toBe(v.expected_pos_challenge);
    expect(passesPlotFilter(plotId, challenge, sp, plotFilterBitsForHeight(5_495_999))).toBe(false);
    expect(passesPlotFilter(plotId, challenge, sp, plotFilterBitsForHeight(5_496_000))).toBe(true);
  });

  it.each(file.prefix_bits_by_height_v1_mainnet.table)('height %d uses %d prefix bits', (height, bits) => {
    expect(plotFilterBitsForHeight(height)).toBe(bits);
  });

  it('mainnet constants match', () => {
    const c = file.constants_mainnet;
    expect(MAINNET_POS_CONSTANTS.difficultyConstantFactor).toBe(2n ** 67n);
    expect(MAINNET_POS_CONSTANTS.poolSubSlotIters).toBe(BigInt(c.POOL_SUB_SLOT_ITERS as number));
    expect(MAINNET_POS_CONSTANTS.numSpsSubSlot).toBe(c.NUM_SPS_SUB_SLOT);
    expect(MAINNET_POS_CONSTANTS.numberZeroBitsPlotFilterV1).toBe(c.NUMBER_ZERO_BITS_PLOT_FILTER_V1);
    expect(MAINNET_POS_CONSTANTS.hardForkHeight).toBe(c.HARD_FORK_HEIGHT);
    expect(MAINNET_POS_CONSTANTS.plotFilter128Height).toBe(c.PLOT_FILTER_128_HEIGHT);
    expect(MAINNET_POS_CONSTANTS.plotFilter64Height).toBe(c.PLOT_FILTER_64_HEIGHT);
    expect(MAINNET_POS_CONSTANTS.plotFilter32Height).toBe(c.PLOT_FILTER_32_HEIGHT);
    expect(MAINNET_POS_CONSTANTS.minPlotSizeV1).toBe(c.MIN_PLOT_SIZE_V1);
    expect(MAINNET_POS_CONSTANTS.maxPlotSizeV1).toBe(c.MAX_PLOT_SIZE_V1);
    expect(MAINNET_POS_CONSTANTS.plotSizeV2).toBe(c.PLOT_SIZE_V2);
    expect(MAINNET_POS_CONSTANTS.minPlotStrength).toBe(c.MIN_PLOT_STRENGTH);
    expect(MAINNET_POS_CONSTANTS.maxPlotStrength).toBe(c.MAX_PLOT_STRENGTH);
    expect(poolItersLimit()).toBe(BigInt(c['pool_iters_limit = POOL_SUB_SLOT_ITERS // 64'] as number));
  });
});

interface IterationsFile {
  constants: { DIFFICULTY_CONSTANT_FACTOR: string; expected_plot_size: Record<string, number> } & Record<string, unknown>;
  required_iters: Array<{
    quality_string: string;
    sp_hash: string;
    k: number;
    difficulty: number;
    required_iters: number;
    'passes_pool_threshold (required_iters < iters_limit)': boolean;
  }>;
  plot_id_and_filter: Array<Record<string, string | number | boolean>>;
}

describeWithVectors<IterationsFile>('iterations and filter vectors', 'protocol/iterations_filter_token.json', (file) => {
  it('constants', () => {
    expect(MAINNET_POS_CONSTANTS.difficultyConstantFactor).toBe(BigInt(file.constants.DIFFICULTY_CONSTANT_FACTOR));
    expect(poolItersLimit()).toBe(BigInt(file.constants['iters_limit = POOL_SUB_SLOT_ITERS // 64'] as number));
  });
  it.each(Object.entries(file.constants.expected_plot_size))('expected plot size k=%s', (k, size) => {
    expect(expectedPlotSize(Number(k))).toBe(BigInt(size));
  });
  it.each(file.required_iters.map((v, i) => [i, v] as const))('required iters case %d', (_i, v) => {
    const iters = requiredIterations(fromHex(v.quality_string), fromHex(v.sp_hash), v.k, BigInt(v.difficulty));
    expect(iters).toBe(BigInt(v.required_iters));
    expect(passesPoolThreshold(iters)).toBe(v['passes_pool_threshold (required_iters < iters_limit)']);
  });
  it('plot id, filter input, pos challenge and filter verdicts', () => {
    for (const v of file.plot_id_and_filter) {
      const plotId = plotIdFromPoolContractPuzzleHash(fromHex(v.pool_contract_puzzle_hash as string), fromHex(v.plot_public_key as string));
      expect(toHex(plotId)).toBe(v['plot_id = sha256(pool_contract_puzzle_hash || plot_public_key)']);
      const challenge = fromHex(v.challenge_hash as string);
      const sp = fromHex(v.sp_hash as string);
      expect(toHex(plotFilterHash(plotId, challenge, sp))).toBe(v['plot_filter_input = sha256(plot_id || challenge_hash || sp_hash)']);
      expect(toHex(posChallenge(plotId, challenge, sp))).toBe(v['pos_challenge = sha256(plot_filter_input)']);
      expect(passesPlotFilter(plotId, challenge, sp, 9)).toBe(v.passes_filter_prefix_bits_9);
      expect(passesPlotFilter(plotId, challenge, sp, 8)).toBe(v.passes_filter_prefix_bits_8);
    }
  });
});
