/**
 * Effort and luck from points, in integer arithmetic.
 *
 * A partial at difficulty d is accepted when required_iters < POOL_SUB_SLOT_ITERS / NUM_SPS, a block needs
 * required_iters < sub_slot_iters / NUM_SPS at the network difficulty D, and required_iters grows linearly with
 * the difficulty. So for the same proofs (the plot filter applies to both) the pool expects one block per
 *   expected_points_per_block = D * POOL_SUB_SLOT_ITERS / sub_slot_iters   points,
 * whatever difficulty each farmer sends partials at (a partial is worth its difficulty in points).
 *
 *   effort = points received since the pool's last block / expected_points_per_block
 *   luck   = blocks won in a window * expected_points_per_block / points received in that window
 *
 * Both use the chain's current D and sub_slot_iters. They are returned as percentages with two decimals, rounded
 * down (the dropped remainder is below 0.01 %).
 */
export interface NetworkDifficulty {
  difficulty: bigint;
  subSlotIters: bigint;
  poolSubSlotIters: bigint;
}

/** Whole points per block, rounded down (display only: effort and luck divide once, without this rounding). */
export function expectedPointsPerBlock(network: NetworkDifficulty): bigint {
  return (network.difficulty * network.poolSubSlotIters) / network.subSlotIters;
}

/** Hundredths as a decimal string with two places: 12345n is "123.45". */
export function decimalFromHundredths(hundredths: bigint): string {
  const whole = hundredths / 100n;
  const rest = (hundredths % 100n).toString().padStart(2, '0');
  return `${whole}.${rest}`;
}

/** Effort in percent, or null when the chain reports no difficulty. */
export function effortPercent(pointsSinceLastBlock: bigint, network: NetworkDifficulty): string | null {
  const denominator = network.difficulty * network.poolSubSlotIters;
  if (denominator <= 0n || network.subSlotIters <= 0n || pointsSinceLastBlock < 0n) return null;
  return decimalFromHundredths((pointsSinceLastBlock * 10_000n * network.subSlotIters) / denominator);
}

/** Luck in percent over a window, or null when no points were received in it (nothing was expected). */
export function luckPercent(blocksWon: number, pointsInWindow: bigint, network: NetworkDifficulty): string | null {
  const denominator = pointsInWindow * network.subSlotIters;
  if (denominator <= 0n || blocksWon < 0) return null;
  return decimalFromHundredths((BigInt(blocksWon) * network.difficulty * network.poolSubSlotIters * 10_000n) / denominator);
}

/** A share of a total in percent (hundredths, rounded down), or null for an empty total. */
export function sharePercent(part: bigint, total: bigint): string | null {
  if (total <= 0n) return null;
  return decimalFromHundredths((part * 10_000n) / total);
}
