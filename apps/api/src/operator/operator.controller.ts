import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiSecurity, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ListFarmersQuery, type FarmerListParams } from './list-farmers/list-farmers.query';
import { ListFarmersResponse } from './list-farmers/list-farmers.response';
import { OperatorHealthQuery } from './operator-health/operator-health.query';
import { OperatorHealthResponse } from './operator-health/operator-health.response';
import { OperatorKeyGuard } from './operator-key.guard';

/** /api/operator/*: what an operator needs and nobody else may see, behind `x-api-key` (the payout switch: payouts-control/). */
@Controller('api/operator')
@UseGuards(OperatorKeyGuard)
@ApiTags('operator')
@ApiSecurity('operator')
@ApiUnauthorizedResponse({ description: 'no x-api-key, a wrong one, or no operator key configured (the endpoints are then disabled)' })
export class OperatorController {
  constructor(private readonly queryBus: QueryBus) {}

  /** GET /api/operator/farmers?search=&membership=&sort=&order=&limit=&offset= */
  @Get('farmers')
  @ApiOperation({ summary: 'Farmers from the farmer_view read model: search, filter, sort, page' })
  @ApiQuery({ name: 'search', required: false, description: 'hex prefix (0x optional) of a launcher id or payout puzzle hash' })
  @ApiQuery({ name: 'membership', required: false, enum: ['member', 'left'] })
  @ApiQuery({ name: 'sort', required: false, description: 'confirmed_points (default), pending_points, window_points, points_24h, estimated_space, difficulty, last_partial_at, registered_at, launcher_id' })
  @ApiQuery({ name: 'order', required: false, enum: ['asc', 'desc'] })
  @ApiQuery({ name: 'limit', required: false, description: '1..500, default 50' })
  @ApiQuery({ name: 'offset', required: false })
  @ApiOkResponse({ type: ListFarmersResponse })
  farmers(@Query() query: FarmerListParams): Promise<ListFarmersResponse> {
    return this.queryBus.execute(new ListFarmersQuery(query));
  }

  /** Every dependency with its figures and errors, each projection's lag, and the payout switches. */
  @Get('health')
  @ApiOperation({ summary: 'Every dependency with its figures and errors, projection lag, payout switches, process, config (no secrets)' })
  @ApiOkResponse({ type: OperatorHealthResponse })
  health(): Promise<OperatorHealthResponse> {
    return this.queryBus.execute(new OperatorHealthQuery());
  }
}
