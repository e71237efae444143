/**
 * Bit strings as arrays of big-endian 32-bit words (bit 0 is the MSB of word 0), which is how chiapos packs every
 * value it hashes. All values handled here are at most 32 bits wide; positions may exceed 2^31 (large serialized
 * plots), so word indices are computed with division rather than `>>> 5`.
 */

// Jest runs modules in a vm context where every global lookup (such as `Math`) is slow; hot paths use this alias.
const floor = Math.floor;

export function byteSwap(word: number): number {
  return ((word >>> 24) | ((word >>> 8) & 0xff00) | ((word << 8) & 0xff0000) | (word << 24)) >>> 0;
}

/** ORs the low `width` (1..32) bits of `value` into the zeroed bit range [pos, pos+width) of `words`. */
export function putBits(words: Uint32Array, pos: number, value: number, width: number): void {
  const index = floor(pos / 32);
  const shift = pos - index * 32;
  const end = shift + width;
  if (end <= 32) {
    words[index] |= value << (32 - end);
  } else {
    words[index] |= value >>> (end - 32);
    words[index + 1] |= value << (64 - end);
  }
}

/** Reads `width` (1..32) bits at `pos`. The array needs one readable word past the last bit. */
export function getBits(words: Uint32Array, pos: number, width: number): number {
  const index = floor(pos / 32);
  const shift = pos - index * 32;
  if (shift + width <= 32) return ((words[index] << shift) >>> 0) >>> (32 - width);
  return (((words[index] << shift) | (words[index + 1] >>> (32 - shift))) >>> 0) >>> (32 - width);
}

/** Number of bits needed to index `count` entries (at least 1). */
export function indexWidth(count: number): number {
  let width = 1;
  while (2 ** width < count) width++;
  return width;
}

/** The first `byteCount` bytes of a big-endian word array. */
export function wordsToBytes(words: Uint32Array, byteCount: number): Uint8Array {
  const bytes = new Uint8Array(byteCount);
  const whole = Math.floor(byteCount / 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < whole; i++) view.setUint32(4 * i, words[i], false);
  for (let i = whole * 4; i < byteCount; i++) bytes[i] = (words[i >>> 2] >>> (24 - 8 * (i & 3))) & 0xff;
  return bytes;
}

/** Bytes as big-endian words, with `spareWords` zero words appended so `getBits` can read past the end. */
export function bytesToWords(bytes: Uint8Array, spareWords = 2): Uint32Array {
  const words = new Uint32Array(Math.ceil(bytes.length / 4) + spareWords);
  const whole = Math.floor(bytes.length / 4);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < whole; i++) words[i] = view.getUint32(4 * i, false);
  for (let i = whole * 4; i < bytes.length; i++) words[i >>> 2] |= bytes[i] << (24 - 8 * (i & 3));
  return words;
}
