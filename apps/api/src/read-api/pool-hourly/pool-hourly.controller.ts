import { Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AMOUNTS, ReadApiController } from '../read-api.controller';
import { PoolHourlyQueryDto } from '../read-api.dto';
import { PoolHourlyQuery } from './pool-hourly.query';
import { PoolHourlyResponse } from './pool-hourly.response';

@ReadApiController('pool')
export class PoolHourlyController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('pool/hourly')
  @ApiOperation({ summary: 'The pool per ledger hour', description: `Partials, points, farmers online and estimated space per hour, oldest first. ${AMOUNTS}` })
  @ApiOkResponse({ type: PoolHourlyResponse })
  @ApiBadRequestResponse({ description: 'hours out of range' })
  poolHourly(@Query() query: PoolHourlyQueryDto): Promise<PoolHourlyResponse> {
    return this.queryBus.execute(new PoolHourlyQuery(query.hours ?? 48));
  }
}
