import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { blocksPage } from '@pool/projections';
import { type ReadModelDatabase } from '@pool/read-models';
import { READ_MODELS } from '@pool/runtime';
import { decodeCursor, DEFAULT_LIMIT } from '../paging';
import { BlocksQuery } from './blocks.query';
import type { BlocksPageResponse } from './blocks.response';

@QueryHandler(BlocksQuery)
export class BlocksHandler implements IQueryHandler<BlocksQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModelDatabase) {}

  execute({ page }: BlocksQuery): Promise<BlocksPageResponse> {
    const after = decodeCursor(page.cursor, ['n', 's']);
    return blocksPage(this.readModels, { status: page.status, limit: page.limit ?? DEFAULT_LIMIT, after });
  }
}
