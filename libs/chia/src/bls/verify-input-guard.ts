import { bytesEqual } from './bls-bytes';
import { G1_INFINITY, G2_INFINITY, PUBLIC_KEY_BYTES, SIGNATURE_BYTES } from './bls-constants';

/*
 * Structural checks every backend runs before touching the curve, so malformed input is rejected the same
 * way everywhere and the WASM module (which reports errors by throwing) is not even called for it.
 */

export function isCandidatePublicKey(pk: unknown): pk is Uint8Array {
  // The identity is a well-formed G1 point but never a usable signer: chia_rs fails it via BLST_PK_IS_INFINITY.
  return pk instanceof Uint8Array && pk.length === PUBLIC_KEY_BYTES && !bytesEqual(pk, G1_INFINITY);
}

export function isCandidateSignature(sig: unknown): sig is Uint8Array {
  return sig instanceof Uint8Array && sig.length === SIGNATURE_BYTES;
}

export function isMessage(msg: unknown): msg is Uint8Array {
  return msg instanceof Uint8Array;
}

/**
 * Decides an aggregate verification without the curve when the shape alone settles it: `false` for any
 * malformed element or length mismatch, the chia_rs empty-list rule (identity signature only) for no pairs,
 * and `undefined` when the pairing check is still needed.
 */
export function settleAggregateByShape(
  pks: readonly unknown[],
  msgs: readonly unknown[],
  sig: unknown,
): boolean | undefined {
  if (!Array.isArray(pks) || !Array.isArray(msgs) || pks.length !== msgs.length) return false;
  if (!isCandidateSignature(sig)) return false;
  if (pks.length === 0) return bytesEqual(sig, G2_INFINITY);
  if (!pks.every(isCandidatePublicKey) || !msgs.every(isMessage)) return false;
  return undefined;
}
