import { createHash } from 'node:crypto';
import { blake3SingleBlock } from './blake3-hash';
import { chachaBlock } from './chacha8-block';
import { CHIAPOS } from './pos-constants';

/**
 * chiapos v1 proof verification (Verifier::ValidateProof + GetQualityString), written for speed: every value is
 * kept in 32-bit words or exact doubles, all buffers are allocated once per module, and nothing is allocated per
 * table. Bit strings are MSB first throughout, as chiapos packs them.
 *
 * Value representations:
 * - x (k <= 50 bits) fits a double exactly, so it is a plain number.
 * - y (k+6 <= 56 bits) does not, so it is a (hi, lo) pair: y = hi * 2^32 + lo.
 * - metadata (up to 4k = 200 bits) is a left-aligned big-endian word array, zero past its length.
 */

export type ProofVerification = { valid: true; quality: Uint8Array } | { valid: false; reason: string };

/** Per-table values for diagnostics and tests: y and metadata as bigints, in proof order. */
export interface TableTrace {
  table: number;
  y: bigint[];
  meta: bigint[];
}

const TWO_POW_32 = 4294967296;
const EXTRA = CHIAPOS.extraBits;
const BC = CHIAPOS.paramBC;
const B = CHIAPOS.paramB;
const C = CHIAPOS.paramC;
const META_STRIDE = 8; // words per metadata slot: 4k bits <= 200 bits <= 7 words, plus one for shifted writes

// ---- module-level scratch (the verifier is synchronous, so sharing is safe) ----
const proofWords = new Uint32Array(((64 * CHIAPOS.maxK) >>> 5) + 3);
const challengeWords = new Uint32Array(10);
const keyWords = new Uint32Array(8);
const chachaOut = new Uint32Array(16);
const keystream = new Uint32Array(35); // two blocks as big-endian words, plus padding for 3-word reads
const xValues = new Float64Array(64);
const yHiA = new Uint32Array(64), yLoA = new Uint32Array(64), metaA = new Uint32Array(64 * META_STRIDE);
const yHiB = new Uint32Array(32), yLoB = new Uint32Array(32), metaB = new Uint32Array(32 * META_STRIDE);
const messageBE = new Uint32Array(18);
const messageLE = new Uint32Array(16);
const hashLE = new Uint32Array(8);
const hashBE = new Uint32Array(11);
const alignedWords = new Uint32Array(2);
const plotOrder = new Float64Array(64);
const plotOrderTmp = new Float64Array(64);

// Results of the small helpers below, to avoid returning tuples.
let outHi = 0;
let outLo = 0;
let outBucket = 0;
let outRem = 0;

function bswap(w: number): number {
  return ((w >>> 24) | ((w >>> 8) & 0xff00) | ((w << 8) & 0xff0000) | (w << 24)) >>> 0;
}

/** Bytes to big-endian words (the bit string, MSB first). Words past the data are zeroed. */
function loadBigEndianWords(bytes: Uint8Array, words: Uint32Array): void {
  words.fill(0);
  for (let i = 0; i < bytes.length; i++) words[i >>> 2] |= bytes[i] << (24 - 8 * (i & 3));
}

/** Reads `n` (1..56) bits at bit position `pos` of a big-endian word array into (outHi, outLo). */
function readBits(words: Uint32Array, pos: number, n: number): void {
  const i = pos >>> 5;
  const s = pos & 31;
  let a = words[i];
  let b = words[i + 1];
  if (s !== 0) {
    a = (a << s) | (b >>> (32 - s));
    b = (b << s) | (words[i + 2] >>> (32 - s));
  }
  if (n <= 32) {
    outHi = 0;
    outLo = a >>> (32 - n);
  } else {
    outHi = a >>> (64 - n);
    outLo = ((a << (n - 32)) | (b >>> (64 - n))) >>> 0;
  }
}

/** An n-bit value (hi, lo) as two left-aligned words in `alignedWords`. */
function leftAlign(hi: number, lo: number, n: number): void {
  if (n <= 32) {
    alignedWords[0] = n === 32 ? lo : lo << (32 - n);
    alignedWords[1] = 0;
  } else {
    const s = 64 - n;
    alignedWords[0] = s === 0 ? hi : (hi << s) | (lo >>> (32 - s));
    alignedWords[1] = s === 0 ? lo : lo << s;
  }
}

/** ORs `nbits` of left-aligned words src[srcOff..] into the zeroed destination at bit position `pos`. */
function appendBits(dst: Uint32Array, pos: number, src: Uint32Array, srcOff: number, nbits: number): void {
  const words = (nbits + 31) >>> 5;
  const sh = pos & 31;
  const di = pos >>> 5;
  if (sh === 0) {
    for (let j = 0; j < words; j++) dst[di + j] |= src[srcOff + j];
  } else {
    const back = 32 - sh;
    for (let j = 0; j < words; j++) {
      const w = src[srcOff + j];
      dst[di + j] |= w >>> sh;
      dst[di + j + 1] |= w << back;
    }
  }
}

/** Copies bits [pos, pos+nbits) of a big-endian word array into left-aligned words dst[dstOff..], zero past nbits. */
function copyBits(src: Uint32Array, pos: number, nbits: number, dst: Uint32Array, dstOff: number): void {
  const words = (nbits + 31) >>> 5;
  const s = pos & 31;
  const si = pos >>> 5;
  for (let j = 0; j < META_STRIDE; j++) dst[dstOff + j] = 0;
  for (let j = 0; j < words; j++) {
    dst[dstOff + j] = s === 0 ? src[si + j] : (src[si + j] << s) | (src[si + j + 1] >>> (32 - s));
  }
  const rem = nbits & 31;
  if (rem !== 0) dst[dstOff + words - 1] &= 0xffffffff << (32 - rem);
}

/** Splits y = hi*2^32 + lo into bucket = floor(y / kBC) and rem = y mod kBC without leaving exact double range. */
function splitBucket(hi: number, lo: number): void {
  const qHi = Math.floor(hi / BC);
  const rest = (hi - qHi * BC) * TWO_POW_32 + lo; // < kBC * 2^32 < 2^46
  const qLo = Math.floor(rest / BC);
  outBucket = qHi * TWO_POW_32 + qLo;
  outRem = rest - qLo * BC;
}

/**
 * The chiapos matching condition for a left and right entry: adjacent buckets, and the right remainder equals one
 * of the 64 targets of the left. The targets' "B part" (target div kC) is (l div kC + m) mod kB, distinct for the
 * 64 values of m, so the only candidate m is recovered from r directly instead of looping.
 */
function entriesMatch(yLHi: number, yLLo: number, yRHi: number, yRLo: number): boolean {
  splitBucket(yLHi, yLLo);
  const bucketL = outBucket;
  const l = outRem;
  splitBucket(yRHi, yRLo);
  if (outBucket - bucketL !== 1) return false;
  const r = outRem;
  const parity = bucketL % 2;
  const rB = Math.floor(r / C);
  const rC = r - rB * C;
  let m = rB - Math.floor(l / C);
  if (m < 0) m += B;
  if (m >= 64) return false;
  const twoMPlusParity = 2 * m + parity;
  return (twoMPlusParity * twoMPlusParity + l) % C === rC;
}

/** Exported for tests: the same matching rule, on bigints. */
export function isMatchingPair(yLeft: bigint, yRight: bigint): boolean {
  return entriesMatch(
    Number(yLeft >> 32n),
    Number(yLeft & 0xffffffffn),
    Number(yRight >> 32n),
    Number(yRight & 0xffffffffn),
  );
}

let cachedCounterLo = -1;
let cachedCounterHi = -1;

/** Fills keystream[base..base+16) with the big-endian words of ChaCha8 block (counterLo, counterHi). */
function keystreamBlock(counterLo: number, counterHi: number, base: number): void {
  chachaBlock(keyWords, counterLo, counterHi, 0, 0, chachaOut);
  for (let i = 0; i < 16; i++) keystream[base + i] = bswap(chachaOut[i]);
}

/** F1(x) into (outHi, outLo): k keystream bits at bit offset x*k, then the top 6 bits of x. */
function f1(k: number, x: number): void {
  const xHi = Math.floor(x / TWO_POW_32);
  const xLo = x - xHi * TWO_POW_32;
  const posLo = k * xLo; // < 2^38; the bit position is (k*xHi)*2^32 + posLo, and 2^32 is a multiple of 512
  const block = k * xHi * 8388608 + Math.floor(posLo / 512);
  const offset = posLo % 512;
  const counterLo = block >>> 0;
  const counterHi = Math.floor(block / TWO_POW_32);
  if (counterLo !== cachedCounterLo || counterHi !== cachedCounterHi) {
    keystreamBlock(counterLo, counterHi, 0);
    cachedCounterLo = counterLo;
    cachedCounterHi = counterHi;
  }
  if (offset + k > 512) {
    const nextLo = (counterLo + 1) >>> 0;
    keystreamBlock(nextLo, nextLo === 0 ? counterHi + 1 : counterHi, 16);
  }
  readBits(keystream, offset, k);
  const fHi = outHi;
  const fLo = outLo;
  const top6 = Math.floor(x / 2 ** (k - EXTRA));
  outHi = fHi * 64 + (fLo >>> 26);
  outLo = ((fLo << 6) | top6) >>> 0;
}

function resetKeyFromPlotId(plotId: Uint8Array): void {
  // key = 0x01 || plot_id[0..31): the last plot id byte is not part of the key.
  const key = new Uint8Array(32);
  key[0] = 1;
  key.set(plotId.subarray(0, 31), 1);
  for (let i = 0; i < 8; i++) {
    keyWords[i] = (key[4 * i] | (key[4 * i + 1] << 8) | (key[4 * i + 2] << 16) | (key[4 * i + 3] << 24)) >>> 0;
  }
  cachedCounterLo = -1;
  cachedCounterHi = -1;
}

/**
 * Fx for table t on a matched pair: BLAKE3(yL || metaL || metaR). Writes y to (outHi, outLo) and the collated
 * metadata into outMeta[outOff..].
 */
function fx(
  k: number,
  t: number,
  yLHi: number,
  yLLo: number,
  metaIn: Uint32Array,
  leftOff: number,
  rightOff: number,
  outMeta: Uint32Array,
  outOff: number,
): void {
  const yBits = k + EXTRA;
  const metaBits = CHIAPOS.vectorLens[t] * k;
  messageBE.fill(0);
  leftAlign(yLHi, yLLo, yBits);
  appendBits(messageBE, 0, alignedWords, 0, yBits);
  appendBits(messageBE, yBits, metaIn, leftOff, metaBits);
  appendBits(messageBE, yBits + metaBits, metaIn, rightOff, metaBits);
  const totalBits = yBits + 2 * metaBits;
  const messageWordCount = (totalBits + 31) >>> 5;
  for (let i = 0; i < 16; i++) messageLE[i] = i < messageWordCount ? bswap(messageBE[i]) : 0;
  blake3SingleBlock(messageLE, (totalBits + 7) >>> 3, hashLE);
  for (let i = 0; i < 8; i++) hashBE[i] = bswap(hashLE[i]);

  if (t < 4) {
    for (let j = 0; j < META_STRIDE; j++) outMeta[outOff + j] = 0;
    // appendBits takes a bit position; the slot offset is in words.
    appendBits(outMeta, outOff * 32, metaIn, leftOff, metaBits);
    appendBits(outMeta, outOff * 32 + metaBits, metaIn, rightOff, metaBits);
  } else if (t < 7) {
    copyBits(hashBE, yBits, CHIAPOS.vectorLens[t + 1] * k, outMeta, outOff);
  }
  readBits(hashBE, 0, yBits);
}

function describeLength(proof: Uint8Array, k: number): string {
  return `proof is ${proof.length} bytes, a k=${k} proof is exactly ${8 * k} bytes`;
}

function checkInputs(k: unknown, plotId: unknown, challenge: unknown, proof: unknown): string | undefined {
  if (typeof k !== 'number' || !Number.isInteger(k)) return 'k must be an integer';
  if (k < CHIAPOS.minK || k > CHIAPOS.maxK) return `k=${k} is outside the supported range ${CHIAPOS.minK}..${CHIAPOS.maxK}`;
  if (!(plotId instanceof Uint8Array) || plotId.length !== 32) return 'plot id must be 32 bytes';
  if (!(challenge instanceof Uint8Array) || challenge.length !== 32) return 'challenge must be 32 bytes';
  if (!(proof instanceof Uint8Array)) return 'proof must be bytes';
  if (proof.length !== 8 * k) return describeLength(proof, k);
  return undefined;
}

/**
 * Verifies a v1 (chiapos) proof of space and returns its quality string. Never throws: bad input gives
 * `{ valid: false, reason }`. `trace`, when given, receives every table's values (slow path, for diagnostics).
 */
export function verifyProof(
  k: number,
  plotId: Uint8Array,
  challenge: Uint8Array,
  proof: Uint8Array,
  trace?: TableTrace[],
): ProofVerification {
  const problem = checkInputs(k, plotId, challenge, proof);
  if (problem !== undefined) return { valid: false, reason: problem };
  try {
    return walkProof(k, plotId, challenge, proof, trace);
  } catch (error) {
    return { valid: false, reason: `internal error: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function walkProof(
  k: number,
  plotId: Uint8Array,
  challenge: Uint8Array,
  proof: Uint8Array,
  trace: TableTrace[] | undefined,
): ProofVerification {
  loadBigEndianWords(proof, proofWords);
  resetKeyFromPlotId(plotId);

  // Table 1: F1 of each x; the metadata is x itself.
  for (let i = 0; i < 64; i++) {
    readBits(proofWords, k * i, k);
    const x = outHi * TWO_POW_32 + outLo;
    xValues[i] = x;
    const slot = i * META_STRIDE;
    leftAlign(outHi, outLo, k);
    metaA[slot] = alignedWords[0];
    metaA[slot + 1] = alignedWords[1];
    for (let j = 2; j < META_STRIDE; j++) metaA[slot + j] = 0;
    f1(k, x);
    yHiA[i] = outHi;
    yLoA[i] = outLo;
  }
  if (trace) trace.push(snapshot(1, 64, k, yHiA, yLoA, metaA));

  let inHi = yHiA, inLo = yLoA, inMeta = metaA;
  let outHiArr = yHiB, outLoArr = yLoB, outMetaArr = metaB;
  let count = 64;
  for (let t = 2; t <= 7; t++) {
    const pairs = count >>> 1;
    for (let p = 0; p < pairs; p++) {
      const left = 2 * p;
      const right = left + 1;
      if (!entriesMatch(inHi[left], inLo[left], inHi[right], inLo[right])) {
        return { valid: false, reason: `table ${t}: entries ${left} and ${right} do not match` };
      }
      fx(k, t, inHi[left], inLo[left], inMeta, left * META_STRIDE, right * META_STRIDE, outMetaArr, p * META_STRIDE);
      outHiArr[p] = outHi;
      outLoArr[p] = outLo;
    }
    count = pairs;
    if (trace) {
      const metaBits = t < 4 ? 2 * CHIAPOS.vectorLens[t] * k : t < 7 ? CHIAPOS.vectorLens[t + 1] * k : 0;
      trace.push(snapshot(t, count, metaBits, outHiArr, outLoArr, outMetaArr));
    }
    // Ping-pong: this table's outputs are the next table's inputs.
    const swapHi = inHi, swapLo = inLo, swapMeta = inMeta;
    inHi = outHiArr; inLo = outLoArr; inMeta = outMetaArr;
    outHiArr = swapHi; outLoArr = swapLo; outMetaArr = swapMeta;
  }

  // Only the top k bits of f7 are compared with the challenge.
  loadBigEndianWords(challenge, challengeWords);
  readBits(challengeWords, 0, k);
  const challengeTop = outHi * TWO_POW_32 + outLo;
  const f7Top = inHi[0] * 67108864 + (inLo[0] >>> EXTRA);
  if (challengeTop !== f7Top) return { valid: false, reason: 'f7 output does not match the challenge' };

  return { valid: true, quality: qualityString(k, challenge) };
}

/** Reorders xValues from proof order to plot order into `plotOrder`. */
function toPlotOrder(): void {
  let current = plotOrder;
  let next = plotOrderTmp;
  current.set(xValues);
  for (let groupSize = 1; groupSize < 64; groupSize *= 2) {
    for (let start = 0; start < 64; start += 2 * groupSize) {
      const rightStart = start + groupSize;
      const leftFirst = groupIsLess(current, start, rightStart, groupSize);
      for (let j = 0; j < groupSize; j++) {
        next[start + j] = leftFirst ? current[start + j] : current[rightStart + j];
        next[rightStart + j] = leftFirst ? current[rightStart + j] : current[start + j];
      }
    }
    const swap = current;
    current = next;
    next = swap;
  }
  if (current !== plotOrder) plotOrder.set(current);
}

/** chiapos CompareProofBits: compare from the last x of each group towards the first; ties are not "less". */
function groupIsLess(values: Float64Array, left: number, right: number, size: number): boolean {
  for (let j = size - 1; j >= 0; j--) {
    if (values[left + j] < values[right + j]) return true;
    if (values[left + j] > values[right + j]) return false;
  }
  return false;
}

function qualityString(k: number, challenge: Uint8Array): Uint8Array {
  toPlotOrder();
  const qualityIndex = 2 * (challenge[31] & 0x1f);
  const packed = new Uint32Array(5);
  const first = plotOrder[qualityIndex];
  const second = plotOrder[qualityIndex + 1];
  leftAlign(Math.floor(first / TWO_POW_32), first % TWO_POW_32, k);
  appendBits(packed, 0, alignedWords, 0, k);
  leftAlign(Math.floor(second / TWO_POW_32), second % TWO_POW_32, k);
  appendBits(packed, k, alignedWords, 0, k);
  const byteCount = (2 * k + 7) >>> 3;
  const bytes = new Uint8Array(byteCount);
  for (let i = 0; i < byteCount; i++) bytes[i] = (packed[i >>> 2] >>> (24 - 8 * (i & 3))) & 0xff;
  return new Uint8Array(createHash('sha256').update(challenge).update(bytes).digest());
}

function snapshot(
  table: number,
  count: number,
  metaBits: number,
  hi: Uint32Array,
  lo: Uint32Array,
  meta: Uint32Array,
): TableTrace {
  const y: bigint[] = [];
  const metaValues: bigint[] = [];
  for (let i = 0; i < count; i++) {
    y.push((BigInt(hi[i]) << 32n) | BigInt(lo[i]));
    if (metaBits > 0) {
      let value = 0n;
      const words = (metaBits + 31) >>> 5;
      for (let j = 0; j < words; j++) value = (value << 32n) | BigInt(meta[i * META_STRIDE + j]);
      metaValues.push(value >> BigInt(words * 32 - metaBits));
    }
  }
  return { table, y, meta: metaValues };
}

/** Left-aligned words of an n-bit bigint into dst[off..off+META_STRIDE). */
function bigintToSlot(value: bigint, nbits: number, dst: Uint32Array, off: number): void {
  if (nbits <= 53) {
    // Small values convert through one exact double, which is much cheaper than bigint shifts.
    const n = Number(value);
    leftAlign(Math.floor(n / TWO_POW_32), n % TWO_POW_32, nbits);
    for (let j = 0; j < META_STRIDE; j++) dst[off + j] = 0;
    dst[off] = alignedWords[0];
    dst[off + 1] = alignedWords[1];
    return;
  }
  const words = (nbits + 31) >>> 5;
  const aligned = value << BigInt(words * 32 - nbits);
  for (let j = 0; j < META_STRIDE; j++) dst[off + j] = 0;
  for (let j = 0; j < words; j++) dst[off + j] = Number((aligned >> BigInt((words - 1 - j) * 32)) & 0xffffffffn);
}

/** F1(x) for one x (tests and diagnostics): the (k+6)-bit table-1 output. */
export function computeF1(k: number, plotId: Uint8Array, x: bigint): bigint {
  resetKeyFromPlotId(plotId);
  f1(k, Number(x));
  return (BigInt(outHi) << 32n) | BigInt(outLo);
}

/**
 * Fx for table t (2..7) on one left/right metadata pair (tests and diagnostics). `meta` is undefined for table 7,
 * which produces none.
 */
export function computeFx(
  k: number,
  t: number,
  yLeft: bigint,
  metaLeft: bigint,
  metaRight: bigint,
): { y: bigint; meta: bigint | undefined } {
  const metaBits = CHIAPOS.vectorLens[t] * k;
  const inMeta = new Uint32Array(2 * META_STRIDE);
  const outMeta = new Uint32Array(META_STRIDE);
  bigintToSlot(metaLeft, metaBits, inMeta, 0);
  bigintToSlot(metaRight, metaBits, inMeta, META_STRIDE);
  fx(k, t, Number(yLeft >> 32n), Number(yLeft & 0xffffffffn), inMeta, 0, META_STRIDE, outMeta, 0);
  const y = (BigInt(outHi) << 32n) | BigInt(outLo);
  const outBits = t < 4 ? 2 * metaBits : t < 7 ? CHIAPOS.vectorLens[t + 1] * k : 0;
  if (outBits === 0) return { y, meta: undefined };
  if (outBits <= 53) {
    // Left-aligned in at most two words with zero low bits, so the double below is exact.
    return { y, meta: BigInt((outMeta[0] * TWO_POW_32 + outMeta[1]) / 2 ** (64 - outBits)) };
  }
  const words = (outBits + 31) >>> 5;
  let value = 0n;
  for (let j = 0; j < words; j++) value = (value << 32n) | BigInt(outMeta[j]);
  return { y, meta: value >> BigInt(words * 32 - outBits) };
}

/** Words per metadata slot in `fxWords` buffers. */
export const FX_META_SLOT_WORDS = META_STRIDE;

/**
 * Word-level Fx for tools that evaluate many entries (e.g. a test plotter): metadata are left-aligned big-endian
 * words in slots of FX_META_SLOT_WORDS, zero past their length. Returns y as a number, so k must be <= 47.
 */
export function fxWords(
  k: number,
  t: number,
  yLeft: number,
  metaIn: Uint32Array,
  leftSlotOffset: number,
  rightSlotOffset: number,
  outMeta: Uint32Array,
  outSlotOffset: number,
): number {
  const yHi = Math.floor(yLeft / TWO_POW_32);
  fx(k, t, yHi, yLeft - yHi * TWO_POW_32, metaIn, leftSlotOffset, rightSlotOffset, outMeta, outSlotOffset);
  return outHi * TWO_POW_32 + outLo;
}
