import { Query } from '@nestjs/cqrs';
import type { RefusedPartialsQueryDto } from './farmer-refused-partials.dto';
import type { FarmerRefusedPartialsResponse } from './farmer-refused-partials.response';

/** GET /api/farmers/:launcherId/refused-partials: one page of a farmer's refused partials, and the last 24 h per harvester. */
export class FarmerRefusedPartialsQuery extends Query<FarmerRefusedPartialsResponse> {
  constructor(
    readonly launcherId: string,
    readonly page: RefusedPartialsQueryDto,
  ) {
    super();
  }
}
