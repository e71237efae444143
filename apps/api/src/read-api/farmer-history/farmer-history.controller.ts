import { Get, Param, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProduces } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { LAUNCHER_PARAM, ReadApiController } from '../read-api.controller';
import { LauncherIdPipe } from '../read-api.dto';
import { historyCsv } from './farmer-history.csv';
import { FarmerHistoryQuery } from './farmer-history.query';

@ReadApiController('farmers')
export class FarmerHistoryController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':launcherId/history.csv')
  @ApiOperation({ summary: "A farmer's history as CSV", description: 'One row per UTC day: partials and points by result, payouts planned that day, mojos allocated and paid.' })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'CSV (RFC 4180, CRLF), header row first', schema: { type: 'string' } })
  @ApiParam(LAUNCHER_PARAM)
  @ApiNotFoundResponse({ description: 'the pool has never seen this launcher' })
  async historyCsv(@Param('launcherId', LauncherIdPipe) launcherId: string, @Res() reply: FastifyReply): Promise<void> {
    const days = await this.queryBus.execute(new FarmerHistoryQuery(launcherId));
    await reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="farmer-${launcherId}-history.csv"`)
      .header('cache-control', 'no-store')
      .send(historyCsv(days));
  }
}
