import { Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import { LAUNCHER_PARAM, ReadApiController } from '../read-api.controller';
import { FarmerPointsQuery } from './farmer-points.query';
import { FarmerPointsResponse } from './farmer-points.response';

@ReadApiController('farmers')
export class FarmerPointsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':launcherId/points')
  @ApiOperation({ summary: "A farmer's points by state", description: 'From the farmer_points projection: pending, confirmed and reverted points and partials.' })
  @ApiParam(LAUNCHER_PARAM)
  @ApiOkResponse({ type: FarmerPointsResponse })
  @ApiNotFoundResponse({ description: 'no partial of this launcher was ever recorded' })
  points(@Param('launcherId') launcherId: string): Promise<FarmerPointsResponse> {
    // Not the LauncherIdPipe: this route has always answered a malformed id with its 404, not a 400.
    return this.queryBus.execute(new FarmerPointsQuery(launcherId.toLowerCase().replace(/^0x/, '')));
  }
}
