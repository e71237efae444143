import { estimatedSpaceFromPointsPerDay, MAINNET_SPACE_CONSTANTS } from '@pool/domain';
import type { ReadModelDatabase } from '@pool/read-models';
import { createPoolStatsProjection, poolStatsProjection } from './pool-stats.projection';
import { FARMER_A, FARMER_B, FARMER_C, confirmedEvent as confirmed, revertedEvent as reverted, submitted } from '@pool/testing';
import { openReadModels, ProjectionHarness, record } from '@pool/testing';

const H = 1_750_003_200; // an hour boundary

describe('pool_stats projection', () => {
  let db: ReadModelDatabase;
  beforeEach(async () => {
    db = await openReadModels();
  });
  afterEach(() => db.close());

  it('counts partials, points and distinct online farmers per ledger hour', async () => {
    const harness = await ProjectionHarness.open(db, poolStatsProjection);
    await harness.apply(
      await record([
        submitted(FARMER_A, 'a1', 2, H + 10),
        submitted(FARMER_A, 'a2', 2, H + 20),
        submitted(FARMER_B, 'b1', 3, H + 30),
        confirmed(FARMER_A, 'a1', 2, H + 3700),
        reverted(FARMER_A, 'a2', 2, H + 3710, false, 'signage_point_reverted'),
        submitted(FARMER_C, 'c1', 5, H + 3720),
        submitted(FARMER_A, 'a3', 2, H + 3730),
      ]),
      2,
    );
    const rows = await harness.rows('pool_stats_hourly');
    expect(rows.map((r) => [r.hour, r.partials_submitted, r.partials_confirmed, r.partials_reverted, r.points_submitted, r.points_confirmed, r.points_reverted, r.farmers_online])).toEqual([
      [H, 3, 0, 0, 7, 0, 0, 2],
      [H + 3600, 2, 1, 1, 7, 2, 2, 2],
    ]);
    expect(rows[0]!.estimated_space).toBe(Number(estimatedSpaceFromPointsPerDay(7n * 24n, MAINNET_SPACE_CONSTANTS)));
  });

  it('stops counting online farmers for hours past the retention window', async () => {
    const harness = await ProjectionHarness.open(db, createPoolStatsProjection({ retentionSeconds: 86_400 }));
    await harness.apply(await record([submitted(FARMER_A, 'a1', 1, H), submitted(FARMER_B, 'b1', 1, H + 3 * 86_400), submitted(FARMER_C, 'c1', 1, H + 5)]));
    const rows = await harness.rows('pool_stats_hourly');
    // c1 still counts as a partial in its hour, but that hour's online set is gone, so it is not recounted.
    expect(rows.map((r) => [r.hour, r.partials_submitted, r.farmers_online])).toEqual([
      [H, 2, 1],
      [H + 3 * 86_400, 1, 1],
    ]);
    expect((await harness.rows('pool_online_hourly')).map((r) => r.launcher_id)).toEqual([FARMER_B]);
  });
});
