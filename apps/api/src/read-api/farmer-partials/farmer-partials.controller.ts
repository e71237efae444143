import { Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import { LAUNCHER_PARAM, PAGED, ReadApiController } from '../read-api.controller';
import { LauncherIdPipe, PartialsQueryDto } from '../read-api.dto';
import { FarmerPartialsQuery } from './farmer-partials.query';
import { FarmerPartialsPageResponse } from './farmer-partials.response';

@ReadApiController('farmers')
export class FarmerPartialsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':launcherId/partials')
  @ApiOperation({ summary: "A farmer's recent partials", description: `Newest first, within the retention window. ${PAGED}` })
  @ApiParam(LAUNCHER_PARAM)
  @ApiOkResponse({ type: FarmerPartialsPageResponse })
  @ApiNotFoundResponse({ description: 'the pool has never seen this launcher' })
  partials(@Param('launcherId', LauncherIdPipe) launcherId: string, @Query() query: PartialsQueryDto): Promise<FarmerPartialsPageResponse> {
    return this.queryBus.execute(new FarmerPartialsQuery(launcherId, query));
  }
}
