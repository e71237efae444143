import { ApiProperty } from '@nestjs/swagger';
import type { PoolHourView } from '@pool/projections';
import { DECIMAL, PartialCountsResponse, PointTotalsResponse } from '../response-schemas';

export class PoolHourResponse implements PoolHourView {
  @ApiProperty({ type: Number, description: 'start of the ledger hour (unix seconds)' }) hour!: number;
  @ApiProperty({ type: PartialCountsResponse, description: 'partials that hour' }) partials!: PartialCountsResponse;
  @ApiProperty({ type: PointTotalsResponse, description: 'points that hour' }) points!: PointTotalsResponse;
  @ApiProperty() farmersOnline!: number;
  @ApiProperty(DECIMAL) estimatedSpace!: string;
}

export class PoolHourlyResponse {
  @ApiProperty({ type: [PoolHourResponse] })
  hours!: PoolHourResponse[];
}
