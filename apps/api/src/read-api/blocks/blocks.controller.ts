import { Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AMOUNTS, PAGED, ReadApiController } from '../read-api.controller';
import { BlocksQueryDto } from '../read-api.dto';
import { BlocksQuery } from './blocks.query';
import { BlocksPageResponse } from './blocks.response';

@ReadApiController('pool')
export class BlocksController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('blocks')
  @ApiOperation({ summary: 'Blocks won by the pool (reward coins)', description: `Newest first, with status detected / absorbed / reverted. ${PAGED} ${AMOUNTS}` })
  @ApiOkResponse({ type: BlocksPageResponse })
  @ApiBadRequestResponse({ description: 'a bad status, limit or cursor' })
  blocks(@Query() query: BlocksQueryDto): Promise<BlocksPageResponse> {
    return this.queryBus.execute(new BlocksQuery(query));
  }
}
