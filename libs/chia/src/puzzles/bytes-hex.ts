import { type Hex } from '../chain/chain-types';
import { bytesEqual, bytesToHex, concatBytes, hexToBytes } from '../util/hex';

// Hex helpers of the puzzle code; `Hex` (lowercase, no `0x`) is the shared chain type.

/**
 * Decodes hex written the way Chia accepts it (with or without `0x`/`0X`, any case).
 * `label` names the value in the error so a caller's message says which field was wrong.
 */
export function parseHex(input: string, label = 'value', expectedLength?: number): Uint8Array {
  return hexToBytes(input, expectedLength, { label });
}

export function parseBytes32(input: string, label = 'value'): Uint8Array {
  return parseHex(input, label, 32);
}

/** Normalizes a hex string (validating it) to lowercase without `0x`. */
export function normalizeHex(input: string, label = 'value', expectedLength?: number): Hex {
  return toHex(parseHex(input, label, expectedLength));
}

export function toHex(bytes: Uint8Array): Hex {
  return bytesToHex(bytes);
}

export { bytesEqual, concatBytes };

export { sha256 } from '../util/hash';

/**
 * CLVM's integer atom: shortest big-endian two's complement (0 is the empty atom). Chia uses the same
 * bytes for a coin amount inside a coin id, and curried integers are hashed as these atoms.
 */
export function clvmIntBytes(value: bigint): Uint8Array {
  if (value === 0n) return new Uint8Array(0);
  const bytes: number[] = [];
  let rest = value;
  // Emit low bytes until the remaining value is pure sign extension of the last byte's top bit.
  for (;;) {
    const byte = Number(BigInt.asUintN(8, rest));
    bytes.unshift(byte);
    rest >>= 8n;
    const signBitSet = (byte & 0x80) !== 0;
    if ((rest === 0n && !signBitSet) || (rest === -1n && signBitSet)) break;
  }
  return Uint8Array.from(bytes);
}

/** Fixed-width unsigned big-endian, as streamable and Chia's coinbase parent ids write integers. */
export function uintBytesBE(value: bigint, width: number): Uint8Array {
  if (value < 0n || value >= 1n << BigInt(width * 8)) {
    throw new RangeError(`${value} does not fit in ${width} unsigned bytes`);
  }
  const out = new Uint8Array(width);
  let rest = value;
  for (let i = width - 1; i >= 0; i--) {
    out[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return out;
}

export function readUintBE(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}
