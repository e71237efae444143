import { Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import { LAUNCHER_PARAM, PAGED, ReadApiController } from '../read-api.controller';
import { LauncherIdPipe } from '../read-api.dto';
import { RefusedPartialsQueryDto } from './farmer-refused-partials.dto';
import { FarmerRefusedPartialsQuery } from './farmer-refused-partials.query';
import { FarmerRefusedPartialsResponse } from './farmer-refused-partials.response';

@ReadApiController('farmers')
export class FarmerRefusedPartialsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':launcherId/refused-partials')
  @ApiOperation({
    summary: "A farmer's refused partials",
    description: `The partials the pool refused this farmer within the retention window (7 days by default), newest first, each with the error it was answered with in words, and the refusals of the last 24 h per harvester. ${PAGED}`,
  })
  @ApiParam(LAUNCHER_PARAM)
  @ApiOkResponse({ type: FarmerRefusedPartialsResponse })
  @ApiNotFoundResponse({ description: 'the pool has never seen this launcher' })
  refusedPartials(@Param('launcherId', LauncherIdPipe) launcherId: string, @Query() query: RefusedPartialsQueryDto): Promise<FarmerRefusedPartialsResponse> {
    return this.queryBus.execute(new FarmerRefusedPartialsQuery(launcherId, query));
  }
}
