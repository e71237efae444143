import { BadRequestException, Body, Controller, Get, HttpCode, Inject, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiQuery, ApiSecurity, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { type PoolConfig } from '@pool/config';
import { POOL_CONFIG, EVENT_STORE, READ_MODELS } from '@pool/runtime';
import { type EventStore } from '@pool/event-sourcing';
import { allProjections } from '@pool/projections';
import { projectionStatus } from '@pool/read-models';
import { type ReadModelDatabase } from '@pool/read-models';
import { PoolHealthIndicators } from '../health/pool-health.indicators';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { PausePayoutsCommand, readPayoutsControl, ResumePayoutsCommand } from '@pool/commands';
import { type PayoutsControlState } from '@pool/domain';
import { CLOCK, type Clock } from '@pool/runtime';
import { ListFarmersQuery, type FarmerListParams } from './list-farmers/list-farmers.query';
import { ListFarmersResponse } from './list-farmers/list-farmers.response';
import { OperatorKeyGuard } from './operator-key.guard';

const startedAt = Date.now();

function reasonOf(body: unknown): string {
  const reason = (body as { reason?: unknown } | undefined)?.reason;
  if (typeof reason !== 'string' || reason.trim().length === 0 || reason.length > 500) {
    throw new BadRequestException('body must be {"reason": "..."} with a reason of 1 to 500 characters');
  }
  return reason;
}

function describeControl(state: PayoutsControlState): object {
  return { paused: state.paused, pausedBy: state.pausedBy, history: state.history.slice(-20) };
}

/** /api/operator/*: what an operator needs and nobody else may see, behind `x-api-key`. */
@Controller('api/operator')
@UseGuards(OperatorKeyGuard)
@ApiTags('operator')
@ApiSecurity('operator')
@ApiUnauthorizedResponse({ description: 'no x-api-key, a wrong one, or no operator key configured (the endpoints are then disabled)' })
export class OperatorController {
  constructor(
    @Inject(POOL_CONFIG) private readonly config: PoolConfig,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly readModels: ReadModelDatabase,
    @Inject(CLOCK) private readonly now: Clock,
    private readonly indicators: PoolHealthIndicators,
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  /** GET /api/operator/farmers?search=&membership=&sort=&order=&limit=&offset= */
  @Get('farmers')
  @ApiOperation({ summary: 'Farmers from the farmer_view read model: search, filter, sort, page' })
  @ApiQuery({ name: 'search', required: false, description: 'hex prefix (0x optional) of a launcher id or payout puzzle hash' })
  @ApiQuery({ name: 'membership', required: false, enum: ['member', 'left'] })
  @ApiQuery({ name: 'sort', required: false, description: 'confirmed_points (default), pending_points, window_points, points_24h, estimated_space, difficulty, last_partial_at, registered_at, launcher_id' })
  @ApiQuery({ name: 'order', required: false, enum: ['asc', 'desc'] })
  @ApiQuery({ name: 'limit', required: false, description: '1..500, default 50' })
  @ApiQuery({ name: 'offset', required: false })
  @ApiOkResponse({ type: ListFarmersResponse })
  farmers(@Query() query: FarmerListParams): Promise<ListFarmersResponse> {
    return this.queryBus.execute(new ListFarmersQuery(query));
  }

  /** Every dependency with its figures and errors, each projection's lag, and the payout switches. */
  @Get('health')
  @ApiOperation({ summary: 'Every dependency with its figures and errors, projection lag, payout switches, process, config (no secrets)' })
  async health(): Promise<object> {
    const [eventStore, readModels, chain] = await Promise.all([
      this.indicators.checkEventStore(true),
      this.indicators.checkReadModels(true),
      this.indicators.checkChain(true),
    ]);
    const checks = { ...eventStore, ...readModels, ...chain };
    const projections = await projectionStatus(this.store, this.readModels, allProjections, 10_000).catch((error: unknown) => ({
      error: (error as Error).message,
    }));
    const payouts = await readPayoutsControl(this.store).then(describeControl, (error: unknown) => ({ error: (error as Error).message }));
    const s = this.config.settings;
    return {
      status: Object.values(checks).every((c) => (c as { status: string }).status === 'up') ? 'ok' : 'error',
      checks,
      projections,
      payouts,
      process: { pid: process.pid, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000), rssBytes: process.memoryUsage().rss, node: process.version },
      // What the pool runs with, secrets left out.
      config: {
        source: this.config.source ?? null,
        eventStore: this.store.name,
        readModels: this.readModels.dialect,
        chain: this.config.chia.fullNode ? `${this.config.chia.fullNode.host}:${this.config.chia.fullNode.port ?? 8555}` : 'devnet',
        logLevel: this.config.logLevel,
        pool: { name: s.name, feeBasisPoints: s.feeBasisPoints, targetPuzzleHash: s.targetPuzzleHash },
        payouts: { scheme: s.payouts.scheme, minimumPayout: s.payouts.minimumPayout.toString(), intervalSeconds: s.payouts.intervalSeconds },
      },
    };
  }

  @Get('payouts/control')
  @ApiOperation({ summary: 'The payout pause switches and their recent history' })
  async payoutsControl(): Promise<object> {
    return describeControl(await readPayoutsControl(this.store));
  }

  /** Records PayoutsPaused by 'operator' (nothing when already paused by the operator). */
  @Post('payouts/pause')
  @HttpCode(200)
  @ApiOperation({ summary: "Pause payouts (records PayoutsPaused by 'operator'; nothing if already paused by the operator)" })
  @ApiBody({ schema: { type: 'object', required: ['reason'], properties: { reason: { type: 'string', maxLength: 500 } } } })
  async pause(@Body() body: unknown): Promise<object> {
    const result = await this.commandBus.execute(new PausePayoutsCommand(reasonOf(body), 'operator', Math.floor(this.now())));
    return { changed: result.changed, ...describeControl(result.state) };
  }

  /** Lifts the operator's pause only: a pause file or the config keeps holding payouts until it is removed. */
  @Post('payouts/resume')
  @HttpCode(200)
  @ApiOperation({ summary: "Lift the operator's pause (a pause file or the config keeps holding payouts)" })
  @ApiBody({ schema: { type: 'object', required: ['reason'], properties: { reason: { type: 'string', maxLength: 500 } } } })
  async resume(@Body() body: unknown): Promise<object> {
    const result = await this.commandBus.execute(new ResumePayoutsCommand(reasonOf(body), 'operator', Math.floor(this.now())));
    return { changed: result.changed, ...describeControl(result.state) };
  }
}
