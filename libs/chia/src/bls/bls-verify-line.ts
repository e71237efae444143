import { type BlsBackend } from './bls-backend';
import { hexToBytes } from './bls-bytes';
import { PUBLIC_KEY_BYTES, SIGNATURE_BYTES } from './bls-constants';

export type BlsVerifyLineResult = { valid: boolean } | { error: string };

interface VerifyRequest {
  readonly pks: Uint8Array[];
  readonly msgs: Uint8Array[];
  readonly sig: Uint8Array;
}

function decodeHexField(value: unknown, field: string, expectedBytes?: number): Uint8Array {
  if (typeof value !== 'string') throw new Error(`${field} must be a hex string`);
  let bytes: Uint8Array;
  try {
    bytes = hexToBytes(value);
  } catch {
    throw new Error(`${field} is not valid hex (even number of 0-9a-f digits, optional 0x)`);
  }
  if (expectedBytes !== undefined && bytes.length !== expectedBytes) {
    throw new Error(`${field} must be ${expectedBytes} bytes, got ${bytes.length}`);
  }
  return bytes;
}

function parseRequest(input: unknown): VerifyRequest {
  let body = input;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body) as unknown;
    } catch {
      throw new Error('input is not valid JSON');
    }
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new Error('input must be an object {"pks":[hex...],"msgs":[hex...],"sig":hex}');
  }
  const { pks, msgs, sig } = body as Record<string, unknown>;
  if (!Array.isArray(pks) || pks.length === 0) throw new Error('pks must be a non-empty array of hex public keys');
  if (!Array.isArray(msgs)) throw new Error('msgs must be an array of hex messages');
  if (msgs.length !== pks.length) {
    throw new Error(`pks and msgs must have the same length (got ${pks.length} and ${msgs.length})`);
  }
  return {
    pks: pks.map((pk, i) => decodeHexField(pk, `pks[${i}]`, PUBLIC_KEY_BYTES)),
    msgs: msgs.map((msg, i) => decodeHexField(msg, `msgs[${i}]`)),
    sig: decodeHexField(sig, 'sig', SIGNATURE_BYTES),
  };
}

/**
 * One line of `poolctl chia bls-verify`: `{"pks":[hex...],"msgs":[hex...],"sig":hex}` (object or JSON text).
 * One pk is a plain AugSchemeMPL verify, several an aggregate verify. Badly shaped input gives `{error}`;
 * well-shaped bytes that are not valid points simply do not verify.
 */
export function handleBlsVerifyLine(input: unknown, bls: BlsBackend): BlsVerifyLineResult {
  let request: VerifyRequest;
  try {
    request = parseRequest(input);
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
  const { pks, msgs, sig } = request;
  const valid = pks.length === 1 ? bls.verify(pks[0], msgs[0], sig) : bls.aggregateVerify(pks, msgs, sig);
  return { valid };
}
