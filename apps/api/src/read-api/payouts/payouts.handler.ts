import { Inject, NotFoundException } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { payoutDetail, payoutsPage } from '@pool/projections';
import { type ReadModelDatabase } from '@pool/read-models';
import { READ_MODELS } from '@pool/runtime';
import { decodeCursor, DEFAULT_LIMIT } from '../paging';
import { PayoutDetailQuery, PayoutsQuery } from './payouts.query';
import type { PayoutDetailResponse, PayoutsPageResponse } from './payouts.response';

@QueryHandler(PayoutsQuery)
export class PayoutsHandler implements IQueryHandler<PayoutsQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModelDatabase) {}

  execute({ page }: PayoutsQuery): Promise<PayoutsPageResponse> {
    const after = decodeCursor(page.cursor, ['n']);
    return payoutsPage(this.readModels, { status: page.status, limit: page.limit ?? DEFAULT_LIMIT, after });
  }
}

@QueryHandler(PayoutDetailQuery)
export class PayoutDetailHandler implements IQueryHandler<PayoutDetailQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModelDatabase) {}

  async execute({ payoutId }: PayoutDetailQuery): Promise<PayoutDetailResponse> {
    const payout = await payoutDetail(this.readModels, payoutId);
    if (!payout) throw new NotFoundException(`no payout ${payoutId}`);
    return payout;
  }
}
