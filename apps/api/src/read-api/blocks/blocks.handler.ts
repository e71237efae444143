import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { blocksPage, pointsReceivedBetween, previousBlockTime, type BlockView } from '@pool/projections';
import { type ReadModelDatabase } from '@pool/read-models';
import { READ_MODELS } from '@pool/runtime';
import { NetworkFigures, type NetworkState } from '../network-figures';
import { effortPercent, luckPercent } from '../pool-effort';
import { decodeCursor, DEFAULT_LIMIT } from '../paging';
import { BlocksQuery } from './blocks.query';
import type { BlockEffortResponse, BlocksPageResponse } from './blocks.response';

@QueryHandler(BlocksQuery)
export class BlocksHandler implements IQueryHandler<BlocksQuery> {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: ReadModelDatabase,
    private readonly networkFigures: NetworkFigures,
  ) {}

  async execute({ page }: BlocksQuery): Promise<BlocksPageResponse> {
    const after = decodeCursor(page.cursor, ['n', 's']);
    const [blocks, network] = await Promise.all([blocksPage(this.readModels, { status: page.status, limit: page.limit ?? DEFAULT_LIMIT, after }), this.networkFigures.current()]);
    const items = await Promise.all(blocks.items.map(async (block) => ({ ...block, effort: await this.effortOf(block, network.state) })));
    return { ...blocks, items };
  }

  /** What the block took: the points since the block before it, against what a block is expected to take. */
  private async effortOf(block: BlockView, network: NetworkState | null): Promise<BlockEffortResponse> {
    if (block.status === 'reverted' || block.detectedAt === null) return { points: null, percent: null, luckPercent: null };
    const previous = await previousBlockTime(this.readModels, block.detectedAt, block.coinId);
    const points = await pointsReceivedBetween(this.readModels, previous, block.detectedAt);
    return {
      points: points.toString(),
      percent: network ? effortPercent(points, network) : null,
      // The pool's luck formula over this one block's span: expected points per block / the points it took.
      luckPercent: network ? luckPercent(1, points, network) : null,
    };
  }
}
