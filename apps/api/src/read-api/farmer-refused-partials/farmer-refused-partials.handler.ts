import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { refusalCountsByHarvester, refusalDayStart, refusedPartialsPage } from '@pool/projections';
import { type ReadModelDatabase } from '@pool/read-models';
import { READ_MODELS } from '@pool/runtime';
import { assertKnownFarmer } from '../known-farmer';
import { decodeCursor, DEFAULT_LIMIT } from '../paging';
import { FarmerRefusedPartialsQuery } from './farmer-refused-partials.query';
import type { FarmerRefusedPartialsResponse } from './farmer-refused-partials.response';
import { refusalInWords } from './refusal-in-words';

@QueryHandler(FarmerRefusedPartialsQuery)
export class FarmerRefusedPartialsHandler implements IQueryHandler<FarmerRefusedPartialsQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModelDatabase) {}

  async execute({ launcherId, page }: FarmerRefusedPartialsQuery): Promise<FarmerRefusedPartialsResponse> {
    await assertKnownFarmer(this.readModels, launcherId);
    const after = decodeCursor(page.cursor, ['n', 's']);
    const harvesterId = page.harvester?.replace(/^0x/i, '').toLowerCase();
    const since = await refusalDayStart(this.readModels);
    const [refused, harvesters] = await Promise.all([
      refusedPartialsPage(this.readModels, launcherId, { harvesterId, limit: page.limit ?? DEFAULT_LIMIT, after }),
      refusalCountsByHarvester(this.readModels, launcherId, since),
    ]);
    return {
      ...refused,
      // The words come before the message they sum up.
      items: refused.items.map(({ refusedAt, harvesterId: harvester, errorCode, message, ...rest }) => ({
        refusedAt,
        harvesterId: harvester,
        errorCode,
        reason: refusalInWords(errorCode),
        message,
        ...rest,
      })),
      last24h: {
        since,
        harvesters: harvesters.map((h) => ({ ...h, byErrorCode: h.byErrorCode.map((c) => ({ errorCode: c.errorCode, reason: refusalInWords(c.errorCode), count: c.count })) })),
      },
    };
  }
}
