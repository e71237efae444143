import { Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import { AMOUNTS, LAUNCHER_PARAM, ReadApiController } from '../read-api.controller';
import { LauncherIdPipe } from '../read-api.dto';
import { FarmerQuery } from './farmer.query';
import { FarmerResponse } from './farmer.response';

@ReadApiController('farmers')
export class FarmerController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':launcherId')
  @ApiOperation({
    summary: 'One farmer',
    description: `Difficulty, points pending / confirmed / in the payout window, estimated space, balance, payout history and partials by result with reasons in plain words. ${AMOUNTS}`,
  })
  @ApiParam(LAUNCHER_PARAM)
  @ApiOkResponse({ type: FarmerResponse })
  @ApiBadRequestResponse({ description: 'not a launcher id' })
  @ApiNotFoundResponse({ description: 'the pool has never seen this launcher' })
  farmer(@Param('launcherId', LauncherIdPipe) launcherId: string): Promise<FarmerResponse> {
    return this.queryBus.execute(new FarmerQuery(launcherId));
  }
}
