import { createHash, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describeWithVectors } from '@pool/testing';
import { blake3 } from './blake3-hash';
import { chachaKeystream } from './chacha8-block';
import { CHIAPOS } from './pos-constants';
import { computeF1, computeFx, isMatchingPair, type TableTrace, verifyProof } from './proof-verifier';

const fromHex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'hex'));
const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const big = (hexText: string): bigint => BigInt(`0x${hexText}`);

// ---------- straightforward bigint references, independent of the verifier's word plumbing ----------

function bitsOf(bytes: Uint8Array, start: bigint, count: number): bigint {
  let value = 0n;
  for (let i = 0n; i < BigInt(count); i++) {
    const bit = start + i;
    value = (value << 1n) | BigInt((bytes[Number(bit >> 3n)] >> (7 - Number(bit & 7n))) & 1);
  }
  return value;
}

function referenceF1(k: number, plotId: Uint8Array, x: bigint): bigint {
  const key = new Uint8Array(32);
  key[0] = 1;
  key.set(plotId.subarray(0, 31), 1);
  const position = x * BigInt(k);
  const block = position / 512n;
  const stream = chachaKeystream(key, new Uint8Array(8), block, 2);
  const f = bitsOf(stream, position % 512n, k);
  return (f << 6n) | (x >> BigInt(k - 6));
}

function packBits(fields: Array<[bigint, number]>): Uint8Array {
  let value = 0n;
  let bits = 0;
  for (const [field, width] of fields) {
    value = (value << BigInt(width)) | field;
    bits += width;
  }
  const bytes = Math.ceil(bits / 8);
  value <<= BigInt(bytes * 8 - bits);
  return fromHex(value.toString(16).padStart(bytes * 2, '0'));
}

function referenceFx(k: number, t: number, yLeft: bigint, metaLeft: bigint, metaRight: bigint): { y: bigint; meta?: bigint } {
  const metaBits = CHIAPOS.vectorLens[t] * k;
  const hash = blake3(packBits([[yLeft, k + 6], [metaLeft, metaBits], [metaRight, metaBits]]));
  const hashValue = big(toHex(hash));
  const y = hashValue >> BigInt(256 - (k + 6));
  if (t < 4) return { y, meta: (metaLeft << BigInt(metaBits)) | metaRight };
  if (t < 7) {
    const outBits = CHIAPOS.vectorLens[t + 1] * k;
    return { y, meta: (hashValue >> BigInt(256 - (k + 6) - outBits)) & ((1n << BigInt(outBits)) - 1n) };
  }
  return { y };
}

function referenceMatch(yLeft: bigint, yRight: bigint): boolean {
  const bucketLeft = yLeft / 15113n;
  if (yRight / 15113n - bucketLeft !== 1n) return false;
  const l = Number(yLeft % 15113n);
  const r = Number(yRight % 15113n);
  const parity = Number(bucketLeft % 2n);
  for (let m = 0; m < 64; m++) {
    const target = ((Math.floor(l / 127) + m) % 119) * 127 + (((2 * m + parity) ** 2 + l) % 127);
    if (target === r) return true;
  }
  return false;
}

const randomBits = (bits: number): bigint => big(toHex(randomBytes(Math.ceil(bits / 8)))) >> BigInt(Math.ceil(bits / 8) * 8 - bits);

// ---------- self-contained tests (run without the shared vectors) ----------

describe('verifyProof input checks', () => {
  const plotId = randomBytes(32);
  const challenge = randomBytes(32);

  it.each([17, 51, 0, -1, 32.5, Number.NaN])('rejects k=%s with a reason', (k) => {
    const result = verifyProof(k, plotId, challenge, new Uint8Array(256));
    expect(result.valid).toBe(false);
    if (!result.valid) expect(result.reason).toMatch(/k/);
  });

  it.each([0, 1, 255, 257, 264])('rejects a %d-byte proof for k=32 with the length in the reason', (length) => {
    const result = verifyProof(32, plotId, challenge, new Uint8Array(length));
    expect(result).toEqual({ valid: false, reason: expect.stringContaining('256 bytes') });
  });

  it('rejects plot ids and challenges that are not 32 bytes', () => {
    expect(verifyProof(32, new Uint8Array(31), challenge, new Uint8Array(256)).valid).toBe(false);
    expect(verifyProof(32, plotId, new Uint8Array(33), new Uint8Array(256)).valid).toBe(false);
  });

  it('never throws and never accepts random proofs of any supported k', () => {
    fc.assert(
      fc.property(fc.integer({ min: 18, max: 50 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), (k, seed) => {
        const proof = new Uint8Array(8 * k);
        for (let i = 0; i < proof.length; i++) proof[i] = seed[i % 32] ^ (i * 37);
        const result = verifyProof(k, seed, seed, proof);
        expect(result.valid).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('does not throw on values of the wrong type', () => {
    const garbage = [undefined, null, 'ab', 12, {}, [1, 2]] as unknown as Uint8Array[];
    for (const value of garbage) {
      expect(() => verifyProof(32, value, challenge, new Uint8Array(256))).not.toThrow();
      expect(verifyProof(32, plotId, challenge, value).valid).toBe(false);
    }
  });
});

describe('F1 against a bigint reference over the ChaCha8 keystream', () => {
  it('agrees for random x at every supported k, including x values near 2^k', () => {
    for (let k = 18; k <= 50; k++) {
      const plotId = randomBytes(32);
      const xs = [0n, 1n, (1n << BigInt(k)) - 1n, randomBits(k), randomBits(k)];
      for (const x of xs) expect(computeF1(k, plotId, x)).toBe(referenceF1(k, plotId, x));
    }
  });

  it('handles outputs that span two keystream blocks and counters past 2^32 (k >= 36)', () => {
    const plotId = randomBytes(32);
    // For k=40, x = 54975581388 puts the block counter's low word at 0xFFFFFFFF.
    const x = 54975581388n;
    expect((x * 40n) / 512n & 0xffffffffn).toBe(0xffffffffn);
    expect(computeF1(40, plotId, x)).toBe(referenceF1(40, plotId, x));
    const spanning = 12n; // 12 * 43 = 516 bits: bits 473..515 cross the first block boundary at 512
    expect(computeF1(43, plotId, spanning - 1n)).toBe(referenceF1(43, plotId, spanning - 1n));
  });

  it('ignores the last byte of the plot id', () => {
    const plotId = randomBytes(32);
    const other = Uint8Array.from(plotId);
    other[31] ^= 0xff;
    expect(computeF1(32, other, 12345n)).toBe(computeF1(32, plotId, 12345n));
    other[0] ^= 1;
    expect(computeF1(32, other, 12345n)).not.toBe(computeF1(32, plotId, 12345n));
  });
});

describe('Fx against a bigint reference over BLAKE3', () => {
  it('agrees for every table and every supported k', () => {
    for (let k = 18; k <= 50; k++) {
      for (let t = 2; t <= 7; t++) {
        const metaBits = CHIAPOS.vectorLens[t] * k;
        const yLeft = randomBits(k + 6);
        const metaLeft = randomBits(metaBits);
        const metaRight = randomBits(metaBits);
        const expected = referenceFx(k, t, yLeft, metaLeft, metaRight);
        const actual = computeFx(k, t, yLeft, metaLeft, metaRight);
        expect(actual.y).toBe(expected.y);
        expect(actual.meta).toBe(expected.meta);
      }
    }
  });
});

describe('matching condition', () => {
  it('accepts the pair built from the target formula and agrees with the 64-target loop on near misses', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: (1n << 56n) - 15113n * 3n }),
        fc.integer({ min: 0, max: 63 }),
        fc.integer({ min: -3, max: 3 }),
        (yLeft, m, jitter) => {
          const bucket = yLeft / 15113n;
          const l = Number(yLeft % 15113n);
          const parity = Number(bucket % 2n);
          const r = ((Math.floor(l / 127) + m) % 119) * 127 + (((2 * m + parity) ** 2 + l) % 127);
          const yRight = (bucket + 1n) * 15113n + BigInt(r);
          expect(isMatchingPair(yLeft, yRight)).toBe(true);
          const shifted = yRight + BigInt(jitter);
          expect(isMatchingPair(yLeft, shifted)).toBe(referenceMatch(yLeft, shifted));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('rejects the right entry in the same or a lower bucket', () => {
    expect(isMatchingPair(15113n * 5n, 15113n * 5n + 3n)).toBe(false);
    expect(isMatchingPair(15113n * 5n, 15113n * 4n)).toBe(false);
  });

  it('agrees with the reference loop on random pairs in adjacent buckets', () => {
    for (let i = 0; i < 3000; i++) {
      const yLeft = randomBits(38);
      const yRight = (yLeft / 15113n + 1n) * 15113n + BigInt(Math.floor(Math.random() * 15113));
      expect(isMatchingPair(yLeft, yRight)).toBe(referenceMatch(yLeft, yRight));
    }
  });
});

// ---------- vectors ----------

interface ProofVector {
  plot_id: string;
  k: number | string;
  challenge: string;
  proof: string;
  quality: string;
}

describeWithVectors<{ vectors: ProofVector[] }>('chiapos k21 proofs', 'pos/chiapos_k21_proofs.json', (file) => {
  it('has the 97 proofs', () => expect(file.vectors).toHaveLength(97));
  it.each(file.vectors.map((v, i) => [i, v] as const))('proof %d gives the expected quality', (_i, v) => {
    const result = verifyProof(Number(v.k), fromHex(v.plot_id), fromHex(v.challenge), fromHex(v.proof));
    expect(result).toEqual({ valid: true, quality: fromHex(v.quality) });
  });
  it('rejects each proof once its first byte is incremented', () => {
    for (const v of file.vectors) {
      const proof = fromHex(v.proof);
      proof[0] = (proof[0] + 1) & 0xff;
      expect(verifyProof(Number(v.k), fromHex(v.plot_id), fromHex(v.challenge), proof).valid).toBe(false);
    }
  });
});

interface FxVector {
  t: number;
  k: number;
  L: string;
  R: string;
  y1: string;
  y_expected: string;
  c_expected: string | null;
}

describeWithVectors<{ vectors: FxVector[] }>('chiapos Fx k16 vectors', 'pos/chiapos_fx_k16.json', (file) => {
  it.each(file.vectors.map((v) => [v.t, v] as const))('table %d', (_t, v) => {
    const result = computeFx(v.k, v.t, big(v.y1), big(v.L), big(v.R));
    expect(result.y).toBe(big(v.y_expected));
    if (v.c_expected !== null) expect(result.meta).toBe(big(v.c_expected));
  });
});

interface TraceFile {
  traces: Array<ProofVector & { tables: Array<{ table: number; y: string[]; meta?: string[] }> }>;
}

describeWithVectors<TraceFile>('table-by-table traces', 'pos/traces.json', (file) => {
  it.each(file.traces.map((trace) => [Number(trace.k), trace] as const))('k=%d trace matches every table', (k, trace) => {
    const tables: TableTrace[] = [];
    const result = verifyProof(k, fromHex(trace.plot_id), fromHex(trace.challenge), fromHex(trace.proof), tables);
    expect(result).toEqual({ valid: true, quality: fromHex(trace.quality) });
    expect(tables).toHaveLength(7);
    for (const expected of trace.tables) {
      const actual = tables[expected.table - 1];
      expect(actual.y).toEqual(expected.y.map(big));
      expect(actual.meta).toEqual((expected.meta ?? []).map(big));
    }
  });
  it('table 1 metadata equals the x values', () => {
    for (const trace of file.traces) {
      const k = Number(trace.k);
      const proof = fromHex(trace.proof);
      const xs = Array.from({ length: 64 }, (_, i) => bitsOf(proof, BigInt(i * k), k));
      expect(trace.tables[0].meta?.map(big)).toEqual(xs);
      xs.forEach((x, i) => expect(referenceF1(k, fromHex(trace.plot_id), x)).toBe(big(trace.tables[0].y[i])));
    }
  });
});

interface EdgeCase {
  mutation: string;
  plot_id: string;
  k: number;
  challenge: string;
  proof: string;
  expected_valid: boolean;
  expected_quality: string | null;
}

describeWithVectors<{ cases: EdgeCase[] }>('negative and edge cases', 'pos/negative_and_edge_cases.json', (file) => {
  it('has 176 cases', () => expect(file.cases).toHaveLength(176));
  it.each(file.cases.map((c, i) => [i, c.mutation, c] as const))('case %d (%s)', (_i, _mutation, c) => {
    const result = verifyProof(Number(c.k), fromHex(c.plot_id), fromHex(c.challenge), fromHex(c.proof));
    if (c.expected_valid) {
      expect(result).toEqual({ valid: true, quality: fromHex(c.expected_quality as string) });
    } else {
      expect(result.valid).toBe(false);
      if (!result.valid) expect(result.reason.length).toBeGreaterThan(0);
    }
  });
  it('quality is sha256(challenge || two packed x values) for the valid k32 proofs', () => {
    // A cross-check of the packing independent of the verifier's plot-order code: some pair of x values packs to it.
    const valid = file.cases.filter((c) => c.expected_valid && c.k === 32).slice(0, 4);
    for (const c of valid) {
      const proof = fromHex(c.proof);
      const xs = Array.from({ length: 64 }, (_, i) => bitsOf(proof, BigInt(i * 32), 32));
      const found = xs.some((a) =>
        xs.some((b) => {
          const hash = createHash('sha256').update(fromHex(c.challenge)).update(packBits([[a, 32], [b, 32]])).digest('hex');
          return hash === c.expected_quality;
        }),
      );
      expect(found).toBe(true);
    }
  });
});

describeWithVectors<{ pool_spec_partial_example: { proof_of_space: { challenge: string; proof: string }; computed_plot_id: string; expected_with_k_22: string } }>(
  'pool SPECIFICATION partial example',
  'pos/plot_id_filter_misc.json',
  (file) => {
    const example = file.pool_spec_partial_example;
    const args = [fromHex(example.computed_plot_id), fromHex(example.proof_of_space.challenge), fromHex(example.proof_of_space.proof)] as const;
    it('is invalid as published with size 32 (wrong length)', () => {
      const result = verifyProof(32, ...args);
      expect(result).toEqual({ valid: false, reason: expect.stringContaining('256 bytes') });
    });
    it('is a valid k=22 proof with the recorded quality', () => {
      expect(verifyProof(22, ...args)).toEqual({ valid: true, quality: fromHex(example.expected_with_k_22) });
    });
  },
);
