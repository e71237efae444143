/**
 * How the pool loops judge the chain. These belong with the pool settings (issue 8's config file); until
 * PoolSettings carries them, each is read from a PoolSettings field of the same name when present, else
 * from the environment, else the default, so adding them to the config later needs no change here.
 */
export interface ChainSafetySettings {
  /** Blocks. A reorg deeper than this is logged as an error, counted as deep and recorded with `deep: true`. */
  safeReorgDepth: number;
  /**
   * Seconds after confirmation during which a reorg can still revert a confirmed partial: the confirmation
   * depth, in time. Must outlast the deepest reorg the pool means to handle.
   */
  partialReorgWindowSeconds: number;
  /** Heights of header hashes the chain follower keeps to find fork points; must exceed safeReorgDepth. */
  chainFollowerWindow: number;
}

export const DEFAULT_CHAIN_SAFETY_SETTINGS: ChainSafetySettings = Object.freeze({
  // Mainnet reorgs are rarely more than a couple of blocks; 6 leaves room and matches common practice.
  safeReorgDepth: 6,
  partialReorgWindowSeconds: 3600,
  chainFollowerWindow: 200,
});

const ENV: Record<keyof ChainSafetySettings, string> = {
  safeReorgDepth: 'POOL_SAFE_REORG_DEPTH',
  partialReorgWindowSeconds: 'POOL_PARTIAL_REORG_WINDOW_SECONDS',
  chainFollowerWindow: 'POOL_CHAIN_FOLLOWER_WINDOW',
};

export function chainSafetySettings(
  settings: object = {},
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<ChainSafetySettings> = {},
): ChainSafetySettings {
  const fromSettings = settings as Partial<Record<keyof ChainSafetySettings, unknown>>;
  const pick = (key: keyof ChainSafetySettings): number => {
    const raw = overrides[key] ?? fromSettings[key] ?? env[ENV[key]] ?? DEFAULT_CHAIN_SAFETY_SETTINGS[key];
    const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      throw new Error(`${key} (${ENV[key]}): must be a non-negative integer, got ${JSON.stringify(raw)}`);
    }
    return value;
  };
  const result = {
    safeReorgDepth: pick('safeReorgDepth'),
    partialReorgWindowSeconds: pick('partialReorgWindowSeconds'),
    chainFollowerWindow: pick('chainFollowerWindow'),
  };
  if (result.chainFollowerWindow <= result.safeReorgDepth) {
    throw new Error(`chainFollowerWindow (${result.chainFollowerWindow}) must exceed safeReorgDepth (${result.safeReorgDepth}) to measure a deep reorg`);
  }
  return result;
}
