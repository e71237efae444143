import { Get, Param, ParseIntPipe, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiServiceUnavailableResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ReadApiController } from '../read-api.controller';
import { ClosedPeriodsQuery, LedgerExportQuery, type LedgerExportDownload } from './ledger-exports.query';
import { ClosedPeriodsResponse } from './ledger-exports.response';

@ReadApiController('pool')
export class LedgerExportsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('ledger/exports')
  @ApiOperation({
    summary: 'Closed periods of the ledger',
    description: 'One per seal at a payout plan, newest first: each can be downloaded as an export and audited offline (`poolctl audit --export FILE`).',
  })
  @ApiOkResponse({ type: ClosedPeriodsResponse })
  periods(): Promise<ClosedPeriodsResponse> {
    return this.queryBus.execute(new ClosedPeriodsQuery());
  }

  @Get('ledger/exports/:sequence')
  @ApiOperation({
    summary: 'The ledger through a closed period, as an export',
    description:
      'Every event through the seal (seal included) in the canonical encoding of docs/ledger-encoding.md, gzip-compressed NDJSON. ' +
      "Audit it with `poolctl audit --export FILE`; `--farmer <launcherId>` prints one farmer's statement from it.",
  })
  @ApiParam({ name: 'sequence', description: 'the seal number, as GET /api/ledger/exports lists it' })
  @ApiProduces('application/gzip')
  @ApiOkResponse({ description: 'gzip of NDJSON: a header line, then one line per event', schema: { type: 'string', format: 'binary' } })
  @ApiNotFoundResponse({ description: 'no seal of that number at a payout plan' })
  @ApiServiceUnavailableResponse({ description: 'too many exports are being streamed; try again later' })
  async export(@Param('sequence', ParseIntPipe) sequence: number, @Res() reply: FastifyReply): Promise<void> {
    const { period, stream } = await this.queryBus.execute<LedgerExportQuery, LedgerExportDownload>(new LedgerExportQuery(sequence));
    await reply
      .header('content-type', 'application/gzip')
      .header('content-disposition', `attachment; filename="ledger-through-seal-${period.sequence}.ndjson.gz"`)
      // A closed period is sealed: the same bytes forever.
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('etag', `"${period.hash}"`)
      .send(stream);
  }
}
