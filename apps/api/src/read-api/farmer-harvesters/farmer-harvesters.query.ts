import { Query } from '@nestjs/cqrs';
import type { FarmerHarvestersResponse } from './farmer-harvesters.response';

/** GET /api/farmers/:launcherId/harvesters: the farmer's harvesters, from the harvesters projection. */
export class FarmerHarvestersQuery extends Query<FarmerHarvestersResponse> {
  constructor(readonly launcherId: string) {
    super();
  }
}
