import { Inject, NotFoundException } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { farmerPoints } from '@pool/projections';
import { type ReadModelDatabase } from '@pool/read-models';
import { READ_MODELS } from '@pool/runtime';
import { FarmerPointsQuery } from './farmer-points.query';
import type { FarmerPointsResponse } from './farmer-points.response';

/** Read side only: answers from the farmer_points projection, never from the ledger's write path. */
@QueryHandler(FarmerPointsQuery)
export class FarmerPointsHandler implements IQueryHandler<FarmerPointsQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModelDatabase) {}

  async execute({ launcherId }: FarmerPointsQuery): Promise<FarmerPointsResponse> {
    const points = await farmerPoints(this.readModels, launcherId);
    if (!points) throw new NotFoundException(`no points recorded for launcher ${launcherId}`);
    return points;
  }
}
