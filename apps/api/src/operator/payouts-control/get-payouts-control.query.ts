import { Query } from '@nestjs/cqrs';
import { type PayoutsControlResponse } from './payouts-control.response';

/** GET /api/operator/payouts/control: the switches as the ledger's `payouts-control` stream tells them. */
export class GetPayoutsControlQuery extends Query<PayoutsControlResponse> {}
