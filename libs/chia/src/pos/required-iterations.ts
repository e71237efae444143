import { MAINNET_POS_CONSTANTS, type PosConsensusConstants } from './pos-constants';
import { requireLength, sha256 } from './pos-hashing';

const TWO_POW_256 = 1n << 256n;

/** Expected v1 plot size in entries: (2k + 1) * 2^(k - 1). */
export function expectedPlotSize(k: number): bigint {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`plot size k must be a positive integer, got ${k}`);
  return BigInt(2 * k + 1) << BigInt(k - 1);
}

function bytesToBigInt(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}

/**
 * required_iters for a v1 quality string:
 * max(1, floor(difficulty * factor * int(sha256(quality || sp_hash)) / (2^256 * expectedPlotSize(k)))).
 * `difficulty` is the pool's per-farmer difficulty when checking partials.
 */
export function requiredIterations(
  quality: Uint8Array,
  spHash: Uint8Array,
  k: number,
  difficulty: bigint | number,
  difficultyConstantFactor: bigint = MAINNET_POS_CONSTANTS.difficultyConstantFactor,
): bigint {
  requireLength('quality string', quality, 32);
  requireLength('sp hash', spHash, 32);
  const difficultyValue = BigInt(difficulty);
  if (difficultyValue < 0n) throw new RangeError('difficulty must not be negative');
  const spQuality = bytesToBigInt(sha256(quality, spHash));
  const iters = (difficultyValue * difficultyConstantFactor * spQuality) / (TWO_POW_256 * expectedPlotSize(k));
  return iters > 1n ? iters : 1n;
}

/** Same as `requiredIterations`, with chia's calculate_iterations_quality argument order. */
export function calculateIterationsQuality(
  difficultyConstantFactor: bigint,
  quality: Uint8Array,
  k: number,
  difficulty: bigint | number,
  spHash: Uint8Array,
): bigint {
  return requiredIterations(quality, spHash, k, difficulty, difficultyConstantFactor);
}

/** The pool's acceptance bound for a partial: POOL_SUB_SLOT_ITERS / NUM_SPS_SUB_SLOT (587,500,000 on mainnet). */
export function poolItersLimit(constants: PosConsensusConstants = MAINNET_POS_CONSTANTS): bigint {
  return constants.poolSubSlotIters / BigInt(constants.numSpsSubSlot);
}

/** A partial is good enough when its required_iters is strictly below the pool limit. */
export function passesPoolThreshold(
  requiredIters: bigint,
  constants: PosConsensusConstants = MAINNET_POS_CONSTANTS,
): boolean {
  return requiredIters < poolItersLimit(constants);
}
