import { Query } from '@nestjs/cqrs';
import type { LeaderboardQueryDto } from '../read-api.dto';
import type { LeaderboardResponse } from './leaderboard.response';

/** GET /api/leaderboard: one page of farmers ranked by a figure. */
export class LeaderboardQuery extends Query<LeaderboardResponse> {
  constructor(readonly page: LeaderboardQueryDto) {
    super();
  }
}
