import { requireLength, sha256 } from './pos-hashing';

/** v1 plot id of a pool-contract (plot NFT) plot: sha256(pool_contract_puzzle_hash || plot_public_key). */
export function plotIdFromPoolContractPuzzleHash(poolContractPuzzleHash: Uint8Array, plotPublicKey: Uint8Array): Uint8Array {
  requireLength('pool contract puzzle hash', poolContractPuzzleHash, 32);
  requireLength('plot public key', plotPublicKey, 48);
  return sha256(poolContractPuzzleHash, plotPublicKey);
}

/** v1 plot id of an OG plot: sha256(pool_public_key || plot_public_key), both as 48-byte G1 encodings. */
export function plotIdFromPoolPublicKey(poolPublicKey: Uint8Array, plotPublicKey: Uint8Array): Uint8Array {
  requireLength('pool public key', poolPublicKey, 48);
  requireLength('plot public key', plotPublicKey, 48);
  return sha256(poolPublicKey, plotPublicKey);
}

/** Chia's names for the two v1 forms. */
export const calculatePlotIdPh = plotIdFromPoolContractPuzzleHash;
export const calculatePlotIdPk = plotIdFromPoolPublicKey;

/**
 * v2 (CHIP-48) plot id: sha256(sha256(strength || plot_pk || pool_pk_or_contract_ph) || plot_index u16 BE || meta_group).
 * `pool` is either a 48-byte pool public key or a 32-byte pool contract puzzle hash.
 */
export function plotIdV2(
  strength: number,
  plotPublicKey: Uint8Array,
  pool: Uint8Array,
  plotIndex: number,
  metaGroup: number,
): Uint8Array {
  requireLength('plot public key', plotPublicKey, 48);
  if (pool.length !== 48 && pool.length !== 32) {
    throw new RangeError(`pool must be a 48-byte public key or a 32-byte puzzle hash, got ${pool.length} bytes`);
  }
  requireByte('strength', strength);
  requireByte('meta group', metaGroup);
  if (!Number.isInteger(plotIndex) || plotIndex < 0 || plotIndex > 0xffff) throw new RangeError('plot index must be a u16');
  const plotGroupId = sha256(Uint8Array.of(strength), plotPublicKey, pool);
  return sha256(plotGroupId, Uint8Array.of(plotIndex >>> 8, plotIndex & 0xff), Uint8Array.of(metaGroup));
}

function requireByte(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xff) throw new RangeError(`${name} must be a u8`);
}

// plotPublicKey(localPk, farmerPk, includeTaproot) needs G1 point addition and key_gen; the BLS module owns it.
