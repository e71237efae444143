import { ApiProperty } from '@nestjs/swagger';
import type { FarmerBalanceView, FarmerPayoutLineView } from '@pool/projections';
import { DECIMAL, HEX32, PartialCountsResponse, PointTotalsResponse, TIME } from '../response-schemas';

export class FarmerPointsSummaryResponse {
  @ApiProperty(DECIMAL) pending!: string;
  @ApiProperty(DECIMAL) confirmed!: string;
  @ApiProperty(DECIMAL) reverted!: string;
  @ApiProperty(DECIMAL) inWindow!: string;
  @ApiProperty(DECIMAL) last24h!: string;
}

export class FarmerBalanceResponse implements FarmerBalanceView {
  @ApiProperty(DECIMAL) carried!: string;
  @ApiProperty(DECIMAL) inFlight!: string;
  @ApiProperty(DECIMAL) paid!: string;
  @ApiProperty({ ...DECIMAL, description: 'points reverted after a payout had paid them (not clawed back)' }) revertedAfterPayout!: string;
  @ApiProperty({ type: 'integer', nullable: true }) lastPayoutSequence!: number | null;
  @ApiProperty({ type: 'integer' }) payoutsPlanned!: number;
}

export class FarmerPayoutLineResponse implements FarmerPayoutLineView {
  @ApiProperty({ example: 'payout-00000001' }) payoutId!: string;
  @ApiProperty() sequence!: number;
  @ApiProperty(DECIMAL) points!: string;
  @ApiProperty({ ...DECIMAL, description: 'mojos' }) amount!: string;
  @ApiProperty({ type: String, nullable: true }) coinId!: string | null;
  @ApiProperty() status!: string;
  @ApiProperty(TIME) plannedAt!: number | null;
  @ApiProperty(TIME) confirmedAt!: number | null;
  @ApiProperty({ type: Number, nullable: true }) confirmedHeight!: number | null;
  @ApiProperty({ type: [String] }) transactionIds!: string[];
}

export class PartialResultResponse {
  @ApiProperty({ enum: ['submitted', 'confirmed', 'reverted'] }) status!: string;
  @ApiProperty({ type: String, nullable: true, enum: ['signage_point_reverted', 'reorg', 'duplicate', 'left_pool'] }) reason!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'the result in plain words' }) explanation!: string | null;
  @ApiProperty() count!: number;
  @ApiProperty(DECIMAL) points!: string;
}

export class FarmerAllTimePartialsResponse extends PartialCountsResponse {
  @ApiProperty({ type: PointTotalsResponse }) points!: PointTotalsResponse;
}

export class FarmerPartialsResponse {
  @ApiProperty({ type: PartialCountsResponse, description: 'last 24 ledger hours' }) last24h!: PartialCountsResponse;
  @ApiProperty({ type: FarmerAllTimePartialsResponse, description: 'every partial ever, from the daily summaries' }) allTime!: FarmerAllTimePartialsResponse;
  @ApiProperty({ type: [PartialResultResponse], description: 'within the retention window: every result, reverts split by reason' })
  byResult!: PartialResultResponse[];
}

export class FarmerRankResponse {
  @ApiProperty({ enum: ['points_24h'], description: 'the figure ranked by (the leaderboard\'s default order)' }) by!: string;
  @ApiProperty({ type: 'integer', nullable: true, description: '1 for the farmer with the most; ties by launcher id' }) position!: number | null;
  @ApiProperty({ type: 'integer', description: 'farmers ranked' }) farmers!: number;
}

export class FarmerResponse {
  @ApiProperty(HEX32) launcherId!: string;
  @ApiProperty({ type: String, nullable: true, description: 'the name the farmer chose (plain text: escape it)' }) displayName!: string | null;
  @ApiProperty({ type: String, nullable: true, description: "the farmer's own minimum payout in mojos (null: the pool's)" }) minimumPayout!: string | null;
  @ApiProperty({ enum: ['member', 'left'] }) membership!: string;
  @ApiProperty(TIME) leftAt!: number | null;
  @ApiProperty({ type: String, nullable: true }) leftReason!: string | null;
  @ApiProperty({ type: String, nullable: true }) difficulty!: string | null;
  @ApiProperty({ type: String, nullable: true }) payoutInstructions!: string | null;
  @ApiProperty({ type: String, nullable: true }) payoutPuzzleHash!: string | null;
  @ApiProperty({ type: Number, nullable: true }) protocolVersion!: number | null;
  @ApiProperty(TIME) registeredAt!: number | null;
  @ApiProperty(TIME) lastPartialAt!: number | null;
  @ApiProperty({
    type: FarmerPointsSummaryResponse,
    description: 'pending: accepted, not yet confirmed; inWindow: confirmed and not yet paid (what the next PROP payout pays)',
  })
  points!: FarmerPointsSummaryResponse;
  @ApiProperty({ ...DECIMAL, description: 'bytes, from the points of the last 24 ledger hours over the time farmed of them (see /api/pool/stats spaceFormula)' })
  estimatedSpace!: string;
  @ApiProperty({ type: FarmerRankResponse, description: 'where the farmer stands on the leaderboard' }) rank!: FarmerRankResponse;
  @ApiProperty({ type: FarmerBalanceResponse, description: 'mojos' }) balance!: FarmerBalanceResponse;
  @ApiProperty({ type: [FarmerPayoutLineResponse], description: 'the 20 newest payout lines' }) payoutHistory!: FarmerPayoutLineResponse[];
  @ApiProperty({ type: FarmerPartialsResponse }) partials!: FarmerPartialsResponse;
}
