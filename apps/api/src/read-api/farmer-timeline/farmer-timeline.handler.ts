import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { farmerHours, farmerPartialDays } from '@pool/projections';
import { type ReadModelDatabase } from '@pool/read-models';
import { READ_MODELS } from '@pool/runtime';
import { assertKnownFarmer } from '../known-farmer';
import { FarmerTimelineQuery } from './farmer-timeline.query';
import type { FarmerTimelineResponse, TimelineBucketResponse } from './farmer-timeline.response';

/** Hours from farmer_hourly (farmer-view, retention window), days from partial_daily (partial-history, all history). */
@QueryHandler(FarmerTimelineQuery)
export class FarmerTimelineHandler implements IQueryHandler<FarmerTimelineQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModelDatabase) {}

  async execute({ launcherId, resolution }: FarmerTimelineQuery): Promise<FarmerTimelineResponse> {
    await assertKnownFarmer(this.readModels, launcherId);
    const buckets: TimelineBucketResponse[] =
      resolution === 'hour'
        ? (await farmerHours(this.readModels, launcherId)).map(({ hour, partials, points }) => ({ start: hour, partials, points }))
        : (await farmerPartialDays(this.readModels, launcherId)).map(({ day, partials, points }) => ({ start: day, partials, points }));
    return { launcherId, resolution, buckets };
  }
}
