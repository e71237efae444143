import { Query } from '@nestjs/cqrs';
import type { PoolStatsResponse } from './pool-stats.response';

/** GET /api/pool/stats. */
export class PoolStatsQuery extends Query<PoolStatsResponse> {}
