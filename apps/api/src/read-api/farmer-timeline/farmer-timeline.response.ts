import { ApiProperty } from '@nestjs/swagger';
import { TIMELINE_RESOLUTIONS } from '../read-api.dto';
import { HEX32, PartialCountsResponse, PointTotalsResponse } from '../response-schemas';

export class TimelineBucketResponse {
  @ApiProperty({ description: 'start of the hour or UTC day (unix seconds)' }) start!: number;
  @ApiProperty({ type: PartialCountsResponse }) partials!: PartialCountsResponse;
  @ApiProperty({ type: PointTotalsResponse }) points!: PointTotalsResponse;
}

export class FarmerTimelineResponse {
  @ApiProperty(HEX32) launcherId!: string;
  @ApiProperty({ enum: TIMELINE_RESOLUTIONS }) resolution!: 'hour' | 'day';
  @ApiProperty({ type: [TimelineBucketResponse] }) buckets!: TimelineBucketResponse[];
}
