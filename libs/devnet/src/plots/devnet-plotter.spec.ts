import { createHash } from 'node:crypto';
import { verifyProof } from '@pool/chia';
import { describeWithVectors } from '@pool/testing';
import { MAX_PLOT_K, MIN_PLOT_K, type PlottedPlot, challengePrefix, createPlot, devnetPlot, plotTables, proofsForSignagePoint, unpackProof } from '.';

const K = 18;

function sha256(...parts: (string | Uint8Array)[]): Uint8Array {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return Uint8Array.from(hash.digest());
}

/** Deterministic "random" 32-byte challenges, so a failure is reproducible. */
function challenges(label: string, count: number): Uint8Array[] {
  return Array.from({ length: count }, (_, i) => sha256(`${label} ${i}`));
}

/** A challenge whose first k bits are `prefix` and whose other bits come from `seed`. */
function challengeWithPrefix(prefix: number, k: number, seed: string): Uint8Array {
  const challenge = sha256(seed);
  const rest = ((challenge[0] << 24) | (challenge[1] << 16) | (challenge[2] << 8) | challenge[3]) & (2 ** (32 - k) - 1);
  const word = (prefix * 2 ** (32 - k) + rest) >>> 0;
  challenge[0] = word >>> 24;
  challenge[1] = (word >>> 16) & 0xff;
  challenge[2] = (word >>> 8) & 0xff;
  challenge[3] = word & 0xff;
  return challenge;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

describe('a k=18 devnet plot', () => {
  const plotId = sha256('devnet plotter spec');
  let plot: PlottedPlot;

  beforeAll(() => {
    plot = createPlot(K, plotId);
  });

  it('answers random challenges with proofs the verifier accepts, with the same quality', () => {
    let proofCount = 0;
    for (const challenge of challenges('random challenge', 400)) {
      for (const found of plot.proofsForChallenge(challenge)) {
        proofCount++;
        const verdict = verifyProof(K, plotId, challenge, found.proof);
        expect(verdict).toEqual({ valid: true, quality: found.quality });
        expect(found.proof).toHaveLength(8 * K);
        expect(unpackProof(found.proof, K)).toEqual(found.xValues);
      }
    }
    // About one proof per challenge on average: 400 challenges cannot plausibly give fewer than 200.
    expect(proofCount).toBeGreaterThan(200);
  });

  it('a proof with any one bit flipped is rejected', () => {
    let checked = 0;
    for (const [n, challenge] of challenges('flip challenge', 60).entries()) {
      for (const found of plot.proofsForChallenge(challenge)) {
        const flips = [n % (8 * found.proof.length), (7 * n + 3) % (8 * found.proof.length), 8 * found.proof.length - 1 - n];
        for (const bit of flips) {
          const mutated = Uint8Array.from(found.proof);
          mutated[bit >>> 3] ^= 0x80 >>> (bit & 7);
          expect(verifyProof(K, plotId, challenge, mutated).valid).toBe(false);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(60);
  });

  it('every sampled table-7 entry yields a valid proof for a challenge with its f7 as prefix', () => {
    const f7 = plot.tables.f7;
    const step = Math.floor(f7.length / 300);
    for (let entry = 0; entry < f7.length; entry += step) {
      const challenge = challengeWithPrefix(f7[entry], K, `entry ${entry}`);
      const proofs = plot.proofsForChallenge(challenge);
      expect(proofs.length).toBeGreaterThanOrEqual(1);
      expect(proofs.map((p) => p.xValues.join())).toContain(plot.xValuesOf(entry).join());
      for (const found of proofs) expect(verifyProof(K, plotId, challenge, found.proof)).toEqual({ valid: true, quality: found.quality });
    }
  });

  it('all proofs for one challenge are distinct and share the challenge prefix', () => {
    const f7 = plot.tables.f7;
    // Find a value with several table-7 entries (there are many: ~2^k entries over 2^k values).
    let entry = 1;
    while (entry < f7.length && f7[entry] !== f7[entry - 1]) entry++;
    const challenge = challengeWithPrefix(f7[entry], K, 'duplicate f7');
    const proofs = plot.proofsForChallenge(challenge);
    expect(proofs.length).toBeGreaterThanOrEqual(2);
    expect(new Set(proofs.map((p) => hex(p.proof))).size).toBe(proofs.length);
    expect(challengePrefix(challenge, K)).toBe(f7[entry]);
    for (const found of proofs) expect(verifyProof(K, plotId, challenge, found.proof).valid).toBe(true);
  });

  it('a challenge whose first k bits are no table-7 output gets no proof', () => {
    const present = new Set(plot.tables.f7);
    let absentChecked = 0;
    for (let prefix = 12345; absentChecked < 50; prefix += 977) {
      if (present.has(prefix % 2 ** K)) continue;
      expect(plot.proofsForChallenge(challengeWithPrefix(prefix % 2 ** K, K, `absent ${prefix}`))).toEqual([]);
      absentChecked++;
    }
  });

  it('has about 2^k table-7 entries and about one proof per random challenge', () => {
    expect(plot.proofCount).toBeGreaterThan(0.8 * 2 ** K);
    expect(plot.proofCount).toBeLessThan(1.2 * 2 ** K);
    const sample = challenges('statistics', 4000);
    const counts = sample.map((challenge) => plot.proofsForChallenge(challenge).length);
    const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
    const none = counts.filter((c) => c === 0).length / counts.length;
    expect(mean).toBeGreaterThan(0.8);
    expect(mean).toBeLessThan(1.25);
    // For ~Poisson(1) counts, about e^-1 = 37% of challenges have no proof.
    expect(none).toBeGreaterThan(0.25);
    expect(none).toBeLessThan(0.5);
    expect(Math.max(...counts)).toBeLessThan(10);
  });

  it('keeps only reachable entries: every kept entry below table 7 is some entry’s child', () => {
    const sizes = plot.tableSizes;
    for (let t = 2; t <= 7; t++) {
      const pointers = plot.tables.pointers[t - 2];
      const used = new Uint8Array(sizes[t - 2]);
      for (const pointer of pointers) used[pointer] = 1;
      expect(used.every((flag) => flag === 1)).toBe(true);
    }
  });

  it('at a signage point: applies the plot filter and answers the pos challenge sha256(sha256(id || ch || sp))', () => {
    let passed = 0;
    let filtered = 0;
    let proofs = 0;
    for (let i = 0; i < 200; i++) {
      const challengeHash = sha256(`challenge hash ${i}`);
      const spHash = sha256(`sp hash ${i}`);
      const filterHash = sha256(plotId, challengeHash, spHash);
      const answer = proofsForSignagePoint(plot, challengeHash, spHash, 1);
      expect(hex(answer.posChallenge)).toBe(hex(sha256(filterHash)));
      // One filter bit: the plot passes when the first bit of the filter hash is zero.
      expect(answer.passesFilter).toBe(filterHash[0] < 0x80);
      if (!answer.passesFilter) {
        expect(answer.proofs).toEqual([]);
        filtered++;
        continue;
      }
      passed++;
      expect(answer.proofs.map((p) => hex(p.proof))).toEqual(plot.proofsForChallenge(answer.posChallenge).map((p) => hex(p.proof)));
      for (const found of answer.proofs) {
        proofs++;
        expect(verifyProof(K, plotId, answer.posChallenge, found.proof)).toEqual({ valid: true, quality: found.quality });
      }
    }
    expect(passed).toBeGreaterThan(50);
    expect(filtered).toBeGreaterThan(50);
    expect(proofs).toBeGreaterThan(20);
  });

  it('its proofs are rejected under another plot id (plot id byte 0 keys F1)', () => {
    const otherId = Uint8Array.from(plotId);
    otherId[0] ^= 1;
    let compared = 0;
    for (const challenge of challenges('other plot', 30)) {
      for (const found of plot.proofsForChallenge(challenge)) {
        expect(verifyProof(K, otherId, challenge, found.proof).valid).toBe(false);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(5);
  });
});

describe('plotter inputs and plot identity', () => {
  it('rejects k outside the supported range and a malformed plot id', () => {
    const plotId = sha256('bounds');
    expect(() => plotTables(MIN_PLOT_K - 1, plotId)).toThrow(RangeError);
    expect(() => plotTables(MAX_PLOT_K + 1, plotId)).toThrow(RangeError);
    expect(() => plotTables(18.5, plotId)).toThrow(RangeError);
    expect(() => plotTables(18, plotId.subarray(0, 31))).toThrow(RangeError);
  });

  it('a devnet plot id is sha256(pool contract puzzle hash || plot public key)', () => {
    const puzzleHash = sha256('pool contract');
    const plotPublicKey = Uint8Array.from({ length: 48 }, (_, i) => (i * 37 + 11) & 0xff);
    const plot = devnetPlot(19, puzzleHash, plotPublicKey);
    expect(plot.k).toBe(19);
    expect(hex(plot.plotId)).toBe(hex(sha256(puzzleHash, plotPublicKey)));
    expect(plot.poolContractPuzzleHash).toEqual(puzzleHash);
    expect(plot.plotPublicKey).toEqual(plotPublicKey);
  });
});

interface ChiaposProofVector {
  plot_id: string;
  k: number;
  challenge: string;
  proof: string;
  quality: string;
}

describeWithVectors<{ vectors: ChiaposProofVector[] }>(
  'plotting the chiapos k=21 test plot id reproduces the proofs chiapos found',
  'pos/chiapos_k21_proofs.json',
  ({ vectors }) => {
    it('finds exactly the chiapos proofs for each challenge, with the same quality', () => {
      const plotId = Uint8Array.from(Buffer.from(vectors[0].plot_id, 'hex'));
      expect(vectors.every((v) => v.plot_id === vectors[0].plot_id && Number(v.k) === 21)).toBe(true);
      const plot = createPlot(21, plotId);
      const byChallenge = new Map<string, ChiaposProofVector[]>();
      for (const vector of vectors) byChallenge.set(vector.challenge, [...(byChallenge.get(vector.challenge) ?? []), vector]);
      for (const [challenge, expected] of byChallenge) {
        const ours = plot.proofsForChallenge(Uint8Array.from(Buffer.from(challenge, 'hex')));
        const found = new Map(ours.map((p) => [hex(p.proof), hex(p.quality)]));
        for (const vector of expected) expect(found.get(vector.proof)).toBe(vector.quality);
        expect(ours).toHaveLength(expected.length);
      }
    });
  },
);
