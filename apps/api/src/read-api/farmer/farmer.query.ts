import { Query } from '@nestjs/cqrs';
import type { FarmerResponse } from './farmer.response';

/** GET /api/farmers/:launcherId: one farmer's page. */
export class FarmerQuery extends Query<FarmerResponse> {
  constructor(readonly launcherId: string) {
    super();
  }
}
