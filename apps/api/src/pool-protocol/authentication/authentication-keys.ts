import { authV2PkFromOwnerPk, PoolErrorCode, type BlsBackend } from '@pool/chia';
import { PoolProtocolError } from '../pool-protocol.error';

const NOT_A_KEY = 'invalid request: authentication_public_key is not a valid BLS public key';

/**
 * 48 bytes that are not a G1 point would be stored and then fail every later signature check, locking the
 * farmer out; Chia refuses such a key when it parses the request, so this answers as for a malformed one.
 */
export function requireAuthenticationKey(bls: BlsBackend, key: Uint8Array): void {
  try {
    bls.deriveChildPkUnhardened(key, 0); // throws on bytes that are not a point of G1
  } catch {
    throw new PoolProtocolError(PoolErrorCode.SERVER_EXCEPTION, NOT_A_KEY);
  }
}

/**
 * The v2 protocol signing key: the unhardened child 12381 of the farmer's authentication (synthetic) key. It
 * throws on 48 bytes that are not a G1 point.
 */
export function v2SigningKey(bls: BlsBackend, authenticationPublicKey: Uint8Array): Uint8Array {
  return authV2PkFromOwnerPk(bls, authenticationPublicKey);
}

/** The v2 signing key of a key the farmer sent, refused as a malformed request when it is not a point. */
export function requireV2SigningKey(bls: BlsBackend, authenticationPublicKey: Uint8Array): Uint8Array {
  try {
    return v2SigningKey(bls, authenticationPublicKey);
  } catch {
    throw new PoolProtocolError(PoolErrorCode.SERVER_EXCEPTION, NOT_A_KEY);
  }
}
