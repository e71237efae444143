import { chainSafetySettings, DEFAULT_CHAIN_SAFETY_SETTINGS } from './chain-settings';

describe('chainSafetySettings', () => {
  it('takes pool settings first, then the environment, then the defaults', () => {
    expect(chainSafetySettings({}, {})).toEqual(DEFAULT_CHAIN_SAFETY_SETTINGS);
    expect(chainSafetySettings({}, { POOL_SAFE_REORG_DEPTH: '3', POOL_PARTIAL_REORG_WINDOW_SECONDS: '600' })).toMatchObject({
      safeReorgDepth: 3,
      partialReorgWindowSeconds: 600,
    });
    expect(chainSafetySettings({ safeReorgDepth: 10 }, { POOL_SAFE_REORG_DEPTH: '3' }).safeReorgDepth).toBe(10);
    expect(chainSafetySettings({ safeReorgDepth: 10 }, {}, { safeReorgDepth: 2 }).safeReorgDepth).toBe(2);
  });

  it('names the setting it refuses', () => {
    expect(() => chainSafetySettings({}, { POOL_SAFE_REORG_DEPTH: 'six' })).toThrow(/safeReorgDepth \(POOL_SAFE_REORG_DEPTH\): must be a non-negative integer/);
    expect(() => chainSafetySettings({ chainFollowerWindow: 5 }, {})).toThrow(/chainFollowerWindow \(5\) must exceed safeReorgDepth \(6\)/);
  });
});
