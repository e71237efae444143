import { ApiProperty } from '@nestjs/swagger';
import type { BlockView } from '@pool/projections';
import { CursorPageResponse, DECIMAL, HEX32, TIME } from '../response-schemas';

export class BlockResponse implements BlockView {
  @ApiProperty(HEX32) coinId!: string;
  @ApiProperty({ ...HEX32, description: 'the farmer whose plot NFT won it' }) launcherId!: string;
  @ApiProperty({ type: String, nullable: true }) puzzleHash!: string | null;
  @ApiProperty({ ...DECIMAL, description: 'mojos' }) amount!: string;
  @ApiProperty({ enum: ['detected', 'absorbed', 'reverted'] }) status!: string;
  @ApiProperty({ type: Number, nullable: true }) farmedHeight!: number | null;
  @ApiProperty({ type: Number, nullable: true }) confirmedHeight!: number | null;
  @ApiProperty({ type: Number, nullable: true }) absorbedHeight!: number | null;
  @ApiProperty({ type: String, nullable: true }) absorbTransactionId!: string | null;
  @ApiProperty({ type: String, nullable: true }) poolCoinId!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'mojos' }) absorbFee!: string | null;
  @ApiProperty({ type: Number, nullable: true }) forkHeight!: number | null;
  @ApiProperty(TIME) detectedAt!: number | null;
  @ApiProperty(TIME) absorbedAt!: number | null;
  @ApiProperty(TIME) revertedAt!: number | null;
}

export class BlocksPageResponse extends CursorPageResponse {
  @ApiProperty({ type: [BlockResponse] })
  items!: BlockResponse[];
}
