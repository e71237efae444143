import { CHIAPOS, blake3SingleBlock, chachaBlock, chachaKeyWords } from '@pool/chia';
import { byteSwap, getBits, putBits } from './bit-words';
import { type PlotTables } from './plot-tables';

/**
 * An in-memory chiapos plotter for small k: forward propagation over the seven tables (F1 for every x, bucketing by
 * y, the kBC matching rule between adjacent buckets, Fx with BLAKE3), then a backward pass that keeps only what
 * table 7 reaches. Values stay in 32-bit typed arrays: y has k+6 bits and every metadata value is a whole number of
 * k-bit chunks, so k + 6 <= 32 bounds the supported sizes. Memory is a few tens of bytes per entry (k=20: ~1M
 * entries per table).
 */

export const MIN_PLOT_K = CHIAPOS.minK;
/** y values are k+6 bits and live in a Uint32Array. */
export const MAX_PLOT_K = 32 - CHIAPOS.extraBits;

const EXTRA = CHIAPOS.extraBits;
const BC = CHIAPOS.paramBC;
const PARAM_B = CHIAPOS.paramB;
const PARAM_C = CHIAPOS.paramC;
const MATCH_TARGETS = 64;

/** Entries of one table during forward propagation (table 1 has no back-pointers). */
interface ForwardTable {
  count: number;
  y: Uint32Array;
  /** `chunks` k-bit metadata chunks per entry, most significant first. */
  meta: Uint32Array;
  chunks: number;
  left: Uint32Array;
  right: Uint32Array;
}

let targetTable: Uint16Array | undefined;

/**
 * For a left entry with bucket parity p and remainder l, the 64 right remainders it matches:
 * ((l div kC + m) mod kB) * kC + (((2m + p)^2 + l) mod kC), for m = 0..63.
 */
function matchTargets(): Uint16Array {
  if (targetTable) return targetTable;
  const table = new Uint16Array(2 * BC * MATCH_TARGETS);
  for (let parity = 0; parity < 2; parity++) {
    for (let l = 0; l < BC; l++) {
      const base = (parity * BC + l) * MATCH_TARGETS;
      const lB = Math.floor(l / PARAM_C);
      for (let m = 0; m < MATCH_TARGETS; m++) {
        const root = 2 * m + parity;
        table[base + m] = ((lB + m) % PARAM_B) * PARAM_C + ((root * root + l) % PARAM_C);
      }
    }
  }
  targetTable = table;
  return table;
}

function requireSupportedK(k: number): void {
  if (!Number.isInteger(k) || k < MIN_PLOT_K || k > MAX_PLOT_K) {
    throw new RangeError(`k must be an integer in ${MIN_PLOT_K}..${MAX_PLOT_K}, got ${k}`);
  }
}

/** Table 1: y = F1(x) = (k keystream bits at bit x*k) << 6 | top 6 bits of x; the metadata is x. */
function tableOne(k: number, plotId: Uint8Array): ForwardTable {
  const count = 2 ** k;
  const key = new Uint8Array(32);
  key[0] = 1; // the table index; only plot_id[0..31) follows
  key.set(plotId.subarray(0, 31), 1);
  const keyWords = chachaKeyWords(key);
  const blocks = Math.ceil((count * k) / 512);
  const stream = new Uint32Array(blocks * 16 + 2);
  const block = new Uint32Array(16);
  for (let b = 0; b < blocks; b++) {
    chachaBlock(keyWords, b, 0, 0, 0, block);
    // The keystream bytes are read MSB first, so store each little-endian output word byte-swapped.
    for (let i = 0; i < 16; i++) stream[b * 16 + i] = byteSwap(block[i]);
  }
  const y = new Uint32Array(count);
  const meta = new Uint32Array(count);
  const topShift = k - EXTRA;
  for (let x = 0; x < count; x++) {
    y[x] = ((getBits(stream, x * k, k) << EXTRA) | (x >>> topShift)) >>> 0;
    meta[x] = x;
  }
  return { count, y, meta, chunks: 1, left: new Uint32Array(0), right: new Uint32Array(0) };
}

/** Indices 0..count-1 ordered by bucket (y div kBC), plus each bucket's start offset (counting sort). */
function sortIntoBuckets(table: ForwardTable, bucketCount: number): { order: Uint32Array; starts: Uint32Array } {
  const starts = new Uint32Array(bucketCount + 1);
  const bucketOf = new Uint32Array(table.count);
  for (let i = 0; i < table.count; i++) {
    const bucket = (table.y[i] / BC) >>> 0; // y < 2^32, so truncation is floor
    bucketOf[i] = bucket;
    starts[bucket + 1]++;
  }
  for (let b = 0; b < bucketCount; b++) starts[b + 1] += starts[b];
  const fill = starts.slice(0, bucketCount);
  const order = new Uint32Array(table.count);
  for (let i = 0; i < table.count; i++) order[fill[bucketOf[i]]++] = i;
  return { order, starts };
}

/** Growable output columns of the table being built. */
class TableBuilder {
  count = 0;
  y: Uint32Array;
  meta: Uint32Array;
  left: Uint32Array;
  right: Uint32Array;

  constructor(
    private capacity: number,
    readonly chunks: number,
  ) {
    this.y = new Uint32Array(capacity);
    this.meta = new Uint32Array(capacity * chunks);
    this.left = new Uint32Array(capacity);
    this.right = new Uint32Array(capacity);
  }

  reserveOne(): number {
    if (this.count === this.capacity) {
      this.capacity = Math.ceil(this.capacity * 1.25) + 1024;
      this.y = grow(this.y, this.capacity);
      this.meta = grow(this.meta, this.capacity * this.chunks);
      this.left = grow(this.left, this.capacity);
      this.right = grow(this.right, this.capacity);
    }
    return this.count++;
  }

  finish(): ForwardTable {
    const n = this.count;
    return {
      count: n,
      y: this.y.slice(0, n),
      meta: this.meta.slice(0, n * this.chunks),
      chunks: this.chunks,
      left: this.left.slice(0, n),
      right: this.right.slice(0, n),
    };
  }
}

function grow(array: Uint32Array, length: number): Uint32Array {
  const grown = new Uint32Array(length);
  grown.set(array);
  return grown;
}

/**
 * Fx for table t: BLAKE3(yL || metaL || metaR) packed MSB first. Writes the new entry's y and metadata. Scratch
 * buffers are per call site (the plotter is synchronous).
 */
class FxHasher {
  private readonly message = new Uint32Array(18);
  private readonly messageLE = new Uint32Array(16);
  private readonly hashLE = new Uint32Array(8);
  private readonly hashBE = new Uint32Array(10);
  private readonly inChunks: number;
  private readonly outChunks: number;
  private readonly messageWords: number;
  private readonly messageBytes: number;

  constructor(
    private readonly k: number,
    private readonly t: number,
  ) {
    this.inChunks = CHIAPOS.vectorLens[t];
    this.outChunks = t < 4 ? 2 * this.inChunks : t < 7 ? CHIAPOS.vectorLens[t + 1] : 0;
    const bits = k + EXTRA + 2 * this.inChunks * k;
    this.messageWords = Math.ceil(bits / 32);
    this.messageBytes = Math.ceil(bits / 8);
  }

  get metadataChunks(): number {
    return this.outChunks;
  }

  /** Returns the output y; the metadata goes to outMeta[outOffset..]. */
  hash(yLeft: number, meta: Uint32Array, leftOffset: number, rightOffset: number, outMeta: Uint32Array, outOffset: number): number {
    const { k, inChunks, message, messageLE, hashBE } = this;
    const yBits = k + EXTRA;
    for (let i = 0; i < this.messageWords; i++) message[i] = 0;
    putBits(message, 0, yLeft, yBits);
    let pos = yBits;
    for (let c = 0; c < inChunks; c++, pos += k) putBits(message, pos, meta[leftOffset + c], k);
    for (let c = 0; c < inChunks; c++, pos += k) putBits(message, pos, meta[rightOffset + c], k);
    for (let i = 0; i < this.messageWords; i++) messageLE[i] = byteSwap(message[i]);
    blake3SingleBlock(messageLE, this.messageBytes, this.hashLE);
    for (let i = 0; i < 8; i++) hashBE[i] = byteSwap(this.hashLE[i]);

    if (this.t < 4) {
      // Collation: the two inputs' metadata side by side.
      for (let c = 0; c < inChunks; c++) {
        outMeta[outOffset + c] = meta[leftOffset + c];
        outMeta[outOffset + inChunks + c] = meta[rightOffset + c];
      }
    } else {
      // Tables 4..6 take fresh metadata from the hash bits right after y (none for table 7).
      for (let c = 0; c < this.outChunks; c++) outMeta[outOffset + c] = getBits(hashBE, yBits + c * k, k);
    }
    return getBits(hashBE, 0, yBits);
  }
}

/** All matching (left in bucket b, right in bucket b+1) pairs of `previous`, hashed into table t. */
function nextTable(k: number, t: number, previous: ForwardTable): ForwardTable {
  const targets = matchTargets();
  const bucketCount = Math.floor((2 ** (k + EXTRA) - 1) / BC) + 1;
  const { order, starts } = sortIntoBuckets(previous, bucketCount);
  const hasher = new FxHasher(k, t);
  const out = new TableBuilder(previous.count + (previous.count >>> 3) + 1024, hasher.metadataChunks);
  const inChunks = previous.chunks;
  const { y, meta } = previous;

  // Right-bucket entries by remainder: a linked list per remainder, valid when stamp[r] is the current bucket.
  const stamp = new Int32Array(BC).fill(-1);
  const head = new Int32Array(BC);
  const chain = new Int32Array(previous.count);

  for (let b = 0; b + 1 < bucketCount; b++) {
    const leftStart = starts[b];
    const rightStart = starts[b + 1];
    const rightEnd = starts[b + 2];
    if (leftStart === rightStart || rightStart === rightEnd) continue;
    for (let j = rightStart; j < rightEnd; j++) {
      const r = y[order[j]] % BC;
      chain[j] = stamp[r] === b ? head[r] : -1;
      stamp[r] = b;
      head[r] = j;
    }
    const parityBase = (b & 1) * BC;
    for (let i = leftStart; i < rightStart; i++) {
      const leftIndex = order[i];
      const yLeft = y[leftIndex];
      const base = (parityBase + (yLeft % BC)) * MATCH_TARGETS;
      for (let m = 0; m < MATCH_TARGETS; m++) {
        const target = targets[base + m];
        if (stamp[target] !== b) continue;
        for (let j = head[target]; j >= 0; j = chain[j]) {
          const rightIndex = order[j];
          const slot = out.reserveOne();
          out.left[slot] = leftIndex;
          out.right[slot] = rightIndex;
          out.y[slot] = hasher.hash(yLeft, meta, leftIndex * inChunks, rightIndex * inChunks, out.meta, slot * out.chunks);
        }
      }
    }
  }
  return out.finish();
}

/**
 * Keeps the table-7 entries sorted by their top k bits and, table by table downwards, only the entries they reach,
 * renumbered in ascending order of their forward index.
 */
function keepReachable(k: number, plotId: Uint8Array, links: { left: Uint32Array; right: Uint32Array }[], last: ForwardTable): PlotTables {
  const count7 = last.count;
  // Counting sort of table 7 by f7 = y >> 6 (k bits).
  const f7Starts = new Uint32Array(2 ** k + 1);
  for (let i = 0; i < count7; i++) f7Starts[(last.y[i] >>> EXTRA) + 1]++;
  for (let v = 0; v < 2 ** k; v++) f7Starts[v + 1] += f7Starts[v];
  const sorted = new Uint32Array(count7);
  for (let i = 0; i < count7; i++) sorted[f7Starts[last.y[i] >>> EXTRA]++] = i;

  const f7 = new Uint32Array(count7);
  let pointers = new Uint32Array(2 * count7);
  for (let p = 0; p < count7; p++) {
    const i = sorted[p];
    f7[p] = last.y[i] >>> EXTRA;
    pointers[2 * p] = last.left[i];
    pointers[2 * p + 1] = last.right[i];
  }

  const kept: Uint32Array[] = [pointers];
  // links[t - 1] holds the back-pointers of forward table t (t = 2..6 here; table 1 has none).
  for (let t = 6; t >= 1; t--) {
    const forwardCount = t === 1 ? 2 ** k : links[t - 1].left.length;
    const renumber = new Int32Array(forwardCount).fill(-1);
    for (let i = 0; i < pointers.length; i++) renumber[pointers[i]] = 0;
    let next = 0;
    for (let i = 0; i < forwardCount; i++) if (renumber[i] === 0) renumber[i] = next++;
    for (let i = 0; i < pointers.length; i++) pointers[i] = renumber[pointers[i]];
    const lower = new Uint32Array(t === 1 ? next : 2 * next);
    for (let i = 0; i < forwardCount; i++) {
      const q = renumber[i];
      if (q < 0) continue;
      if (t === 1) {
        lower[q] = i; // table-1 forward index i is x itself
      } else {
        lower[2 * q] = links[t - 1].left[i];
        lower[2 * q + 1] = links[t - 1].right[i];
      }
    }
    if (t === 1) return { k, plotId: Uint8Array.from(plotId), f7, pointers: kept.reverse(), xs: lower };
    kept.push(lower);
    pointers = lower;
  }
  throw new Error('unreachable');
}

/** Result of `plotTables`: the compact tables plus forward statistics for diagnostics. */
export interface PlottingResult {
  readonly tables: PlotTables;
  /** Forward table sizes 1..7 before unreachable entries were dropped. */
  readonly forwardCounts: readonly number[];
}

/** Plots a k-bit plot for `plotId` in memory (synchronous, CPU bound: seconds for k=18). */
export function plotTables(k: number, plotId: Uint8Array): PlottingResult {
  requireSupportedK(k);
  if (!(plotId instanceof Uint8Array) || plotId.length !== 32) throw new RangeError('plot id must be 32 bytes');
  let current = tableOne(k, plotId);
  const forwardCounts = [current.count];
  const links: { left: Uint32Array; right: Uint32Array }[] = [{ left: new Uint32Array(0), right: new Uint32Array(0) }];
  for (let t = 2; t <= 7; t++) {
    current = nextTable(k, t, current);
    forwardCounts.push(current.count);
    links.push({ left: current.left, right: current.right });
  }
  return { tables: keepReachable(k, plotId, links, current), forwardCounts };
}
