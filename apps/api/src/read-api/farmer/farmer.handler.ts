import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { farmerBalance, farmerPartialResults, farmerPartialTotals, farmerPayoutLines, farmerRank, farmerRecord } from '@pool/projections';
import { type ReadModelDatabase } from '@pool/read-models';
import { READ_MODELS } from '@pool/runtime';
import { unknownFarmer } from '../known-farmer';
import { partialResultInWords } from '../plain-words';
import { FarmerQuery } from './farmer.query';
import type { FarmerResponse } from './farmer.response';

/** Payout lines the farmer page lists, newest first. */
const PAYOUT_HISTORY_LINES = 20;

/** One farmer from farmer_view, its balance from the points window, its payouts and its partials by result. */
@QueryHandler(FarmerQuery)
export class FarmerHandler implements IQueryHandler<FarmerQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModelDatabase) {}

  async execute({ launcherId }: FarmerQuery): Promise<FarmerResponse> {
    const record = await farmerRecord(this.readModels, launcherId);
    if (!record) throw unknownFarmer(launcherId);
    const [balance, payoutHistory, allTime, byResult, rank] = await Promise.all([
      farmerBalance(this.readModels, launcherId),
      farmerPayoutLines(this.readModels, launcherId, PAYOUT_HISTORY_LINES),
      farmerPartialTotals(this.readModels, launcherId),
      farmerPartialResults(this.readModels, launcherId),
      farmerRank(this.readModels, launcherId, 'points_24h'),
    ]);
    const { partials24h, ...farmer } = record;
    return {
      ...farmer,
      balance,
      // The leaderboard's default order (null only if the row went between the two reads).
      rank: { by: 'points_24h', position: rank?.rank ?? null, farmers: rank?.farmers ?? 0 },
      payoutHistory,
      partials: {
        last24h: partials24h,
        allTime,
        // Within the retention window: every result, reverts split by reason, each explained.
        byResult: byResult.map((r) => ({ status: r.status, reason: r.reason, explanation: partialResultInWords(r.status, r.reason), count: r.count, points: r.points })),
      },
    };
  }
}
