import { ApiProperty } from '@nestjs/swagger';
import type { PartialView } from '@pool/projections';
import { CursorPageResponse, DECIMAL, HEX32, TIME } from '../response-schemas';

export class PartialResponse implements PartialView {
  @ApiProperty(HEX32) proofHash!: string;
  @ApiProperty(DECIMAL) points!: string;
  @ApiProperty({ enum: ['submitted', 'confirmed', 'reverted'] }) status!: string;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'the result in plain words' }) explanation!: string | null;
  @ApiProperty({ type: Number, nullable: true }) forkHeight!: number | null;
  @ApiProperty({ type: Boolean, nullable: true }) wasConfirmed!: boolean | null;
  @ApiProperty({ type: String, nullable: true }) signagePointHash!: string | null;
  @ApiProperty({ type: Number, nullable: true }) plotSize!: number | null;
  @ApiProperty(TIME) receivedAt!: number;
  @ApiProperty(TIME) confirmedAt!: number | null;
  @ApiProperty(TIME) revertedAt!: number | null;
}

export class FarmerPartialsPageResponse extends CursorPageResponse {
  @ApiProperty({ type: [PartialResponse] })
  items!: PartialResponse[];
}
