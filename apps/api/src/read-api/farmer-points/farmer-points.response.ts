import { ApiProperty } from '@nestjs/swagger';
import type { FarmerPointsView } from '@pool/projections';
import { DECIMAL, HEX32, PartialCountsResponse, TIME } from '../response-schemas';

export class FarmerPointsResponse implements FarmerPointsView {
  @ApiProperty(HEX32) launcherId!: string;
  @ApiProperty({ ...DECIMAL, description: 'accepted, not yet confirmed' }) pendingPoints!: string;
  @ApiProperty(DECIMAL) confirmedPoints!: string;
  @ApiProperty(DECIMAL) revertedPoints!: string;
  @ApiProperty({ type: PartialCountsResponse }) partials!: PartialCountsResponse;
  @ApiProperty(TIME) lastPartialAt!: number | null;
}
