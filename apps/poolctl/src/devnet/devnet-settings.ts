import { DEFAULT_POOL_SETTINGS, type PoolSettings, type RateLimitSettings } from '@pool/config';

/**
 * Devnet time runs this many times faster than the wall clock by default. One signage point per devnet second and
 * a block every two (libs/devnet DEVNET_NETWORK), so x10 makes five blocks a real second: every wait counted in
 * blocks below is over in a second or two, and a pool farmer wins a block within about ten real seconds. Faster
 * than that, three farmers send more partials a real second than a busy two-core machine verifies comfortably
 * (each is a proof-of-space check, a BLS verify and an fsynced append), and a farmer that falls behind misses
 * signage points.
 */
export const DEVNET_RUN_SPEED = 10;

/**
 * Settings a devnet run uses in place of the mainnet-like defaults, so that `npm start` shows the whole cycle
 * (partials, confirmed points, a block, the reward absorbed, a payout sent and confirmed) within two minutes of wall
 * time. They apply only to the devnet run, and only where the setting still has its default: a value the config
 * file or the environment chose is kept (`devnetRunSettings`; one chosen equal to the default cannot be told apart
 * from it, and is replaced too).
 *
 * What these cannot shorten: the reward collector looks at the chain every 10 real seconds (a constant of the pool
 * loops, not a setting), and it takes two looks to see a reward absorbed (one pushes the absorb, the next finds it
 * spent), so a block takes 10 to 20 s to become an absorbed reward.
 */
export const DEVNET_RUN_OVERRIDES = Object.freeze({
  /**
   * Blocks (default 32). Four waits of the cycle are counted in these blocks: a plot NFT buried before it may
   * register, a reward coin buried before it is absorbed, the absorbed coin buried before a payout spends it, and
   * the payout buried before it is confirmed. The devnet reorgs only when told to, so eight blocks (more than the
   * six-block safe reorg depth, so a "safe" reorg still cannot undo a buried fact) is plenty: under two real
   * seconds each at x10, against 6.4 s each at 32.
   */
  confirmationSecurityThreshold: 8,
  /**
   * Devnet seconds (default 300) before a partial is confirmed: at x10 the first points are confirmed six real
   * seconds after the first partial instead of thirty, and a payout has confirmed points to pay for. Sixty devnet
   * seconds are still 30 blocks, far beyond the security threshold, so a signage point a reorg reverts is still
   * seen before its partials would be confirmed.
   */
  partialConfirmationDelay: 60,
  payouts: {
    /**
     * Real seconds between two runs of the payout saga (default 600). One run plans and sends, the next one
     * after the payout is buried confirms it; five seconds keeps both within seconds of the reward being absorbed,
     * and a run is a few RPC calls, so it costs nothing.
     */
    intervalSeconds: 5,
    /**
     * Mojos. Every farmer with confirmed points is paid on the first run, so the newcomer sees one line per farmer
     * instead of balances carried to a later payout.
     */
    minimumPayout: 0n,
  },
});

/** `settings` with the devnet run's overrides applied where a setting still has its mainnet-like default. */
export function devnetRunSettings(settings: PoolSettings, defaults: PoolSettings = DEFAULT_POOL_SETTINGS): PoolSettings {
  const devnet = DEVNET_RUN_OVERRIDES;
  const unlessChosen = <T>(current: T, fallback: T, override: T): T => (current === fallback ? override : current);
  return {
    ...settings,
    confirmationSecurityThreshold: unlessChosen(settings.confirmationSecurityThreshold, defaults.confirmationSecurityThreshold, devnet.confirmationSecurityThreshold),
    partialConfirmationDelay: unlessChosen(settings.partialConfirmationDelay, defaults.partialConfirmationDelay, devnet.partialConfirmationDelay),
    // The devnet's coins are on no public chain: the mainnet explorer would link to pages that do not exist.
    explorerCoinUrl: unlessChosen(settings.explorerCoinUrl, defaults.explorerCoinUrl, null),
    payouts: {
      ...settings.payouts,
      intervalSeconds: unlessChosen(settings.payouts.intervalSeconds, defaults.payouts.intervalSeconds, devnet.payouts.intervalSeconds),
      minimumPayout: unlessChosen(settings.payouts.minimumPayout, defaults.payouts.minimumPayout, devnet.payouts.minimumPayout),
    },
  };
}

/**
 * The rate limits of a devnet run. Speed needs nothing here: the budgets refill on the api's clock, which is the
 * devnet's, so at x10 they refill ten times faster in real time, as the farmers' requests come. What a real pool
 * never sees is every farmer behind one address: the simulated farmers all send from 127.0.0.1, so the address
 * budget is raised to hold each farmer's launcher budget (never lowered: a chosen, larger value is kept). They stay
 * on, so the devnet runs the same hooks a real pool does.
 */
export function devnetRunRateLimits(limits: RateLimitSettings, farmers: number): RateLimitSettings {
  return { ...limits, perAddressPerMinute: Math.max(limits.perAddressPerMinute, (farmers + 1) * limits.perLauncherPerMinute) };
}
