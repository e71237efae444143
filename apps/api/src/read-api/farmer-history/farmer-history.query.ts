import { Query } from '@nestjs/cqrs';
import type { HistoryDay } from './farmer-history.csv';

/** GET /api/farmers/:launcherId/history.csv: the farmer's days with activity, oldest first. */
export class FarmerHistoryQuery extends Query<HistoryDay[]> {
  constructor(readonly launcherId: string) {
    super();
  }
}
