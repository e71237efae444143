import { MAINNET_POS_CONSTANTS, expectedPlotSize, isPlotSizeAllowedV1, plotFilterBitsForHeight, poolItersLimit } from '@pool/chia';
import {
  DEVNET_NETWORK,
  MAINNET_NETWORK,
  type NetworkConstants,
  poolPartialItersLimit,
  posConstantsFor,
  signagePointIntervalIters,
  signagePointIntervalMs,
} from './network-constants';

/** Chance that a k-plot's proof has required_iters below `limit` at `difficulty` (required_iters is linear in a uniform draw). */
function passChance(network: NetworkConstants, k: number, difficulty: bigint, limit: bigint): number {
  const scale = 1_000_000n;
  const chance = (limit * expectedPlotSize(k) * scale) / (difficulty * network.difficultyConstantFactor);
  return Math.min(1, Number(chance) / Number(scale));
}

describe('network constants', () => {
  it('derives signage point timing and thresholds from the sub-slot', () => {
    expect(signagePointIntervalMs(MAINNET_NETWORK)).toBe(9375);
    expect(poolPartialItersLimit(MAINNET_NETWORK)).toBe(587_500_000n);
    expect(signagePointIntervalMs(DEVNET_NETWORK)).toBe(1000);
    expect(signagePointIntervalIters(DEVNET_NETWORK)).toBe(poolPartialItersLimit(DEVNET_NETWORK));
  });

  it('makes a k=18 partial about 1 in 50,000 on mainnet constants and common on the devnet', () => {
    const mainnet = passChance(MAINNET_NETWORK, 18, 1n, poolPartialItersLimit(MAINNET_NETWORK));
    expect(1 / mainnet).toBeGreaterThan(45_000);
    expect(1 / mainnet).toBeLessThan(60_000);
    const devnet = passChance(DEVNET_NETWORK, 18, 1n, poolPartialItersLimit(DEVNET_NETWORK));
    expect(devnet).toBeGreaterThan(0.5);
    expect(devnet).toBeLessThan(0.8);
    expect(passChance(DEVNET_NETWORK, 20, 1n, poolPartialItersLimit(DEVNET_NETWORK))).toBe(1);
  });

  it('lets a k=18 proof win a devnet block about once in a hundred', () => {
    const block = passChance(DEVNET_NETWORK, 18, DEVNET_NETWORK.difficulty, signagePointIntervalIters(DEVNET_NETWORK));
    expect(block).toBeGreaterThan(0.005);
    expect(block).toBeLessThan(0.02);
    expect(DEVNET_NETWORK.minPlotSize).toBe(18);
    expect(DEVNET_NETWORK.addressPrefix).toBe('txch');
  });
});

describe('posConstantsFor', () => {
  it('gives mainnet the library mainnet constants', () => {
    expect(posConstantsFor(MAINNET_NETWORK)).toEqual(MAINNET_POS_CONSTANTS);
  });

  it('lets the proof-of-space checks accept small devnet plots with the devnet thresholds', () => {
    const devnet = posConstantsFor(DEVNET_NETWORK);
    expect(isPlotSizeAllowedV1(18, devnet)).toBe(true);
    expect(isPlotSizeAllowedV1(18, MAINNET_POS_CONSTANTS)).toBe(false);
    expect(poolItersLimit(devnet)).toBe(poolPartialItersLimit(DEVNET_NETWORK));
    expect(plotFilterBitsForHeight(100, devnet)).toBe(DEVNET_NETWORK.plotFilterBits);
  });
});
