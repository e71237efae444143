import { createHash } from 'node:crypto';
import { chachaKeystream } from './chacha8-block';
import { FX_META_SLOT_WORDS, fxWords, verifyProof } from './proof-verifier';

/**
 * Without the shared vectors there is no chiapos proof to test against, so this file plots one: a brute-force
 * forward pass over all 2^18 x values of a k=18 "plot". F1 comes straight from the ChaCha8 keystream bytes and
 * matches from enumerating the 64 targets of each left entry, independent of the verifier's code; Fx reuses
 * `fxWords` for speed (proof-verifier.spec checks the same Fx against a bigint BLAKE3 reference for every table and k).
 * Any table-7 entry then yields a proof (its 64 x values in tree order) for a challenge whose first k bits are f7,
 * which exercises the verifier's tree walk, bucket rule, final check and quality string end to end.
 */

const K = 18;
const BC = 15113;
/** (2m + parity)^2 mod 127 for parity 0 (indices 0..63) and 1 (64..127). */
const SQUARES_MOD_C = Int32Array.from({ length: 128 }, (_, i) => {
  const value = 2 * (i % 64) + (i >= 64 ? 1 : 0);
  return (value * value) % 127;
});

const SLOT = FX_META_SLOT_WORDS;

interface Table {
  y: Int32Array;
  /** Left-aligned metadata words, SLOT words per entry. */
  meta: Uint32Array;
  left: Int32Array;
  right: Int32Array;
}

function bitsAt(bytes: Uint8Array, start: number, count: number): number {
  let value = 0;
  for (let i = 0; i < count; i++) {
    const bit = start + i;
    value = value * 2 + ((bytes[bit >>> 3] >> (7 - (bit & 7))) & 1);
  }
  return value;
}

function tableOne(plotId: Uint8Array): Table {
  const key = new Uint8Array(32);
  key[0] = 1;
  key.set(plotId.subarray(0, 31), 1);
  const count = 1 << K;
  const stream = chachaKeystream(key, new Uint8Array(8), 0n, Math.ceil((count * K) / 512) + 1);
  const y = new Int32Array(count);
  const meta = new Uint32Array(count * SLOT);
  for (let x = 0; x < count; x++) {
    y[x] = bitsAt(stream, x * K, K) * 64 + (x >>> (K - 6));
    meta[x * SLOT] = x << (32 - K);
  }
  return { y, meta, left: new Int32Array(0), right: new Int32Array(0) };
}

/** All matches between adjacent buckets, by enumerating the 64 targets of each left entry. */
function nextTable(t: number, previous: Table): Table {
  // Sort indices by y without a comparator: y (24 bits) and index (< 2^21) packed into one exact double.
  const keys = new Float64Array(previous.y.length);
  for (let i = 0; i < keys.length; i++) keys[i] = previous.y[i] * 2097152 + i;
  keys.sort();
  const order = Int32Array.from(keys, (key) => key % 2097152);
  const ys: number[] = [];
  let metas = new Uint32Array(previous.y.length * 2 * SLOT);
  const lefts: number[] = [];
  const rights: number[] = [];
  // Right-bucket entries by remainder: a chained index, valid where stamp[r] equals the current bucket + 1.
  const stamp = new Int32Array(BC).fill(-1);
  const head = new Int32Array(BC);
  const chain = new Int32Array(order.length);
  let start = 0;
  while (start < order.length) {
    const bucket = ((previous.y[order[start]] / BC) | 0);
    let end = start;
    while (end < order.length && ((previous.y[order[end]] / BC) | 0) === bucket) end++;
    let nextEnd = end;
    while (nextEnd < order.length && ((previous.y[order[nextEnd]] / BC) | 0) === bucket + 1) nextEnd++;
    for (let j = end; j < nextEnd; j++) {
      const r = previous.y[order[j]] % BC;
      chain[j] = stamp[r] === bucket + 1 ? head[r] : -1;
      stamp[r] = bucket + 1;
      head[r] = j;
    }
    const parityOffset = (bucket % 2) * 64;
    for (let i = start; i < end; i++) {
      const leftIndex = order[i];
      const l = previous.y[leftIndex] % BC;
      const lB = (l / 127) | 0;
      const lC = l % 127;
      for (let m = 0; m < 64; m++) {
        // target = ((l div 127 + m) mod 119) * 127 + (((2m + parity)^2 + l) mod 127), without divisions in the loop.
        const b = lB + m < 119 ? lB + m : lB + m - 119;
        const c = SQUARES_MOD_C[parityOffset + m] + lC;
        const target = b * 127 + (c < 127 ? c : c - 127);
        if (stamp[target] !== bucket + 1) continue;
        for (let j = head[target]; j >= 0; j = chain[j]) {
          const rightIndex = order[j];
          if ((ys.length + 1) * SLOT > metas.length) {
            const grown = new Uint32Array(metas.length * 2);
            grown.set(metas);
            metas = grown;
          }
          ys.push(fxWords(K, t, previous.y[leftIndex], previous.meta, leftIndex * SLOT, rightIndex * SLOT, metas, ys.length * SLOT));
          lefts.push(leftIndex);
          rights.push(rightIndex);
        }
      }
    }
    start = end;
  }
  return { y: Int32Array.from(ys), meta: metas, left: Int32Array.from(lefts), right: Int32Array.from(rights) };
}

function plotOneProof(plotId: Uint8Array): { proof: Uint8Array; challenge: Uint8Array } {
  const tables: Table[] = [tableOne(plotId)];
  for (let t = 2; t <= 7; t++) tables.push(nextTable(t, tables[t - 2]));
  const last = tables[6];
  if (last.y.length === 0) throw new Error('no table-7 entry for this plot id');
  // Walk back from table 7 entry 0: left subtree first gives proof order.
  let indices = [0];
  for (let t = 7; t >= 2; t--) {
    const table = tables[t - 1];
    indices = indices.flatMap((i) => [table.left[i], table.right[i]]);
  }
  let packed = 0n;
  for (const x of indices) packed = (packed << BigInt(K)) | BigInt(x);
  const proof = Buffer.from(packed.toString(16).padStart(K * 16, '0'), 'hex');
  const challenge = createHash('sha256').update('self-plotted challenge').digest();
  const f7Top = last.y[0] >> 6;
  // The first 18 challenge bits must be f7's top bits; the rest stay arbitrary.
  challenge[0] = f7Top >>> 10;
  challenge[1] = (f7Top >>> 2) & 0xff;
  challenge[2] = ((f7Top & 3) << 6) | (challenge[2] & 0x3f);
  return { proof: Uint8Array.from(proof), challenge: Uint8Array.from(challenge) };
}

describe('a proof plotted by an independent brute-force k=18 plotter', () => {
  const plotId = Uint8Array.from(createHash('sha256').update('tiny plot').digest());
  const { proof, challenge } = plotOneProof(plotId);
  const accepted = verifyProof(K, plotId, challenge, proof);

  it('is accepted, with a quality string', () => {
    expect(accepted.valid).toBe(true);
    if (accepted.valid) expect(accepted.quality).toHaveLength(32);
  });

  it('the quality is sha256(challenge || two x values of the proof, packed MSB first)', () => {
    if (!accepted.valid) throw new Error('proof rejected');
    const xs = Array.from({ length: 64 }, (_, i) => bitsAt(proof, i * K, K));
    const candidates = xs.flatMap((a) => xs.map((b) => (BigInt(a) << 18n) | BigInt(b)));
    const hashes = candidates.map((pair) =>
      createHash('sha256').update(challenge).update(Buffer.from((pair << 4n).toString(16).padStart(10, '0'), 'hex')).digest('hex'),
    );
    expect(hashes).toContain(Buffer.from(accepted.quality).toString('hex'));
  });

  it('every single-bit flip of the proof is rejected', () => {
    for (let bit = 0; bit < proof.length * 8; bit++) {
      const mutated = Uint8Array.from(proof);
      mutated[bit >>> 3] ^= 0x80 >>> (bit & 7);
      expect(verifyProof(K, plotId, challenge, mutated).valid).toBe(false);
    }
  });

  it('swapping the two x values of the first pair is rejected', () => {
    const xs = Array.from({ length: 64 }, (_, i) => bitsAt(proof, i * K, K));
    [xs[0], xs[1]] = [xs[1], xs[0]];
    let packed = 0n;
    for (const x of xs) packed = (packed << BigInt(K)) | BigInt(x);
    const swapped = Uint8Array.from(Buffer.from(packed.toString(16).padStart(K * 16, '0'), 'hex'));
    expect(verifyProof(K, plotId, challenge, swapped).valid).toBe(false);
  });

  it('a challenge that differs in its first k bits is rejected; one differing later is accepted', () => {
    for (let bit = 0; bit < K; bit++) {
      const mutated = Uint8Array.from(challenge);
      mutated[bit >>> 3] ^= 0x80 >>> (bit & 7);
      expect(verifyProof(K, plotId, mutated, proof).valid).toBe(false);
    }
    const later = Uint8Array.from(challenge);
    later[20] ^= 1;
    const result = verifyProof(K, plotId, later, proof);
    expect(result.valid).toBe(true);
    if (result.valid && accepted.valid) expect(result.quality).not.toEqual(accepted.quality);
  });

  it('a different plot id byte 0 is rejected, byte 31 is ignored', () => {
    const first = Uint8Array.from(plotId);
    first[0] ^= 1;
    expect(verifyProof(K, first, challenge, proof).valid).toBe(false);
    const lastByte = Uint8Array.from(plotId);
    lastByte[31] ^= 0xff;
    expect(verifyProof(K, lastByte, challenge, proof)).toEqual(accepted);
  });

  it('the same bytes are not a proof for a different k', () => {
    expect(verifyProof(K + 1, plotId, challenge, proof).valid).toBe(false);
  });
});
