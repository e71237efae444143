import { Query } from '@nestjs/cqrs';
import type { PartialsQueryDto } from '../read-api.dto';
import type { FarmerPartialsPageResponse } from './farmer-partials.response';

/** GET /api/farmers/:launcherId/partials: one page of a farmer's recent partials. */
export class FarmerPartialsQuery extends Query<FarmerPartialsPageResponse> {
  constructor(
    readonly launcherId: string,
    readonly page: PartialsQueryDto,
  ) {
    super();
  }
}
