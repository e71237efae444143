import { Query } from '@nestjs/cqrs';
import type { FarmerPointsResponse } from './farmer-points.response';

/** GET /api/farmers/:launcherId/points: the farmer's points by state, from the farmer_points projection. */
export class FarmerPointsQuery extends Query<FarmerPointsResponse> {
  constructor(readonly launcherId: string) {
    super();
  }
}
