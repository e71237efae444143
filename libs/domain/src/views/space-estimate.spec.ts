import { DEVNET_SPACE_CONSTANTS, estimatedSpaceFromPoints, estimatedSpaceFromPointsPerDay, farmingSpanSeconds, MAINNET_SPACE_CONSTANTS, SPACE_ESTIMATE_MIN_SECONDS } from './space-estimate';

/** expected_plot_size(k) = (2k + 1) * 2^(k - 1), Chia's space unit per plot. */
const expectedPlotSize = (k: number): bigint => BigInt(2 * k + 1) << BigInt(k - 1);

describe('estimatedSpaceFromPointsPerDay', () => {
  it('inverts the expected points a day of one plot: a mainnet k32 earns about 20 points a day and is estimated as one k32', () => {
    // Points a day of one plot = signage points a day * P(filter) * P(required_iters < limit) * difficulty, with
    // P(required_iters < limit) = limit * E / (difficulty * DCF): 9216 * 2^-8 * 587,500,000 * E / 2^67.
    const c = MAINNET_SPACE_CONSTANTS;
    const perDayTimesDenominator = 86_400n * c.poolSubSlotIters * expectedPlotSize(32); // over subSlotSeconds * DCF * 2^8
    const denominator = c.subSlotSeconds * c.difficultyConstantFactor * 256n;
    const pointsPerDay = perDayTimesDenominator / denominator;
    expect(pointsPerDay).toBe(20n);
    const estimate = estimatedSpaceFromPointsPerDay(pointsPerDay, c);
    // Off only by the floor in pointsPerDay (20.000x points): within 0.1% of one k32.
    expect(Number(estimate) / Number(expectedPlotSize(32))).toBeCloseTo(1, 2);
  });

  it('is linear, floors, and is zero for no points', () => {
    const one = estimatedSpaceFromPointsPerDay(1n, MAINNET_SPACE_CONSTANTS);
    expect(estimatedSpaceFromPointsPerDay(0n, MAINNET_SPACE_CONSTANTS)).toBe(0n);
    expect(estimatedSpaceFromPointsPerDay(-5n, MAINNET_SPACE_CONSTANTS)).toBe(0n);
    const thousand = estimatedSpaceFromPointsPerDay(1000n, MAINNET_SPACE_CONSTANTS);
    expect(thousand >= one * 1000n && thousand < (one + 1n) * 1000n).toBe(true);
    const exact = (1000n * 600n * 2n ** 67n * 256n) / (86_400n * 37_600_000_000n);
    expect(thousand).toBe(exact);
  });

  it('gives a devnet point far less space than a mainnet point (smaller constant factor, 1-bit filter, faster slots)', () => {
    const devnet = estimatedSpaceFromPointsPerDay(1_000_000n, DEVNET_SPACE_CONSTANTS);
    const mainnet = estimatedSpaceFromPointsPerDay(1_000_000n, MAINNET_SPACE_CONSTANTS);
    expect(devnet * 10_000n < mainnet).toBe(true);
  });
});

describe('estimatedSpaceFromPoints over the time actually farmed', () => {
  it('equals the per-day estimate over a whole day, and an hour of points over an hour is the same farm as a day of 24 times as many', () => {
    const c = MAINNET_SPACE_CONSTANTS;
    expect(estimatedSpaceFromPoints(480n, 86_400, c)).toBe(estimatedSpaceFromPointsPerDay(480n, c));
    expect(estimatedSpaceFromPoints(20n, 3600, c)).toBe(estimatedSpaceFromPointsPerDay(480n, c));
    // The fixed-day estimate of that young farmer's hour was a twenty-fourth of it.
    expect(estimatedSpaceFromPointsPerDay(20n, c) * 24n <= estimatedSpaceFromPoints(20n, 3600, c)).toBe(true);
    expect(estimatedSpaceFromPoints(0n, 3600, c)).toBe(0n);
    expect(() => estimatedSpaceFromPoints(1n, 0, c)).toThrow(RangeError);
  });

  it('spans the time since the start, at least ten minutes and at most a day, a day when the start is unknown', () => {
    const now = 1_750_000_000;
    expect(farmingSpanSeconds(now - 3600, now)).toBe(3600);
    expect(farmingSpanSeconds(now - 30, now)).toBe(SPACE_ESTIMATE_MIN_SECONDS);
    expect(farmingSpanSeconds(now + 30, now)).toBe(SPACE_ESTIMATE_MIN_SECONDS);
    expect(farmingSpanSeconds(now - 3 * 86_400, now)).toBe(86_400);
    expect(farmingSpanSeconds(null, now)).toBe(86_400);
  });
});
