import { Query } from '@nestjs/cqrs';
import type { PayoutsQueryDto } from '../read-api.dto';
import type { PayoutDetailResponse, PayoutsPageResponse } from './payouts.response';

/** GET /api/payouts: one page of payouts. */
export class PayoutsQuery extends Query<PayoutsPageResponse> {
  constructor(readonly page: PayoutsQueryDto) {
    super();
  }
}

/** GET /api/payouts/:payoutId: one payout with its lines. */
export class PayoutDetailQuery extends Query<PayoutDetailResponse> {
  constructor(readonly payoutId: string) {
    super();
  }
}
