import type { Projection } from '@pool/read-models';
import { farmerPointsProjection } from './farmer-points/farmer-points.projection';
import { createFarmerViewProjection, farmerViewProjection, type ViewProjectionOptions } from './farmer-view/farmer-view.projection';
import { createHarvestersProjection, harvestersProjection } from './harvesters/harvesters.projection';
import { createPartialHistoryProjection, partialHistoryProjection } from './partial-history/partial-history.projection';
import { payoutsProjection } from './payouts/payouts.projection';
import { createPoolStatsProjection, poolStatsProjection } from './pool-stats/pool-stats.projection';
import { rewardsProjection } from './rewards/rewards.projection';
import { createRefusedPartialsProjection, refusedPartialsProjection } from './refused-partials/refused-partials.projection';

/**
 * Every projection, with the retention window and the chain constants of the space estimates chosen by the
 * operator (the defaults: seven days, mainnet constants).
 */
export function createProjections(options: ViewProjectionOptions = {}): readonly Projection[] {
  return [
    farmerPointsProjection,
    createFarmerViewProjection(options),
    createPartialHistoryProjection(options),
    createPoolStatsProjection(options),
    createHarvestersProjection(options),
    rewardsProjection,
    payoutsProjection,
    createRefusedPartialsProjection(options),
  ];
}

/** Every projection the projector keeps live. */
export const allProjections: readonly Projection[] = [
  farmerPointsProjection,
  farmerViewProjection,
  partialHistoryProjection,
  poolStatsProjection,
  harvestersProjection,
  rewardsProjection,
  payoutsProjection,
  refusedPartialsProjection,
];

export {
  farmerPointsProjection,
  farmerViewProjection,
  partialHistoryProjection,
  poolStatsProjection,
  rewardsProjection,
  payoutsProjection,
  refusedPartialsProjection,
  createRefusedPartialsProjection,
  createFarmerViewProjection,
  createPartialHistoryProjection,
  createPoolStatsProjection,
  createHarvestersProjection,
  harvestersProjection,
  type ViewProjectionOptions,
};
export { DEFAULT_RETENTION_SECONDS } from './farmer-view/farmer-view.projection';
export { FARMER_VIEW_TABLES, POINTS_WINDOW_TABLES } from './farmer-view/farmer-view.tables';
export { PARTIAL_HISTORY_TABLES } from './partial-history/partial-history.projection';
export { POOL_STATS_TABLES } from './pool-stats/pool-stats.projection';
export { HARVESTERS_TABLES } from './harvesters/harvesters.projection';
export { REWARDS_TABLES } from './rewards/rewards.projection';
export { PAYOUTS_TABLES } from './payouts/payouts.projection';
export { REFUSED_PARTIALS_TABLES } from './refused-partials/refused-partials.projection';

// The read side's queries: each read model's SQL beside the projection that builds its tables.
export * from './read-support';
export * from './farmer-points/farmer-points.queries';
export * from './farmer-view/farmer-view.queries';
export * from './partial-history/partial-history.queries';
export * from './pool-stats/pool-stats.queries';
export * from './harvesters/harvesters.queries';
export * from './rewards/rewards.queries';
export * from './payouts/payouts.queries';
export * from './refused-partials/refused-partials.queries';
export { closingImageDifference } from './closing-image/closing-image.check';
export { rebuildFromLatestClosing, type ClosingRebuild } from './closing-image/rebuild-from-closing';
