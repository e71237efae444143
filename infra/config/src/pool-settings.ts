/**
 * What the pool promises its farmers and how strictly it checks them. Defaults follow the reference pool
 * where it has one; every value can be overridden by the config file (issue 8) or the environment.
 */
export interface PoolSettings {
  name: string;
  description: string;
  logoUrl: string;
  welcomeMessage: string;
  /** Pool fee in basis points (100 = 1 %). */
  feeBasisPoints: number;
  minimumDifficulty: bigint;
  defaultDifficulty: bigint;
  /** Blocks a leaving farmer waits in the waiting room (wallets refuse more than 1000). */
  relativeLockHeight: number;
  /** Where plot NFTs farming to this pool send their rewards: the pool wallet's puzzle hash (hex). */
  targetPuzzleHash: string;
  /** Minutes; a v1 token is accepted within this many tokens of the current one, a v2 JWT lives this long. */
  authenticationTokenTimeout: number;
  /** Seconds between the node seeing a signage point and the partial arriving. */
  partialTimeLimit: number;
  /** Seconds before a partial is confirmed (or reverted). */
  partialConfirmationDelay: number;
  /** Seconds between two PUT /farmer of one farmer. */
  farmerUpdateCooldown: number;
  /** Seconds after a difficulty increase during which partials at the old difficulty still count. */
  difficultyGraceSeconds: number;
  /** Blocks a singleton state must be buried before the pool trusts it. */
  confirmationSecurityThreshold: number;
  /** HS256 key for v2 JWTs (hex, at least 32 bytes). */
  jwtSecretHex: string;
}

export const DEFAULT_POOL_SETTINGS: PoolSettings = Object.freeze({
  name: 'chia-pool-ledger devnet pool',
  description: 'An event-sourced Chia pool: every point and mojo is in the ledger.',
  logoUrl: 'https://www.chia.net/img/chia_logo.svg',
  welcomeMessage: 'Welcome to the pool. Your points are in the ledger from the first partial.',
  feeBasisPoints: 100,
  minimumDifficulty: 1n,
  defaultDifficulty: 1n,
  relativeLockHeight: 32,
  targetPuzzleHash: '00'.repeat(32),
  authenticationTokenTimeout: 5,
  partialTimeLimit: 25,
  partialConfirmationDelay: 300,
  farmerUpdateCooldown: 600,
  difficultyGraceSeconds: 120,
  confirmationSecurityThreshold: 32,
  jwtSecretHex: '00'.repeat(32),
});

/** The v1 fee string: the fraction in exact decimal ("0.01" for 100 basis points). */
export function feeFraction(basisPoints: number): string {
  if (!Number.isInteger(basisPoints) || basisPoints < 0 || basisPoints > 10_000) throw new RangeError(`fee must be 0..10000 basis points, got ${basisPoints}`);
  const whole = Math.floor(basisPoints / 10_000);
  const fraction = String(basisPoints % 10_000).padStart(4, '0').replace(/0+$/, '');
  return fraction === '' ? String(whole) : `${whole}.${fraction}`;
}
