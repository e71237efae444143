import { Get, Param, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiServiceUnavailableResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { LAUNCHER_PARAM, ReadApiController } from '../read-api.controller';
import { LauncherIdPipe } from '../read-api.dto';
import { StatementReplaysBusyException } from './farmer-statement.handler';
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
  @ApiServiceUnavailableResponse({ description: "too many farmers' statements are being replayed; try again after the Retry-After header's seconds" })
  async statement(@Param('launcherId', LauncherIdPipe) launcherId: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<FarmerStatementResponse> {
    try {
      return await this.queryBus.execute(new FarmerStatementQuery(launcherId));
    } catch (error) {
      // Set here, where the reply is at hand: the exception filter sends the 503 on this same reply.
      if (error instanceof StatementReplaysBusyException) void reply.header('retry-after', String(error.retryAfterSeconds));
      throw error;
    }
  }
}
