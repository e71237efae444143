import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { farmerHarvesters, refusalCountsByHarvester, refusalDayStart, type HarvesterRefusalCounts, type HarvesterView } from '@pool/projections';
import { type ReadModelDatabase } from '@pool/read-models';
import { READ_MODELS } from '@pool/runtime';
import { assertKnownFarmer } from '../known-farmer';
import { FarmerHarvestersQuery } from './farmer-harvesters.query';
import type { FarmerHarvestersResponse, HarvesterResponse } from './farmer-harvesters.response';

@QueryHandler(FarmerHarvestersQuery)
export class FarmerHarvestersHandler implements IQueryHandler<FarmerHarvestersQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModelDatabase) {}

  async execute({ launcherId }: FarmerHarvestersQuery): Promise<FarmerHarvestersResponse> {
    await assertKnownFarmer(this.readModels, launcherId);
    const since = await refusalDayStart(this.readModels);
    const [harvesters, refusals] = await Promise.all([farmerHarvesters(this.readModels, launcherId), refusalCountsByHarvester(this.readModels, launcherId, since)]);
    return { launcherId, harvesters: withRefusals(harvesters, refusals) };
  }
}

/**
 * Each harvester's refusals of the last 24 h beside its accepted partials. A harvester whose every partial was
 * refused has no accepted figures at all, and it is the one its farmer most needs to see: it gets a row of its own,
 * seen when its refusals were.
 */
export function withRefusals(harvesters: readonly HarvesterView[], refusals: readonly HarvesterRefusalCounts[]): HarvesterResponse[] {
  const byHarvester = new Map(refusals.map((counts) => [counts.harvesterId, counts]));
  const rows: HarvesterResponse[] = harvesters.map((harvester) => {
    const counts = byHarvester.get(harvester.harvesterId);
    byHarvester.delete(harvester.harvesterId);
    return { ...harvester, refused: { last24h: counts?.refused ?? 0, lastRefusedAt: counts?.lastRefusedAt ?? null } };
  });
  for (const counts of byHarvester.values()) {
    rows.push({
      harvesterId: counts.harvesterId,
      firstSeenAt: counts.lastRefusedAt,
      lastSeenAt: counts.lastRefusedAt,
      partials: { submitted: 0, confirmed: 0, reverted: 0, last24h: 0 },
      points: { submitted: '0', confirmed: '0', reverted: '0', last24h: '0' },
      estimatedSpace: '0',
      plotSizes: [],
      farmerVersion: null,
      harvesterVersion: null,
      userAgent: null,
      refused: { last24h: counts.refused, lastRefusedAt: counts.lastRefusedAt },
    });
  }
  return rows.sort((a, b) => b.lastSeenAt - a.lastSeenAt || (a.harvesterId < b.harvesterId ? -1 : a.harvesterId > b.harvesterId ? 1 : 0));
}
