/**
 * Estimated plot space from points, in integer arithmetic so that every replay gives the same number.
 *
 * A partial is accepted when required_iters < POOL_SUB_SLOT_ITERS / NUM_SPS_SUB_SLOT, with
 * required_iters = difficulty * DCF * u / expected_plot_size(k) and u uniform in [0, 1); a plot answers a
 * signage point only after passing the plot filter (probability 2^-filterBits). A partial is worth its
 * difficulty in points, so a plot of expected size E earns per signage point on average
 *   (POOL_SUB_SLOT_ITERS / NUM_SPS) * E / (DCF * 2^filterBits)  points,
 * independent of difficulty. With 86400 / subSlotSeconds * NUM_SPS signage points a day (NUM_SPS cancels):
 *   points_per_day = 86400 * POOL_SUB_SLOT_ITERS * E / (subSlotSeconds * DCF * 2^filterBits)
 *   E = points_per_day * subSlotSeconds * DCF * 2^filterBits / (86400 * POOL_SUB_SLOT_ITERS)
 * E is in Chia's expected_plot_size units ((2k+1) * 2^(k-1) per plot: 139,586,437,120 for a k32, which earns
 * about 20 points a day on mainnet with the 8-bit filter), the unit Chia's own netspace estimate uses.
 * Rounding: floor (the remainder is dropped; it is below one unit).
 */
export interface SpaceEstimateConstants {
  difficultyConstantFactor: bigint;
  poolSubSlotIters: bigint;
  subSlotSeconds: bigint;
  plotFilterBits: number;
}

/** Mainnet: DCF 2^67, POOL_SUB_SLOT_ITERS 37.6e9, 600 s sub-slots, the 8-bit plot filter in force since height 5,496,000. */
export const MAINNET_SPACE_CONSTANTS: SpaceEstimateConstants = Object.freeze({
  difficultyConstantFactor: 2n ** 67n,
  poolSubSlotIters: 37_600_000_000n,
  subSlotSeconds: 600n,
  plotFilterBits: 8,
});

/** The devnet (libs/devnet DEVNET_NETWORK): DCF 2^52, 64 s sub-slots, a 1-bit filter. */
export const DEVNET_SPACE_CONSTANTS: SpaceEstimateConstants = Object.freeze({
  difficultyConstantFactor: 2n ** 52n,
  poolSubSlotIters: 37_600_000_000n,
  subSlotSeconds: 64n,
  plotFilterBits: 1,
});

/** The longest span the estimate looks back over: the last 24 ledger hours. */
const SECONDS_PER_ESTIMATE_DAY = 86_400;

export function estimatedSpaceFromPointsPerDay(pointsPerDay: bigint, constants: SpaceEstimateConstants): bigint {
  return estimatedSpaceFromPoints(pointsPerDay, SECONDS_PER_ESTIMATE_DAY, constants);
}

/**
 * The shortest span an estimate divides by. A farmer's first partials arrive a few minutes apart at the default
 * difficulty (pools aim at a partial every few minutes), so over less than ten minutes one lucky partial would
 * read as a farm many times its size; ten minutes is about two partials' worth.
 */
export const SPACE_ESTIMATE_MIN_SECONDS = 600;

/**
 * Seconds of farming the last-24-hours points cover: the time since `startedAt` (a farmer's registration, a
 * harvester's first partial), at least SPACE_ESTIMATE_MIN_SECONDS and at most a day. A farmer that joined an hour
 * ago has an hour of points, so dividing them by a day would show a twenty-fourth of its farm. Unknown start: a day.
 */
export function farmingSpanSeconds(startedAt: number | null, now: number): number {
  if (startedAt === null) return SECONDS_PER_ESTIMATE_DAY;
  return Math.min(SECONDS_PER_ESTIMATE_DAY, Math.max(SPACE_ESTIMATE_MIN_SECONDS, Math.floor(now - startedAt)));
}

/** Estimated space from the points earned over `spanSeconds` of farming (the formula above with points per day = points * 86400 / span). */
export function estimatedSpaceFromPoints(points: bigint, spanSeconds: number, constants: SpaceEstimateConstants): bigint {
  if (points <= 0n) return 0n;
  if (!Number.isInteger(spanSeconds) || spanSeconds <= 0) throw new RangeError(`a span of farming must be whole seconds above 0, got ${spanSeconds}`);
  const numerator = points * constants.subSlotSeconds * constants.difficultyConstantFactor * (1n << BigInt(constants.plotFilterBits));
  return numerator / (BigInt(spanSeconds) * constants.poolSubSlotIters);
}
