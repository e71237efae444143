import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { poolHours } from '@pool/projections';
import { type ReadModelDatabase } from '@pool/read-models';
import { READ_MODELS } from '@pool/runtime';
import { PoolHourlyQuery } from './pool-hourly.query';
import type { PoolHourlyResponse } from './pool-hourly.response';

@QueryHandler(PoolHourlyQuery)
export class PoolHourlyHandler implements IQueryHandler<PoolHourlyQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModelDatabase) {}

  async execute(query: PoolHourlyQuery): Promise<PoolHourlyResponse> {
    return { hours: await poolHours(this.readModels, query.hours) };
  }
}
