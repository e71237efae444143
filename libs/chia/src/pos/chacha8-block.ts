/**
 * ChaCha block function in the original (DJB) layout that chiapos uses for F1: a 64-bit block counter in words 12-13
 * and a 64-bit nonce in words 14-15. Node's crypto only offers the IETF layout, and a third-party ChaCha8 would need a
 * counter mapping that breaks at a 32-bit wrap (reachable for k >= 36), so the block function lives here.
 */

const SIGMA0 = 0x61707865;
const SIGMA1 = 0x3320646e;
const SIGMA2 = 0x79622d32;
const SIGMA3 = 0x6b206574;

/** The 32-byte key as the eight little-endian words the state expects. */
export function chachaKeyWords(key: Uint8Array): Uint32Array {
  if (key.length !== 32) throw new RangeError(`ChaCha key must be 32 bytes, got ${key.length}`);
  const words = new Uint32Array(8);
  for (let i = 0; i < 8; i++) {
    words[i] = (key[4 * i] | (key[4 * i + 1] << 8) | (key[4 * i + 2] << 16) | (key[4 * i + 3] << 24)) >>> 0;
  }
  return words;
}

/**
 * One 64-byte keystream block as 16 little-endian words written to `out`. `rounds` is the total round count (8 for
 * chiapos; 20 lets the same code be checked against Node's chacha20). Counter and nonce halves are unsigned 32-bit.
 */
export function chachaBlock(
  keyWords: Uint32Array,
  counterLo: number,
  counterHi: number,
  nonceLo: number,
  nonceHi: number,
  out: Uint32Array,
  rounds = 8,
): void {
  const k0 = keyWords[0], k1 = keyWords[1], k2 = keyWords[2], k3 = keyWords[3];
  const k4 = keyWords[4], k5 = keyWords[5], k6 = keyWords[6], k7 = keyWords[7];
  let x0 = SIGMA0, x1 = SIGMA1, x2 = SIGMA2, x3 = SIGMA3;
  let x4 = k0, x5 = k1, x6 = k2, x7 = k3, x8 = k4, x9 = k5, x10 = k6, x11 = k7;
  let x12 = counterLo | 0, x13 = counterHi | 0, x14 = nonceLo | 0, x15 = nonceHi | 0;
  for (let r = 0; r < rounds; r += 2) {
    // Column round.
    x0 = (x0 + x4) | 0; x12 ^= x0; x12 = (x12 << 16) | (x12 >>> 16);
    x8 = (x8 + x12) | 0; x4 ^= x8; x4 = (x4 << 12) | (x4 >>> 20);
    x0 = (x0 + x4) | 0; x12 ^= x0; x12 = (x12 << 8) | (x12 >>> 24);
    x8 = (x8 + x12) | 0; x4 ^= x8; x4 = (x4 << 7) | (x4 >>> 25);

    x1 = (x1 + x5) | 0; x13 ^= x1; x13 = (x13 << 16) | (x13 >>> 16);
    x9 = (x9 + x13) | 0; x5 ^= x9; x5 = (x5 << 12) | (x5 >>> 20);
    x1 = (x1 + x5) | 0; x13 ^= x1; x13 = (x13 << 8) | (x13 >>> 24);
    x9 = (x9 + x13) | 0; x5 ^= x9; x5 = (x5 << 7) | (x5 >>> 25);

    x2 = (x2 + x6) | 0; x14 ^= x2; x14 = (x14 << 16) | (x14 >>> 16);
    x10 = (x10 + x14) | 0; x6 ^= x10; x6 = (x6 << 12) | (x6 >>> 20);
    x2 = (x2 + x6) | 0; x14 ^= x2; x14 = (x14 << 8) | (x14 >>> 24);
    x10 = (x10 + x14) | 0; x6 ^= x10; x6 = (x6 << 7) | (x6 >>> 25);

    x3 = (x3 + x7) | 0; x15 ^= x3; x15 = (x15 << 16) | (x15 >>> 16);
    x11 = (x11 + x15) | 0; x7 ^= x11; x7 = (x7 << 12) | (x7 >>> 20);
    x3 = (x3 + x7) | 0; x15 ^= x3; x15 = (x15 << 8) | (x15 >>> 24);
    x11 = (x11 + x15) | 0; x7 ^= x11; x7 = (x7 << 7) | (x7 >>> 25);

    // Diagonal round.
    x0 = (x0 + x5) | 0; x15 ^= x0; x15 = (x15 << 16) | (x15 >>> 16);
    x10 = (x10 + x15) | 0; x5 ^= x10; x5 = (x5 << 12) | (x5 >>> 20);
    x0 = (x0 + x5) | 0; x15 ^= x0; x15 = (x15 << 8) | (x15 >>> 24);
    x10 = (x10 + x15) | 0; x5 ^= x10; x5 = (x5 << 7) | (x5 >>> 25);

    x1 = (x1 + x6) | 0; x12 ^= x1; x12 = (x12 << 16) | (x12 >>> 16);
    x11 = (x11 + x12) | 0; x6 ^= x11; x6 = (x6 << 12) | (x6 >>> 20);
    x1 = (x1 + x6) | 0; x12 ^= x1; x12 = (x12 << 8) | (x12 >>> 24);
    x11 = (x11 + x12) | 0; x6 ^= x11; x6 = (x6 << 7) | (x6 >>> 25);

    x2 = (x2 + x7) | 0; x13 ^= x2; x13 = (x13 << 16) | (x13 >>> 16);
    x8 = (x8 + x13) | 0; x7 ^= x8; x7 = (x7 << 12) | (x7 >>> 20);
    x2 = (x2 + x7) | 0; x13 ^= x2; x13 = (x13 << 8) | (x13 >>> 24);
    x8 = (x8 + x13) | 0; x7 ^= x8; x7 = (x7 << 7) | (x7 >>> 25);

    x3 = (x3 + x4) | 0; x14 ^= x3; x14 = (x14 << 16) | (x14 >>> 16);
    x9 = (x9 + x14) | 0; x4 ^= x9; x4 = (x4 << 12) | (x4 >>> 20);
    x3 = (x3 + x4) | 0; x14 ^= x3; x14 = (x14 << 8) | (x14 >>> 24);
    x9 = (x9 + x14) | 0; x4 ^= x9; x4 = (x4 << 7) | (x4 >>> 25);
  }
  out[0] = x0 + SIGMA0; out[1] = x1 + SIGMA1; out[2] = x2 + SIGMA2; out[3] = x3 + SIGMA3;
  out[4] = x4 + k0; out[5] = x5 + k1; out[6] = x6 + k2; out[7] = x7 + k3;
  out[8] = x8 + k4; out[9] = x9 + k5; out[10] = x10 + k6; out[11] = x11 + k7;
  out[12] = x12 + counterLo; out[13] = x13 + counterHi; out[14] = x14 + nonceLo; out[15] = x15 + nonceHi;
}

/**
 * `blockCount` consecutive keystream blocks as bytes, starting at the 64-bit block counter `startBlock`.
 * Convenience for tests and tools; the verifier calls `chachaBlock` directly.
 */
export function chachaKeystream(
  key: Uint8Array,
  nonce: Uint8Array,
  startBlock: bigint,
  blockCount: number,
  rounds = 8,
): Uint8Array {
  if (nonce.length !== 8) throw new RangeError(`ChaCha (DJB layout) nonce must be 8 bytes, got ${nonce.length}`);
  const keyWords = chachaKeyWords(key);
  const nonceLo = (nonce[0] | (nonce[1] << 8) | (nonce[2] << 16) | (nonce[3] << 24)) >>> 0;
  const nonceHi = (nonce[4] | (nonce[5] << 8) | (nonce[6] << 16) | (nonce[7] << 24)) >>> 0;
  const out = new Uint8Array(64 * blockCount);
  const words = new Uint32Array(16);
  for (let b = 0; b < blockCount; b++) {
    const counter = BigInt.asUintN(64, startBlock + BigInt(b));
    chachaBlock(keyWords, Number(counter & 0xffffffffn), Number(counter >> 32n), nonceLo, nonceHi, words, rounds);
    for (let i = 0; i < 64; i++) out[64 * b + i] = (words[i >>> 2] >>> (8 * (i & 3))) & 0xff;
  }
  return out;
}
