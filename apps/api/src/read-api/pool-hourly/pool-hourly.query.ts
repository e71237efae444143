import { Query } from '@nestjs/cqrs';
import type { PoolHourlyResponse } from './pool-hourly.response';

/** GET /api/pool/hourly: the newest `hours` ledger hours. */
export class PoolHourlyQuery extends Query<PoolHourlyResponse> {
  constructor(readonly hours: number) {
    super();
  }
}
