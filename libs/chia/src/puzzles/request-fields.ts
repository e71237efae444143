import { type Hex } from '../chain/chain-types';
import { normalizeHex } from './bytes-hex';

/** One NDJSON request line of a `poolctl chia` command: a JSON object, or its text. */
export function readJsonObject(input: unknown): Record<string, unknown> {
  let request = input;
  if (typeof request === 'string') {
    try {
      request = JSON.parse(request);
    } catch {
      throw new Error('input is not valid JSON');
    }
  }
  if (request === null || typeof request !== 'object' || Array.isArray(request)) throw new Error('input must be a JSON object');
  return request as Record<string, unknown>;
}

/** A required hex field of `bytes` bytes (optional 0x), as lowercase hex without it. */
export function readHexField(fields: Record<string, unknown>, field: string, bytes: number): Hex {
  const value = fields[field];
  if (value === undefined) throw new Error(`missing "${field}"`);
  if (typeof value !== 'string') throw new Error(`"${field}" must be a hex string`);
  try {
    return normalizeHex(value, field, bytes);
  } catch {
    throw new Error(`"${field}" must be ${bytes} bytes of hex (${bytes * 2} hex digits, optional 0x)`);
  }
}
