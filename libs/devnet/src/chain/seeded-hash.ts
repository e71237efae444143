import { createHash } from 'node:crypto';

/** One part of a derivation: text, a number (written as decimal text) or raw bytes. */
export type SeedPart = string | number | bigint | Uint8Array;

/**
 * sha256 over a seed and labelled parts, each length-prefixed so ("ab","c") and ("a","bc") differ. Every
 * simulated hash comes from here, so the same seed gives the same chain.
 */
export function seededHash(seed: string, ...parts: SeedPart[]): Uint8Array {
  const hash = createHash('sha256');
  for (const part of [seed, ...parts]) {
    const bytes = typeof part === 'string' || typeof part === 'number' || typeof part === 'bigint'
      ? Buffer.from(String(part), 'utf8')
      : Buffer.from(part);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    hash.update(length).update(bytes);
  }
  return new Uint8Array(hash.digest());
}

export function seededHex(seed: string, ...parts: SeedPart[]): string {
  return Buffer.from(seededHash(seed, ...parts)).toString('hex');
}

/** `length` deterministic bytes (e.g. a 100-byte classgroup element). */
export function seededBytes(length: number, seed: string, ...parts: SeedPart[]): Uint8Array {
  const out = new Uint8Array(length);
  for (let offset = 0, block = 0; offset < length; offset += 32, block++) {
    out.set(seededHash(seed, ...parts, 'block', block).subarray(0, Math.min(32, length - offset)), offset);
  }
  return out;
}
