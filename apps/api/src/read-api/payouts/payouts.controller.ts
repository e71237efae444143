import { Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import { AMOUNTS, PAGED, ReadApiController } from '../read-api.controller';
import { PayoutIdPipe, PayoutsQueryDto } from '../read-api.dto';
import { PayoutDetailQuery, PayoutsQuery } from './payouts.query';
import { PayoutDetailResponse, PayoutsPageResponse } from './payouts.response';

@ReadApiController('pool')
export class PayoutsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('payouts')
  @ApiOperation({ summary: 'Payouts', description: `Newest first. ${PAGED} ${AMOUNTS}` })
  @ApiOkResponse({ type: PayoutsPageResponse })
  @ApiBadRequestResponse({ description: 'a bad status, limit or cursor' })
  payouts(@Query() query: PayoutsQueryDto): Promise<PayoutsPageResponse> {
    return this.queryBus.execute(new PayoutsQuery(query));
  }

  @Get('payouts/:payoutId')
  @ApiOperation({ summary: 'One payout', description: `The payout with its transactions and one line per farmer paid. ${AMOUNTS}` })
  @ApiParam({ name: 'payoutId', example: 'payout-00000001' })
  @ApiOkResponse({ type: PayoutDetailResponse })
  @ApiNotFoundResponse({ description: 'no such payout' })
  payout(@Param('payoutId', PayoutIdPipe) payoutId: string): Promise<PayoutDetailResponse> {
    return this.queryBus.execute(new PayoutDetailQuery(payoutId));
  }
}
