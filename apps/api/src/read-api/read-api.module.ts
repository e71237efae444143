import { Module } from '@nestjs/common';
import { BlocksController } from './blocks/blocks.controller';
import { BlocksHandler } from './blocks/blocks.handler';
import { FarmerController } from './farmer/farmer.controller';
import { FarmerHandler } from './farmer/farmer.handler';
import { FarmerHistoryController } from './farmer-history/farmer-history.controller';
import { FarmerHistoryHandler } from './farmer-history/farmer-history.handler';
import { FarmerHarvestersController } from './farmer-harvesters/farmer-harvesters.controller';
import { FarmerHarvestersHandler } from './farmer-harvesters/farmer-harvesters.handler';
import { FarmerPartialsController } from './farmer-partials/farmer-partials.controller';
import { FarmerPartialsHandler } from './farmer-partials/farmer-partials.handler';
import { FarmerPointsController } from './farmer-points/farmer-points.controller';
import { FarmerPointsHandler } from './farmer-points/farmer-points.handler';
import { FarmerRefusedPartialsController } from './farmer-refused-partials/farmer-refused-partials.controller';
import { FarmerRefusedPartialsHandler } from './farmer-refused-partials/farmer-refused-partials.handler';
import { FarmerStatementController } from './farmer-statement/farmer-statement.controller';
import { FarmerPayoutProofController } from './farmer-payout-proof/farmer-payout-proof.controller';
import { FarmerPayoutProofHandler } from './farmer-payout-proof/farmer-payout-proof.handler';
import { FarmerStatementHandler } from './farmer-statement/farmer-statement.handler';
import { FarmerTimelineController } from './farmer-timeline/farmer-timeline.controller';
import { FarmerTimelineHandler } from './farmer-timeline/farmer-timeline.handler';
import { LedgerExportsController } from './ledger-exports/ledger-exports.controller';
import { ClosedPeriodsHandler, LedgerExportHandler } from './ledger-exports/ledger-exports.handler';
import { LeaderboardController } from './leaderboard/leaderboard.controller';
import { LeaderboardHandler } from './leaderboard/leaderboard.handler';
import { PayoutsController } from './payouts/payouts.controller';
import { PayoutDetailHandler, PayoutsHandler } from './payouts/payouts.handler';
import { PoolHourlyController } from './pool-hourly/pool-hourly.controller';
import { PoolHourlyHandler } from './pool-hourly/pool-hourly.handler';
import { PoolStatsController } from './pool-stats/pool-stats.controller';
import { PoolStatsHandler } from './pool-stats/pool-stats.handler';
import { NetworkFigures } from './network-figures';

/**
 * The read API: one folder per page, each a controller that dispatches a query on the QueryBus and the
 * @QueryHandler that answers it from the read models (the farmer statement: from the ledger itself). The ports
 * (READ_MODELS, EVENT_STORE, POOL_CONFIG, CHAIN, POS_CONSTANTS) and the bus come from the app module.
 */
@Module({
  controllers: [
    PoolStatsController,
    PoolHourlyController,
    BlocksController,
    PayoutsController,
    LeaderboardController,
    FarmerController,
    FarmerPartialsController,
    FarmerTimelineController,
    FarmerStatementController,
    FarmerPayoutProofController,
    FarmerHistoryController,
    FarmerPointsController,
    FarmerHarvestersController,
    FarmerRefusedPartialsController,
    LedgerExportsController,
  ],
  providers: [
    NetworkFigures,
    PoolStatsHandler,
    PoolHourlyHandler,
    BlocksHandler,
    PayoutsHandler,
    PayoutDetailHandler,
    LeaderboardHandler,
    FarmerHandler,
    FarmerPartialsHandler,
    FarmerTimelineHandler,
    FarmerStatementHandler,
    FarmerPayoutProofHandler,
    FarmerHistoryHandler,
    FarmerPointsHandler,
    FarmerHarvestersHandler,
    FarmerRefusedPartialsHandler,
    ClosedPeriodsHandler,
    LedgerExportHandler,
  ],
})
export class ReadApiModule {}
