import { Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import { LAUNCHER_PARAM, ReadApiController } from '../read-api.controller';
import { LauncherIdPipe } from '../read-api.dto';
import { FarmerStatementQuery } from './farmer-statement.query';
import { FarmerStatementResponse } from './farmer-statement.response';

@ReadApiController('farmers')
export class FarmerStatementController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':launcherId/statement')
  @ApiOperation({
    summary: "A farmer's audit statement",
    description: 'Replayed from the ledger by the same code as `poolctl audit --farmer`: every credit, reversal, allocation, payment and carried balance, with running balances.',
  })
  @ApiParam(LAUNCHER_PARAM)
  @ApiOkResponse({ type: FarmerStatementResponse })
  @ApiNotFoundResponse({ description: 'the ledger has no such farmer' })
  statement(@Param('launcherId', LauncherIdPipe) launcherId: string): Promise<FarmerStatementResponse> {
    return this.queryBus.execute(new FarmerStatementQuery(launcherId));
  }
}
