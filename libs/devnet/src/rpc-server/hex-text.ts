import { JsonShapeError } from '@pool/chia';

/**
 * Hex bytes between the chain types (lowercase, no `0x`) and Chia's JSON (lowercase, `0x`). Both directions
 * validate, so a malformed request field is refused naming the field, and a simulator bug that produces a
 * bad hash fails here instead of reaching the pool as something it would misread.
 */

/** Request hex (with or without `0x`, any case) as the chain types hold it. */
export function fromWireHex(value: unknown, path: string, byteLength?: number): string {
  const expected = byteLength === undefined ? 'hex bytes' : `${byteLength} bytes of hex`;
  if (typeof value !== 'string') throw new JsonShapeError(path, expected, value);
  const digits = value.startsWith('0x') || value.startsWith('0X') ? value.slice(2) : value;
  const lengthOk = byteLength === undefined ? digits.length % 2 === 0 : digits.length === byteLength * 2;
  if (!lengthOk || !/^[0-9a-fA-F]*$/.test(digits)) throw new JsonShapeError(path, expected, value);
  return digits.toLowerCase();
}

/** Chain-type hex as Chia's JSON writes it. */
export function toWireHex(value: string, path: string, byteLength?: number): string {
  return `0x${fromWireHex(value, path, byteLength)}`;
}
