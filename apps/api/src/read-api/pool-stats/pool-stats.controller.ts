import { Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AMOUNTS, ReadApiController } from '../read-api.controller';
import { PoolStatsQuery } from './pool-stats.query';
import { PoolStatsResponse } from './pool-stats.response';

@ReadApiController('pool')
export class PoolStatsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('pool/stats')
  @ApiOperation({ summary: 'Pool overview', description: `Estimated space, farmers, points per hour, effort and luck (formulas in the answer), fee, scheme, minimum payout. ${AMOUNTS}` })
  @ApiOkResponse({ type: PoolStatsResponse })
  poolStats(): Promise<PoolStatsResponse> {
    return this.queryBus.execute(new PoolStatsQuery());
  }
}
