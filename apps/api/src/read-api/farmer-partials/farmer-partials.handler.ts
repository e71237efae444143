import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { partialsPage } from '@pool/projections';
import { type ReadModelDatabase } from '@pool/read-models';
import { READ_MODELS } from '@pool/runtime';
import { assertKnownFarmer } from '../known-farmer';
import { decodeCursor, DEFAULT_LIMIT } from '../paging';
import { partialResultInWords } from '../plain-words';
import { FarmerPartialsQuery } from './farmer-partials.query';
import type { FarmerPartialsPageResponse } from './farmer-partials.response';

@QueryHandler(FarmerPartialsQuery)
export class FarmerPartialsHandler implements IQueryHandler<FarmerPartialsQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModelDatabase) {}

  async execute({ launcherId, page }: FarmerPartialsQuery): Promise<FarmerPartialsPageResponse> {
    await assertKnownFarmer(this.readModels, launcherId);
    const after = decodeCursor(page.cursor, ['n', 's']);
    const partials = await partialsPage(this.readModels, launcherId, { status: page.status, limit: page.limit ?? DEFAULT_LIMIT, after });
    return {
      ...partials,
      // The explanation follows the reason it explains.
      items: partials.items.map(({ proofHash, points, status, reason, ...rest }) => ({
        proofHash,
        points,
        status,
        reason,
        explanation: partialResultInWords(status, reason),
        ...rest,
      })),
    };
  }
}
