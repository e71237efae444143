import { Query } from '@nestjs/cqrs';
import type { BlocksQueryDto } from '../read-api.dto';
import type { BlocksPageResponse } from './blocks.response';

/** GET /api/blocks: one page of the blocks won. */
export class BlocksQuery extends Query<BlocksPageResponse> {
  constructor(readonly page: BlocksQueryDto) {
    super();
  }
}
