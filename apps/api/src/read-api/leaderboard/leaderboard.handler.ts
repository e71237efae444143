import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { farmerRanking } from '@pool/projections';
import { type ReadModelDatabase } from '@pool/read-models';
import { READ_MODELS } from '@pool/runtime';
import { DEFAULT_LIMIT } from '../paging';
import { sharePercent } from '../pool-effort';
import { LeaderboardQuery } from './leaderboard.query';
import type { LeaderboardResponse } from './leaderboard.response';

@QueryHandler(LeaderboardQuery)
export class LeaderboardHandler implements IQueryHandler<LeaderboardQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModelDatabase) {}

  async execute({ page: request }: LeaderboardQuery): Promise<LeaderboardResponse> {
    const sort = request.sort ?? 'points_24h';
    const limit = request.limit ?? DEFAULT_LIMIT;
    const page = request.page ?? 1;
    const offset = (page - 1) * limit;
    const ranking = await farmerRanking(this.readModels, sort, limit, offset);
    return {
      sort,
      page,
      limit,
      total: ranking.farmers,
      items: ranking.rows.map(({ farmer, figure }, i) => ({ rank: offset + i + 1, ...farmer, share: sharePercent(figure, ranking.total) })),
    };
  }
}
