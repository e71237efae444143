import { Query } from '@nestjs/cqrs';
import type { FarmerTimelineResponse } from './farmer-timeline.response';

/** GET /api/farmers/:launcherId/timeline: points and partials per ledger hour (retention window) or per day (all history). */
export class FarmerTimelineQuery extends Query<FarmerTimelineResponse> {
  constructor(
    readonly launcherId: string,
    readonly resolution: 'hour' | 'day',
  ) {
    super();
  }
}
