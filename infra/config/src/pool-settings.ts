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
  /**
   * Seconds a partial waits for a signage point (or end of sub-slot) the node does not know yet before it is
   * refused as not found: farmers often hear of a signage point before the pool's node does (pool-reference waits 10).
   */
  signagePointWaitSeconds: number;
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
  /** Blocks; a deeper reorg is logged as an error and recorded as deep (apps/worker/src/chain/chain-settings.ts). */
  safeReorgDepth: number;
  /** Seconds after confirmation during which a reorg can still revert a confirmed partial. */
  partialReorgWindowSeconds: number;
  /** Heights of header hashes the chain follower keeps to find fork points; must exceed safeReorgDepth. */
  chainFollowerWindow: number;
  /** Blockchain fee (mojos) the pool wallet adds for each reward it absorbs; 0 = absorbs go without a fee. */
  absorbFeePerReward: bigint;
  /** How and when the payout saga pays farmers. */
  payouts: PayoutSettings;
  /** The sealer (apps/worker/src/seals) seals at every payout plan and, besides, after this many ledger events ... */
  sealEveryEvents: number;
  /** ... or after this many seconds when anything new was recorded. */
  sealEverySeconds: number;
  /**
   * Where the dashboard links a coin id: a URL with `{coin}` where the id (64 hex, no 0x) goes; null: no links (the
   * devnet's coins are on no public explorer). Payment, reward and memo coins are all linked through it.
   */
  explorerCoinUrl: string | null;
  /** Where the dashboard links a transaction (spend bundle) id, with `{transaction}`; null: shown without a link. */
  explorerTransactionUrl: string | null;
}

/**
 * Mainnet's explorer for coins: Spacescan documents /coin/<id> for linking coins. No public explorer is known to
 * look a spend bundle up by its id, so transactions have no default link.
 */
export const MAINNET_EXPLORER_COIN_URL = 'https://www.spacescan.io/coin/0x{coin}';

/** The payout saga's settings (apps/worker/src/payouts). Amounts are mojos. */
export interface PayoutSettings {
  /** 'prop': every confirmed point since the last payout; 'pplns': the last window of points. */
  scheme: 'prop' | 'pplns';
  /** PPLNS window in seconds of ledger time (used when `pplnsWindowPoints` is unset). */
  pplnsWindowSeconds: number;
  /** PPLNS window as a number of points; takes precedence over the time window when set. */
  pplnsWindowPoints: bigint | null;
  /** Balances below this are carried to the next run. */
  minimumPayout: bigint;
  /** Outputs per transaction (Chia's reference pool uses 400). */
  maxAdditionsPerTransaction: number;
  /** Seconds between two runs of the saga (plan, send, reconcile). */
  intervalSeconds: number;
  /** Blockchain fee per payout transaction, paid out of the distributable amount. */
  blockchainFeePerTransaction: bigint;
  /** Where the pool fee goes; null = the pool's target puzzle hash (the fee simply stays in the wallet). */
  poolFeePuzzleHash: string | null;
  /** Paused by configuration (recorded as PayoutsPaused by 'config' when the saga sees it). */
  paused: boolean;
  /** While a file exists at this path, payouts are paused (null: no pause file). */
  pauseFile: string | null;
  /** Send attempts per payout before it is abandoned and its money returns to the balances. */
  maxAttempts: number;
  /** Seconds to wait after a failed attempt; doubled after each further failure. */
  retryBackoffSeconds: number;
  /**
   * Most fee (mojos) one payout transaction pays: the node's fee estimate is taken up to it, and a fee bump above it is
   * not made (0: the configured blockchainFeePerTransaction alone, never bumped). The configured fee is the minimum.
   */
  feeCapMojos: bigint;
  /** The confirmation time (seconds) the node's fee estimate is asked for. */
  feeTargetSeconds: number;
  /** Blocks a sent payout may wait unconfirmed before it is signed again with a higher fee (0: never). */
  feeBumpAfterBlocks: number;
  /** Names the settings a PayoutPlanned was computed with (recorded in the event for the audit). */
  configVersion: string;
}

export const DEFAULT_PAYOUT_SETTINGS: PayoutSettings = Object.freeze({
  scheme: 'prop',
  pplnsWindowSeconds: 86_400,
  pplnsWindowPoints: null,
  minimumPayout: 0n,
  maxAdditionsPerTransaction: 400,
  intervalSeconds: 600,
  blockchainFeePerTransaction: 0n,
  poolFeePuzzleHash: null,
  paused: false,
  pauseFile: null,
  maxAttempts: 5,
  retryBackoffSeconds: 60,
  feeCapMojos: 1_000_000_000n,
  feeTargetSeconds: 300,
  feeBumpAfterBlocks: 32,
  configVersion: 'default-1',
});

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
  signagePointWaitSeconds: 10,
  partialConfirmationDelay: 300,
  farmerUpdateCooldown: 600,
  difficultyGraceSeconds: 120,
  confirmationSecurityThreshold: 32,
  jwtSecretHex: '00'.repeat(32),
  safeReorgDepth: 6,
  partialReorgWindowSeconds: 3600,
  chainFollowerWindow: 200,
  absorbFeePerReward: 0n,
  payouts: DEFAULT_PAYOUT_SETTINGS,
  sealEveryEvents: 10_000,
  sealEverySeconds: 600,
  explorerCoinUrl: MAINNET_EXPLORER_COIN_URL,
  explorerTransactionUrl: null,
});

/** The v1 fee string: the fraction in exact decimal ("0.01" for 100 basis points). */
export function feeFraction(basisPoints: number): string {
  if (!Number.isInteger(basisPoints) || basisPoints < 0 || basisPoints > 10_000) throw new RangeError(`fee must be 0..10000 basis points, got ${basisPoints}`);
  const whole = Math.floor(basisPoints / 10_000);
  const fraction = String(basisPoints % 10_000).padStart(4, '0').replace(/0+$/, '');
  return fraction === '' ? String(whole) : `${whole}.${fraction}`;
}
