import { Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AMOUNTS, ReadApiController } from '../read-api.controller';
import { LeaderboardQueryDto } from '../read-api.dto';
import { LeaderboardQuery } from './leaderboard.query';
import { LeaderboardResponse } from './leaderboard.response';

@ReadApiController('pool')
export class LeaderboardController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('leaderboard')
  @ApiOperation({ summary: 'Farmers ranked', description: `By points in the last 24 h (default), confirmed points, unpaid points or estimated space; page-numbered. ${AMOUNTS}` })
  @ApiOkResponse({ type: LeaderboardResponse })
  @ApiBadRequestResponse({ description: 'a bad sort, page or limit' })
  leaderboard(@Query() query: LeaderboardQueryDto): Promise<LeaderboardResponse> {
    return this.queryBus.execute(new LeaderboardQuery(query));
  }
}
