import { DEFAULT_POOL_SETTINGS, DEFAULT_RATE_LIMITS, type PoolSettings } from '@pool/config';
import { DEVNET_RUN_OVERRIDES, devnetRunRateLimits, devnetRunSettings } from './devnet-settings';

describe('devnetRunSettings', () => {
  it('replaces the mainnet-like defaults the cycle waits on', () => {
    const settings = devnetRunSettings(DEFAULT_POOL_SETTINGS);
    expect(settings.confirmationSecurityThreshold).toBe(DEVNET_RUN_OVERRIDES.confirmationSecurityThreshold);
    expect(settings.partialConfirmationDelay).toBe(DEVNET_RUN_OVERRIDES.partialConfirmationDelay);
    expect(settings.payouts.intervalSeconds).toBe(DEVNET_RUN_OVERRIDES.payouts.intervalSeconds);
    expect(settings.payouts.minimumPayout).toBe(DEVNET_RUN_OVERRIDES.payouts.minimumPayout);
    // No links to the mainnet explorer for the devnet's coins, unless a config chose an explorer.
    expect(settings.explorerCoinUrl).toBeNull();
    expect(devnetRunSettings({ ...DEFAULT_POOL_SETTINGS, explorerCoinUrl: 'http://explorer.local/c/{coin}' }).explorerCoinUrl).toBe('http://explorer.local/c/{coin}');
    // Everything else is the pool's own setting.
    expect(settings.feeBasisPoints).toBe(DEFAULT_POOL_SETTINGS.feeBasisPoints);
    expect(settings.payouts.scheme).toBe(DEFAULT_POOL_SETTINGS.payouts.scheme);
  });

  it('keeps the defaults themselves as they are (real nodes keep the mainnet-like values)', () => {
    devnetRunSettings(DEFAULT_POOL_SETTINGS);
    expect(DEFAULT_POOL_SETTINGS.confirmationSecurityThreshold).toBe(32);
    expect(DEFAULT_POOL_SETTINGS.partialConfirmationDelay).toBe(300);
    expect(DEFAULT_POOL_SETTINGS.payouts.intervalSeconds).toBe(600);
  });

  it('keeps a value the config file or the environment chose', () => {
    const chosen: PoolSettings = {
      ...DEFAULT_POOL_SETTINGS,
      confirmationSecurityThreshold: 20,
      partialConfirmationDelay: 120,
      payouts: { ...DEFAULT_POOL_SETTINGS.payouts, intervalSeconds: 30, minimumPayout: 5_000_000_000n },
    };
    const settings = devnetRunSettings(chosen);
    expect(settings.confirmationSecurityThreshold).toBe(20);
    expect(settings.partialConfirmationDelay).toBe(120);
    expect(settings.payouts.intervalSeconds).toBe(30);
    expect(settings.payouts.minimumPayout).toBe(5_000_000_000n);
  });

  it('buries facts deeper than the safe reorg depth and confirms partials well after they are buried', () => {
    const settings = devnetRunSettings(DEFAULT_POOL_SETTINGS);
    expect(settings.confirmationSecurityThreshold).toBeGreaterThan(settings.safeReorgDepth);
    expect(settings.partialConfirmationDelay).toBeGreaterThan(settings.partialTimeLimit);
  });
});

describe('devnetRunRateLimits', () => {
  it("raises the address budget to hold every simulated farmer's launcher budget (they all send from 127.0.0.1)", () => {
    const limits = devnetRunRateLimits(DEFAULT_RATE_LIMITS, 50);
    expect(limits).toEqual({ ...DEFAULT_RATE_LIMITS, perAddressPerMinute: 51 * DEFAULT_RATE_LIMITS.perLauncherPerMinute });
  });

  it('keeps them on, and never lowers a budget chosen larger', () => {
    const chosen = { enabled: true, perAddressPerMinute: 1_000_000, perLauncherPerMinute: 300 };
    expect(devnetRunRateLimits(chosen, 3)).toEqual(chosen);
  });
});
