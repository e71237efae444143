import { BadRequestException, Body, Controller, Get, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBody, type ApiBodyOptions, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { PausePayoutsCommand, ResumePayoutsCommand } from '@pool/commands';
import { CLOCK, type Clock } from '@pool/runtime';
import { OperatorKeyGuard } from '../operator-key.guard';
import { GetPayoutsControlQuery } from './get-payouts-control.query';
import { PayoutsControlResponse, PayoutsSwitchResponse } from './payouts-control.response';

function reasonOf(body: unknown): string {
  const reason = (body as { reason?: unknown } | undefined)?.reason;
  if (typeof reason !== 'string' || reason.trim().length === 0 || reason.length > 500) {
    throw new BadRequestException('body must be {"reason": "..."} with a reason of 1 to 500 characters');
  }
  return reason;
}

const REASON_BODY: ApiBodyOptions = { schema: { type: 'object', required: ['reason'], properties: { reason: { type: 'string', maxLength: 500 } } } };

/**
 * /api/operator/payouts/*: the operator's payout switch. A pause or resume is PausePayouts / ResumePayouts by
 * 'operator' on the CommandBus (the same commands `poolctl payouts` and the worker's config and pause-file switches
 * dispatch); resuming lifts only the operator's switch.
 */
@Controller('api/operator/payouts')
@UseGuards(OperatorKeyGuard)
@ApiTags('operator')
@ApiSecurity('operator')
@ApiUnauthorizedResponse({ description: 'no x-api-key, a wrong one, or no operator key configured (the endpoints are then disabled)' })
export class PayoutsControlController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
    @Inject(CLOCK) private readonly now: Clock,
  ) {}

  @Get('control')
  @ApiOperation({ summary: 'The payout pause switches and their recent history' })
  @ApiOkResponse({ type: PayoutsControlResponse })
  control(): Promise<PayoutsControlResponse> {
    return this.queryBus.execute(new GetPayoutsControlQuery());
  }

  @Post('pause')
  @HttpCode(200)
  @ApiOperation({ summary: "Pause payouts (records PayoutsPaused by 'operator'; nothing if already paused by the operator)" })
  @ApiBody(REASON_BODY)
  @ApiOkResponse({ type: PayoutsSwitchResponse })
  async pause(@Body() body: unknown): Promise<PayoutsSwitchResponse> {
    const result = await this.commandBus.execute(new PausePayoutsCommand(reasonOf(body), 'operator', Math.floor(this.now())));
    return { changed: result.changed, ...PayoutsControlResponse.of(result.state) };
  }

  @Post('resume')
  @HttpCode(200)
  @ApiOperation({ summary: "Lift the operator's pause (a pause file or the config keeps holding payouts)" })
  @ApiBody(REASON_BODY)
  @ApiOkResponse({ type: PayoutsSwitchResponse })
  async resume(@Body() body: unknown): Promise<PayoutsSwitchResponse> {
    const result = await this.commandBus.execute(new ResumePayoutsCommand(reasonOf(body), 'operator', Math.floor(this.now())));
    return { changed: result.changed, ...PayoutsControlResponse.of(result.state) };
  }
}
