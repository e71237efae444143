import { Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import { LAUNCHER_PARAM, ReadApiController } from '../read-api.controller';
import { LauncherIdPipe, TimelineQueryDto } from '../read-api.dto';
import { FarmerTimelineQuery } from './farmer-timeline.query';
import { FarmerTimelineResponse } from './farmer-timeline.response';

@ReadApiController('farmers')
export class FarmerTimelineController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':launcherId/timeline')
  @ApiOperation({ summary: "A farmer's points and partials over time", description: 'Per ledger hour (retention window) or per UTC day (all history), oldest first.' })
  @ApiParam(LAUNCHER_PARAM)
  @ApiOkResponse({ type: FarmerTimelineResponse })
  @ApiNotFoundResponse({ description: 'the pool has never seen this launcher' })
  timeline(@Param('launcherId', LauncherIdPipe) launcherId: string, @Query() query: TimelineQueryDto): Promise<FarmerTimelineResponse> {
    return this.queryBus.execute(new FarmerTimelineQuery(launcherId, query.resolution ?? 'hour'));
  }
}
