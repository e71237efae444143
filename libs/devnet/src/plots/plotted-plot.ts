import { createHash } from 'node:crypto';
import { CHIAPOS } from '@pool/chia';
import { getBits, putBits, wordsToBytes } from './bit-words';
import { plotTables } from './forward-propagation';
import { type PlotTables, tableSizes } from './plot-tables';

/** One proof of space found in a plot for a challenge. */
export interface PlotProof {
  /** 64 x values of k bits in proof order, packed MSB first (8k bytes): what a ProofOfSpace carries. */
  readonly proof: Uint8Array;
  /** The chiapos quality string for this challenge and proof. */
  readonly quality: Uint8Array;
  /** The x values in proof order (handy for diagnostics). */
  readonly xValues: readonly number[];
}

const PROOF_X_COUNT = CHIAPOS.xValuesPerProof;

/**
 * A plotted plot ready to answer challenges, the way a harvester does: find the table-7 entries whose output equals
 * the challenge's first k bits, walk their back-pointers to the 64 x values, and derive the quality string.
 */
export class PlottedPlot {
  constructor(readonly tables: PlotTables) {}

  get k(): number {
    return this.tables.k;
  }

  get plotId(): Uint8Array {
    return this.tables.plotId;
  }

  /** Number of table-7 entries: on average that many proofs per 2^k challenges. */
  get proofCount(): number {
    return this.tables.f7.length;
  }

  /** Entries per table 1..7 kept in the plot. */
  get tableSizes(): number[] {
    return tableSizes(this.tables);
  }

  /** Every proof whose table-7 output matches the first k bits of `challenge` (usually 0, 1 or 2 of them). */
  proofsForChallenge(challenge: Uint8Array): PlotProof[] {
    if (!(challenge instanceof Uint8Array) || challenge.length !== 32) throw new RangeError('challenge must be 32 bytes');
    const target = challengePrefix(challenge, this.k);
    const proofs: PlotProof[] = [];
    for (let entry = firstAtLeast(this.tables.f7, target); entry < this.tables.f7.length && this.tables.f7[entry] === target; entry++) {
      const xValues = this.xValuesOf(entry);
      proofs.push({ proof: packProof(xValues, this.k), quality: qualityString(xValues, this.k, challenge), xValues });
    }
    return proofs;
  }

  /** The 64 x values of table-7 entry `entry` in proof order: left subtrees first, as the verifier pairs them. */
  xValuesOf(entry: number): number[] {
    let positions = [entry];
    for (let t = 7; t >= 2; t--) {
      const pointers = this.tables.pointers[t - 2];
      const next: number[] = new Array<number>(positions.length * 2);
      for (let i = 0; i < positions.length; i++) {
        next[2 * i] = pointers[2 * positions[i]];
        next[2 * i + 1] = pointers[2 * positions[i] + 1];
      }
      positions = next;
    }
    return positions.map((position) => this.tables.xs[position]);
  }
}

/** Plots in memory (seconds for k=18) and wraps the result. */
export function createPlot(k: number, plotId: Uint8Array): PlottedPlot {
  return new PlottedPlot(plotTables(k, plotId).tables);
}

/** The first k bits of the challenge (MSB first) as a number. */
export function challengePrefix(challenge: Uint8Array, k: number): number {
  const word = ((challenge[0] << 24) | (challenge[1] << 16) | (challenge[2] << 8) | challenge[3]) >>> 0;
  return word >>> (32 - k);
}

function firstAtLeast(sorted: Uint32Array, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid] < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

function packProof(xValues: readonly number[], k: number): Uint8Array {
  const words = new Uint32Array(2 * k + 1);
  for (let i = 0; i < PROOF_X_COUNT; i++) putBits(words, i * k, xValues[i], k);
  return wordsToBytes(words, 8 * k);
}

/**
 * Proof order to plot order: at each of six levels, neighbouring groups are swapped unless the left one is smaller,
 * comparing from the groups' last x value backwards (chiapos's CompareProofBits).
 */
export function plotOrder(xValues: readonly number[]): number[] {
  let current = [...xValues];
  for (let size = 1; size < PROOF_X_COUNT; size *= 2) {
    const next: number[] = [];
    for (let start = 0; start < PROOF_X_COUNT; start += 2 * size) {
      const left = current.slice(start, start + size);
      const right = current.slice(start + size, start + 2 * size);
      if (groupIsLess(left, right)) next.push(...left, ...right);
      else next.push(...right, ...left);
    }
    current = next;
  }
  return current;
}

function groupIsLess(left: readonly number[], right: readonly number[]): boolean {
  for (let j = left.length - 1; j >= 0; j--) {
    if (left[j] !== right[j]) return left[j] < right[j];
  }
  return false;
}

/** sha256(challenge || the two plot-order x values chosen by the challenge's last 5 bits, packed MSB first). */
export function qualityString(xValues: readonly number[], k: number, challenge: Uint8Array): Uint8Array {
  const ordered = plotOrder(xValues);
  const index = 2 * (challenge[31] & 0x1f);
  const words = new Uint32Array(3);
  putBits(words, 0, ordered[index], k);
  putBits(words, k, ordered[index + 1], k);
  const packed = wordsToBytes(words, Math.ceil((2 * k) / 8));
  return new Uint8Array(createHash('sha256').update(challenge).update(packed).digest());
}

/** The x values of a packed proof (proof order). */
export function unpackProof(proof: Uint8Array, k: number): number[] {
  const words = new Uint32Array(Math.ceil(proof.length / 4) + 2);
  for (let i = 0; i < proof.length; i++) words[i >>> 2] |= proof[i] << (24 - 8 * (i & 3));
  return Array.from({ length: PROOF_X_COUNT }, (_, i) => getBits(words, i * k, k));
}
