import { Controller, Get, Param, Query, Res, UsePipes } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { toCsv } from './csv';
import { FarmerStatementService, type StatementAnswer } from './farmer-statement.service';
import { PoolStatsService } from './pool-stats.service';
import {
  BlocksQueryDto,
  LauncherIdPipe,
  LeaderboardQueryDto,
  PartialsQueryDto,
  PayoutIdPipe,
  PayoutsQueryDto,
  PoolHourlyQueryDto,
  readApiValidationPipe,
  TimelineQueryDto,
} from './read-api.dto';
import { ReadModelQueries } from './read-model.queries';
import type { CursorPage } from './paging';
import {
  BlocksPageResponse,
  FarmerResponse,
  LeaderboardResponse,
  PartialsPageResponse,
  PayoutDetailResponse,
  PayoutsPageResponse,
  PoolHourlyResponse,
  PoolStatsResponse,
  StatementResponse,
  TimelineResponse,
} from './read-api.responses';

const LAUNCHER_PARAM = { name: 'launcherId', description: 'the plot NFT launcher id: 64 hex characters, 0x optional' };
const PAGED = 'Keyset paged: pass `nextCursor` back as `cursor` for the next page; `nextCursor` is null on the last one.';
const AMOUNTS = 'Points, mojos and bytes are decimal strings (they pass 2^53); times are unix seconds of ledger time.';

@ApiTags('pool')
@Controller('api')
@UsePipes(readApiValidationPipe)
export class PoolReadController {
  constructor(
    private readonly stats: PoolStatsService,
    private readonly queries: ReadModelQueries,
  ) {}

  @Get('pool/stats')
  @ApiOperation({ summary: 'Pool overview', description: `Estimated space, farmers, points per hour, effort and luck (formulas in the answer), fee, scheme, minimum payout. ${AMOUNTS}` })
  @ApiOkResponse({ type: PoolStatsResponse })
  poolStats(): Promise<object> {
    return this.stats.stats();
  }

  @Get('pool/hourly')
  @ApiOperation({ summary: 'The pool per ledger hour', description: `Partials, points, farmers online and estimated space per hour, oldest first. ${AMOUNTS}` })
  @ApiOkResponse({ type: PoolHourlyResponse })
  @ApiBadRequestResponse({ description: 'hours out of range' })
  async poolHourly(@Query() query: PoolHourlyQueryDto): Promise<object> {
    return { hours: await this.queries.poolHourly(query.hours ?? 48) };
  }

  @Get('blocks')
  @ApiOperation({ summary: 'Blocks won by the pool (reward coins)', description: `Newest first, with status detected / absorbed / reverted. ${PAGED} ${AMOUNTS}` })
  @ApiOkResponse({ type: BlocksPageResponse })
  @ApiBadRequestResponse({ description: 'a bad status, limit or cursor' })
  blocks(@Query() query: BlocksQueryDto): Promise<CursorPage<object>> {
    return this.queries.blocks(query);
  }

  @Get('payouts')
  @ApiOperation({ summary: 'Payouts', description: `Newest first. ${PAGED} ${AMOUNTS}` })
  @ApiOkResponse({ type: PayoutsPageResponse })
  @ApiBadRequestResponse({ description: 'a bad status, limit or cursor' })
  payouts(@Query() query: PayoutsQueryDto): Promise<CursorPage<object>> {
    return this.queries.payouts(query);
  }

  @Get('payouts/:payoutId')
  @ApiOperation({ summary: 'One payout', description: `The payout with its transactions and one line per farmer paid. ${AMOUNTS}` })
  @ApiParam({ name: 'payoutId', example: 'payout-00000001' })
  @ApiOkResponse({ type: PayoutDetailResponse })
  @ApiNotFoundResponse({ description: 'no such payout' })
  payout(@Param('payoutId', PayoutIdPipe) payoutId: string): Promise<object> {
    return this.queries.payout(payoutId);
  }

  @Get('leaderboard')
  @ApiOperation({ summary: 'Farmers ranked', description: `By points in the last 24 h (default), confirmed points, unpaid points or estimated space; page-numbered. ${AMOUNTS}` })
  @ApiOkResponse({ type: LeaderboardResponse })
  @ApiBadRequestResponse({ description: 'a bad sort, page or limit' })
  leaderboard(@Query() query: LeaderboardQueryDto): Promise<object> {
    return this.queries.leaderboard(query);
  }
}

@ApiTags('farmers')
@Controller('api/farmers')
@UsePipes(readApiValidationPipe)
export class FarmerReadController {
  constructor(
    private readonly queries: ReadModelQueries,
    private readonly statements: FarmerStatementService,
  ) {}

  @Get(':launcherId')
  @ApiOperation({
    summary: 'One farmer',
    description: `Difficulty, points pending / confirmed / in the payout window, estimated space, balance, payout history and partials by result with reasons in plain words. ${AMOUNTS}`,
  })
  @ApiParam(LAUNCHER_PARAM)
  @ApiOkResponse({ type: FarmerResponse })
  @ApiBadRequestResponse({ description: 'not a launcher id' })
  @ApiNotFoundResponse({ description: 'the pool has never seen this launcher' })
  farmer(@Param('launcherId', LauncherIdPipe) launcherId: string): Promise<object> {
    return this.queries.farmer(launcherId);
  }

  @Get(':launcherId/partials')
  @ApiOperation({ summary: "A farmer's recent partials", description: `Newest first, within the retention window. ${PAGED}` })
  @ApiParam(LAUNCHER_PARAM)
  @ApiOkResponse({ type: PartialsPageResponse })
  @ApiNotFoundResponse({ description: 'the pool has never seen this launcher' })
  partials(@Param('launcherId', LauncherIdPipe) launcherId: string, @Query() query: PartialsQueryDto): Promise<CursorPage<object>> {
    return this.queries.partials(launcherId, query);
  }

  @Get(':launcherId/timeline')
  @ApiOperation({ summary: "A farmer's points and partials over time", description: 'Per ledger hour (retention window) or per UTC day (all history), oldest first.' })
  @ApiParam(LAUNCHER_PARAM)
  @ApiOkResponse({ type: TimelineResponse })
  @ApiNotFoundResponse({ description: 'the pool has never seen this launcher' })
  timeline(@Param('launcherId', LauncherIdPipe) launcherId: string, @Query() query: TimelineQueryDto): Promise<object> {
    return this.queries.farmerTimeline(launcherId, query.resolution ?? 'hour');
  }

  @Get(':launcherId/statement')
  @ApiOperation({
    summary: "A farmer's audit statement",
    description: 'Replayed from the ledger by the same code as `poolctl audit --farmer`: every credit, reversal, allocation, payment and carried balance, with running balances.',
  })
  @ApiParam(LAUNCHER_PARAM)
  @ApiOkResponse({ type: StatementResponse })
  @ApiNotFoundResponse({ description: 'the ledger has no such farmer' })
  statement(@Param('launcherId', LauncherIdPipe) launcherId: string): Promise<StatementAnswer> {
    return this.statements.statement(launcherId);
  }

  @Get(':launcherId/history.csv')
  @ApiOperation({ summary: "A farmer's history as CSV", description: 'One row per UTC day: partials and points by result, payouts planned that day, mojos allocated and paid.' })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'CSV (RFC 4180, CRLF), header row first', schema: { type: 'string' } })
  @ApiParam(LAUNCHER_PARAM)
  @ApiNotFoundResponse({ description: 'the pool has never seen this launcher' })
  async historyCsv(@Param('launcherId', LauncherIdPipe) launcherId: string, @Res() reply: FastifyReply): Promise<void> {
    const days = await this.queries.farmerHistoryDays(launcherId);
    const csv = toCsv(
      [
        'date',
        'partials_submitted',
        'partials_confirmed',
        'partials_reverted',
        'points_submitted',
        'points_confirmed',
        'points_reverted',
        'payouts',
        'payout_points',
        'allocated_mojos',
        'paid_mojos',
      ],
      days.map((d) => [
        new Date(d.day * 1000).toISOString().slice(0, 10),
        d.submitted,
        d.confirmed,
        d.reverted,
        d.submittedPoints,
        d.confirmedPoints,
        d.revertedPoints,
        d.payouts,
        d.payoutPoints,
        d.allocated,
        d.paid,
      ]),
    );
    await reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="farmer-${launcherId}-history.csv"`)
      .header('cache-control', 'no-store')
      .send(csv);
  }
}

export const READ_API_CONTROLLERS = [PoolReadController, FarmerReadController];
export const READ_API_PROVIDERS = [ReadModelQueries, PoolStatsService, FarmerStatementService];
