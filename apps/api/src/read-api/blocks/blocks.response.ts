import { ApiProperty } from '@nestjs/swagger';
import type { BlockView } from '@pool/projections';
import { CursorPageResponse, DECIMAL, HEX32, PERCENT, TIME } from '../response-schemas';

export class BlockEffortResponse {
  @ApiProperty({ ...DECIMAL, nullable: true, description: 'points received from the block before this one up to it (null: reverted)' }) points!: string | null;
  @ApiProperty({ ...PERCENT, description: 'points / expected points per block (null without a node, or reverted)' }) percent!: string | null;
  @ApiProperty({ ...PERCENT, description: 'expected points per block / points: 100 / effort' }) luckPercent!: string | null;
}

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
  @ApiProperty({
    type: BlockEffortResponse,
    description:
      "effort = points received after the block before it (the first block: from the first partial) up to it / expected points per block " +
      "(the overview's, with the chain's difficulty now); luck = expected points per block / those points",
  })
  effort!: BlockEffortResponse;
}

export class BlocksPageResponse extends CursorPageResponse {
  @ApiProperty({ type: [BlockResponse] })
  items!: BlockResponse[];
}
