/**
 * The pool's difficulty policy (the reference pool's algorithm): aim for `partialsTarget` partials per
 * `timeTarget` seconds per farmer. Pure and exact: integer arithmetic where the reference used floats, and
 * no division by zero when two partials share a timestamp (the reference crashed there).
 */
export interface DifficultyPolicy {
  /** Partials a farmer should send per time target (reference: 300). */
  partialsTarget: number;
  /** Seconds (reference: 86,400). */
  timeTarget: number;
  minDifficulty: bigint;
}

export const REFERENCE_DIFFICULTY_POLICY: DifficultyPolicy = { partialsTarget: 300, timeTarget: 86_400, minDifficulty: 1n };

export interface RecentPartial {
  /** Unix seconds the partial was received. */
  timestamp: number;
  difficulty: bigint;
}

const HOUR = 3600;

/**
 * The difficulty a farmer should have now, from its most recent confirmed partials (newest first, at most
 * `partialsTarget` of them). Unchanged while the window still holds partials of another difficulty, so a
 * change is judged on partials sent at the new difficulty only.
 */
export function nextDifficulty(
  policy: DifficultyPolicy,
  recent: readonly RecentPartial[],
  current: bigint,
  now: number,
): bigint {
  const newest = recent[0];
  const oldest = recent[recent.length - 1];
  if (!newest || !oldest) return current;
  if (recent.some((p) => p.difficulty !== current)) return current;
  const atLeastMin = (d: bigint): bigint => (d > policy.minDifficulty ? d : policy.minDifficulty);

  // A farmer that went quiet is made easier quickly, so it is not stuck at a difficulty it cannot reach.
  const silence = now - newest.timestamp;
  if (silence > 3 * HOUR) return atLeastMin(current / 5n);
  if (silence > HOUR) return atLeastMin((current * 2n) / 3n);

  const span = BigInt(newest.timestamp - oldest.timestamp);
  const count = BigInt(recent.length);
  const target = BigInt(policy.partialsTarget);
  const timeTarget = BigInt(policy.timeTarget);
  if (count < target && span < timeTarget) return current;
  if (span <= 0n) return current;
  // new = current * timeTarget / span, with span scaled up to a full window when fewer partials arrived:
  // current * timeTarget / (span * target / count), kept as one exact fraction.
  const numerator = current * timeTarget * (count < target ? count : 1n);
  const denominator = span * (count < target ? target : 1n);
  return atLeastMin(numerator / denominator);
}
