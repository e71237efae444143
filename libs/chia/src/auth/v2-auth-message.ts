import { concatBytes } from '../util/hex';

const UINT64_LIMIT = 1n << 64n;

/**
 * The message a farmer signs for GET /v2/auth: uint64_be(timestamp) || launcher_id || pool_claim_hash, 72 raw
 * bytes, signed as is (not hashed, not a Streamable). The verifying key is the farmer's authentication key
 * derived unhardened at index 12381.
 */
export function buildV2AuthMessage(timestamp: bigint, launcherId: Uint8Array, poolClaimHash: Uint8Array): Uint8Array {
  if (typeof timestamp !== 'bigint' || timestamp < 0n || timestamp >= UINT64_LIMIT) {
    throw new RangeError(`timestamp must be a uint64 bigint, got ${String(timestamp)}`);
  }
  if (launcherId.length !== 32) throw new RangeError(`launcher_id must be 32 bytes, got ${launcherId.length}`);
  if (poolClaimHash.length !== 32) throw new RangeError(`pool_claim_hash must be 32 bytes, got ${poolClaimHash.length}`);
  const timestampBytes = new Uint8Array(8);
  new DataView(timestampBytes.buffer).setBigUint64(0, timestamp, false);
  return concatBytes(timestampBytes, launcherId, poolClaimHash);
}
