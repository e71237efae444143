import { verifyProof } from './proof-verifier';
import { requiredIterations } from './required-iterations';
import { bytesToHex } from '../util/hex';

/**
 * Line handlers for `poolctl chia ...`: one parsed JSON value in, one JSON-ready object out. Malformed input gives
 * `{ error }`; a well-formed but invalid proof gives `{ valid: false, reason }`. Neither throws.
 */

export type VerifyProofLineResult = { valid: true; quality: string } | { valid: false; reason: string } | { error: string };
export type ItersLineResult = { required_iters: string } | { error: string };

class LineInputError extends Error {}

function requireObject(input: unknown): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new LineInputError('input must be a JSON object');
  }
  return input as Record<string, unknown>;
}

function hexField(record: Record<string, unknown>, name: string, byteLength?: number): Uint8Array {
  const value = record[name];
  if (typeof value !== 'string') throw new LineInputError(`"${name}" must be a hex string`);
  const digits = value.startsWith('0x') || value.startsWith('0X') ? value.slice(2) : value;
  if (digits.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(digits)) {
    throw new LineInputError(`"${name}" is not valid hex (even number of 0-9a-f digits, optional 0x)`);
  }
  const bytes = Uint8Array.from(Buffer.from(digits, 'hex'));
  if (byteLength !== undefined && bytes.length !== byteLength) {
    throw new LineInputError(`"${name}" must be ${byteLength} bytes, got ${bytes.length}`);
  }
  return bytes;
}

function integerField(record: Record<string, unknown>, name: string): number {
  const value = record[name];
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new LineInputError(`"${name}" must be an integer`);
  return value;
}

/** A uint64 given as a JSON integer or a decimal string (for values past 2^53). */
function uint64Field(record: Record<string, unknown>, name: string): bigint {
  const value = record[name];
  let parsed: bigint;
  if (typeof value === 'bigint') parsed = value; // from an exact JSON parser, for values past 2^53
  else if (typeof value === 'number' && Number.isSafeInteger(value)) parsed = BigInt(value);
  else if (typeof value === 'string' && /^[0-9]+$/.test(value)) parsed = BigInt(value);
  else throw new LineInputError(`"${name}" must be a non-negative integer (number or decimal string)`);
  if (parsed < 0n || parsed >= 1n << 64n) throw new LineInputError(`"${name}" must fit in 64 bits`);
  return parsed;
}


function asError(error: unknown): { error: string } {
  if (error instanceof LineInputError) return { error: error.message };
  return { error: `unexpected failure: ${error instanceof Error ? error.message : String(error)}` };
}

/** In: {"k":32,"plot_id":hex,"challenge":hex,"proof":hex}. Out: {"valid":true,"quality":hex} or {"valid":false,"reason"}. */
export function handleVerifyProofLine(input: unknown): VerifyProofLineResult {
  try {
    const record = requireObject(input);
    const k = integerField(record, 'k');
    const plotId = hexField(record, 'plot_id', 32);
    const challenge = hexField(record, 'challenge', 32);
    const proof = hexField(record, 'proof');
    const result = verifyProof(k, plotId, challenge, proof);
    return result.valid ? { valid: true, quality: bytesToHex(result.quality) } : { valid: false, reason: result.reason };
  } catch (error) {
    return asError(error);
  }
}

/**
 * In: {"quality":hex,"sp_hash":hex,"k":n,"difficulty":n} (difficulty may be a decimal string; an optional
 * "difficulty_constant_factor" overrides 2^67). Out: {"required_iters":"decimal"}.
 */
export function handleItersLine(input: unknown): ItersLineResult {
  try {
    const record = requireObject(input);
    const quality = hexField(record, 'quality', 32);
    const spHash = hexField(record, 'sp_hash', 32);
    const k = integerField(record, 'k');
    if (k < 1 || k > 255) throw new LineInputError('"k" must be between 1 and 255');
    const difficulty = uint64Field(record, 'difficulty');
    const factor = record.difficulty_constant_factor === undefined ? undefined : uint64Field(record, 'difficulty_constant_factor');
    return { required_iters: requiredIterations(quality, spHash, k, difficulty, factor).toString() };
  } catch (error) {
    return asError(error);
  }
}
