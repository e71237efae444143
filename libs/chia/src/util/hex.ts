const HEX_DIGITS = /^[0-9a-fA-F]*$/;

export class HexFormatError extends Error {
  override readonly name = 'HexFormatError';
}

export interface HexToBytesOptions {
  /** Used in error messages so the caller can see which value was wrong. */
  readonly label?: string;
}

/**
 * Strict hex decoding in the shape Chia accepts (`hexstr_to_bytes`): an optional `0x`/`0X` prefix, then an
 * even number of hex digits of either case. Whitespace, odd lengths and other characters are rejected rather
 * than silently skipped, because a pool must never act on a half-parsed key or hash.
 */
export function hexToBytes(hex: string, expectedLength?: number, options: HexToBytesOptions = {}): Uint8Array {
  const label = options.label ?? 'hex value';
  if (typeof hex !== 'string') {
    throw new HexFormatError(`${label}: expected a hex string, got ${describeType(hex)}`);
  }
  const digits = hex.startsWith('0x') || hex.startsWith('0X') ? hex.slice(2) : hex;
  if (!HEX_DIGITS.test(digits)) {
    throw new HexFormatError(`${label}: contains a character that is not a hex digit`);
  }
  if (digits.length % 2 !== 0) {
    throw new HexFormatError(`${label}: odd number of hex digits (${digits.length})`);
  }
  const byteLength = digits.length / 2;
  if (expectedLength !== undefined && byteLength !== expectedLength) {
    throw new HexFormatError(`${label}: expected ${expectedLength} bytes, got ${byteLength}`);
  }
  return Uint8Array.from(Buffer.from(digits, 'hex'));
}

export interface BytesToHexOptions {
  /** Prepend `0x`, as Chia does in its JSON form. Defaults to false (the form Chia stores in databases). */
  readonly prefix?: boolean;
}

/** Lowercase hex of the bytes, optionally `0x`-prefixed. */
export function bytesToHex(bytes: Uint8Array, options: BytesToHexOptions = {}): string {
  const digits = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
  return options.prefix === true ? `0x${digits}` : digits;
}

/** Byte-wise equality (not constant-time: use node:crypto timingSafeEqual for secrets). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) {
    if (a[i] !== b[i]) return false;
  }
  return true;
}

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
