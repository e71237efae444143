import { Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import { AMOUNTS, LAUNCHER_PARAM, ReadApiController } from '../read-api.controller';
import { LauncherIdPipe } from '../read-api.dto';
import { FarmerHarvestersQuery } from './farmer-harvesters.query';
import { FarmerHarvestersResponse } from './farmer-harvesters.response';

@ReadApiController('farmers')
export class FarmerHarvestersController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':launcherId/harvesters')
  @ApiOperation({
    summary: "A farmer's harvesters",
    description: `Per harvester (the id signed into each partial): partials and points, the space its last 24 h of points stand for, when it was last seen, its plot sizes and the versions it reported. ${AMOUNTS}`,
  })
  @ApiParam(LAUNCHER_PARAM)
  @ApiOkResponse({ type: FarmerHarvestersResponse })
  @ApiNotFoundResponse({ description: 'the pool has never seen this launcher' })
  harvesters(@Param('launcherId', LauncherIdPipe) launcherId: string): Promise<FarmerHarvestersResponse> {
    return this.queryBus.execute(new FarmerHarvestersQuery(launcherId));
  }
}
