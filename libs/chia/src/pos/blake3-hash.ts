/**
 * BLAKE3 (unkeyed hash mode, 32-byte output). chiapos hashes every Fx input with it, and those inputs are at most
 * 57 bytes, so the verifier calls the single-block `blake3SingleBlock` directly; `blake3` handles any length (the
 * chunk tree) so the implementation can be checked against the official multi-chunk test vectors.
 */

const IV = new Uint32Array([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

const CHUNK_START = 1;
const CHUNK_END = 2;
const PARENT = 4;
const ROOT = 8;
const BLOCK_LEN = 64;
const CHUNK_LEN = 1024;

/** Message word order for each of the 7 rounds: the fixed permutation applied repeatedly, precomputed once. */
const SCHEDULE: Uint8Array = (() => {
  const permutation = [2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8];
  const schedule = new Uint8Array(7 * 16);
  let order = Array.from({ length: 16 }, (_, i) => i);
  for (let round = 0; round < 7; round++) {
    schedule.set(order, round * 16);
    order = permutation.map((p) => order[p]);
  }
  return schedule;
})();

const state = new Int32Array(16);

/**
 * The compression function. Writes the 8-word chaining value (the first half of the output, which is also the
 * hash for a root node) to `out`. `m` holds the 16 little-endian message words.
 */
function compress(
  cv: Uint32Array,
  m: Uint32Array,
  counterLo: number,
  counterHi: number,
  blockLen: number,
  flags: number,
  out: Uint32Array,
): void {
  const v = state;
  v[0] = cv[0]; v[1] = cv[1]; v[2] = cv[2]; v[3] = cv[3];
  v[4] = cv[4]; v[5] = cv[5]; v[6] = cv[6]; v[7] = cv[7];
  v[8] = IV[0]; v[9] = IV[1]; v[10] = IV[2]; v[11] = IV[3];
  v[12] = counterLo; v[13] = counterHi; v[14] = blockLen; v[15] = flags;
  for (let r = 0; r < 7; r++) {
    const s = r * 16;
    mix(v, 0, 4, 8, 12, m[SCHEDULE[s]], m[SCHEDULE[s + 1]]);
    mix(v, 1, 5, 9, 13, m[SCHEDULE[s + 2]], m[SCHEDULE[s + 3]]);
    mix(v, 2, 6, 10, 14, m[SCHEDULE[s + 4]], m[SCHEDULE[s + 5]]);
    mix(v, 3, 7, 11, 15, m[SCHEDULE[s + 6]], m[SCHEDULE[s + 7]]);
    mix(v, 0, 5, 10, 15, m[SCHEDULE[s + 8]], m[SCHEDULE[s + 9]]);
    mix(v, 1, 6, 11, 12, m[SCHEDULE[s + 10]], m[SCHEDULE[s + 11]]);
    mix(v, 2, 7, 8, 13, m[SCHEDULE[s + 12]], m[SCHEDULE[s + 13]]);
    mix(v, 3, 4, 9, 14, m[SCHEDULE[s + 14]], m[SCHEDULE[s + 15]]);
  }
  for (let i = 0; i < 8; i++) out[i] = v[i] ^ v[i + 8];
}

function mix(v: Int32Array, a: number, b: number, c: number, d: number, mx: number, my: number): void {
  let va = v[a], vb = v[b], vc = v[c], vd = v[d];
  va = (va + vb + mx) | 0; vd ^= va; vd = (vd >>> 16) | (vd << 16);
  vc = (vc + vd) | 0; vb ^= vc; vb = (vb >>> 12) | (vb << 20);
  va = (va + vb + my) | 0; vd ^= va; vd = (vd >>> 8) | (vd << 24);
  vc = (vc + vd) | 0; vb ^= vc; vb = (vb >>> 7) | (vb << 25);
  v[a] = va; v[b] = vb; v[c] = vc; v[d] = vd;
}

/**
 * BLAKE3 of an input that fits one block (0..64 bytes), given as 16 little-endian words already zero-padded past
 * `byteLength`. The 8 output words are little-endian (byte 0 of the hash is the low byte of `out[0]`).
 */
export function blake3SingleBlock(messageWords: Uint32Array, byteLength: number, out: Uint32Array): void {
  compress(IV, messageWords, 0, 0, byteLength, CHUNK_START | CHUNK_END | ROOT, out);
}

/** BLAKE3 hash (default 32-byte output) of any input. */
export function blake3(input: Uint8Array): Uint8Array {
  const block = new Uint32Array(16);
  const cv = new Uint32Array(8);
  const stack: Uint32Array[] = [];
  const chunkCount = Math.max(1, Math.ceil(input.length / CHUNK_LEN));

  // The last block of the last chunk is compressed at the end, with ROOT when it is the only chunk.
  let lastChunkCv = new Uint32Array(IV);
  let lastBlockLen = 0;
  let lastBlockFlags = 0;
  const lastBlock = new Uint32Array(16);

  for (let chunk = 0; chunk < chunkCount; chunk++) {
    const start = chunk * CHUNK_LEN;
    const end = Math.min(input.length, start + CHUNK_LEN);
    const blockCount = Math.max(1, Math.ceil((end - start) / BLOCK_LEN));
    cv.set(IV);
    for (let b = 0; b < blockCount; b++) {
      const from = start + b * BLOCK_LEN;
      const len = Math.min(BLOCK_LEN, end - from);
      loadBlock(input, from, len, block);
      const flags = (b === 0 ? CHUNK_START : 0) | (b === blockCount - 1 ? CHUNK_END : 0);
      if (b === blockCount - 1 && chunk === chunkCount - 1) {
        lastChunkCv = new Uint32Array(cv);
        lastBlock.set(block);
        lastBlockLen = len;
        lastBlockFlags = flags;
      } else {
        compress(cv, block, chunk >>> 0, Math.floor(chunk / 0x100000000), len, flags, cv);
      }
    }
    if (chunk < chunkCount - 1) {
      // Merge completed subtrees: one parent per trailing zero bit of the number of chunks finished so far.
      let merged = new Uint32Array(cv);
      let finished = chunk + 1;
      while ((finished & 1) === 0) {
        merged = parentCv(stack.pop() as Uint32Array, merged, 0);
        finished >>>= 1;
      }
      stack.push(merged);
    }
  }

  const out = new Uint32Array(8);
  const lastChunk = chunkCount - 1;
  if (stack.length === 0) {
    compress(lastChunkCv, lastBlock, lastChunk, 0, lastBlockLen, lastBlockFlags | ROOT, out);
  } else {
    compress(lastChunkCv, lastBlock, lastChunk >>> 0, Math.floor(lastChunk / 0x100000000), lastBlockLen, lastBlockFlags, out);
    let right = new Uint32Array(out);
    while (stack.length > 1) right = parentCv(stack.pop() as Uint32Array, right, 0);
    right = parentCv(stack.pop() as Uint32Array, right, ROOT);
    out.set(right);
  }
  return wordsToBytesLE(out);
}

function parentCv(left: Uint32Array, right: Uint32Array, extraFlags: number): Uint32Array {
  const block = new Uint32Array(16);
  block.set(left, 0);
  block.set(right, 8);
  const out = new Uint32Array(8);
  compress(IV, block, 0, 0, BLOCK_LEN, PARENT | extraFlags, out);
  return out;
}

function loadBlock(input: Uint8Array, from: number, len: number, block: Uint32Array): void {
  block.fill(0);
  for (let i = 0; i < len; i++) block[i >>> 2] |= input[from + i] << (8 * (i & 3));
}

function wordsToBytesLE(words: Uint32Array): Uint8Array {
  const bytes = new Uint8Array(words.length * 4);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (words[i >>> 2] >>> (8 * (i & 3))) & 0xff;
  return bytes;
}
