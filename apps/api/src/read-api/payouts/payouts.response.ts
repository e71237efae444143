import { ApiProperty } from '@nestjs/swagger';
import type { PayoutDetailView, PayoutLineView, PayoutView } from '@pool/projections';
import { CursorPageResponse, DECIMAL, HEX32, TIME } from '../response-schemas';

export class PayoutResponse implements PayoutView {
  @ApiProperty({ example: 'payout-00000001' }) payoutId!: string;
  @ApiProperty() sequence!: number;
  @ApiProperty({ enum: ['planned', 'sent', 'confirmed', 'failed'] }) status!: string;
  @ApiProperty({ description: 'the ledger position the plan was computed at (the audit replays to it)' }) ledgerPosition!: string;
  @ApiProperty({ enum: ['prop', 'pplns'] }) scheme!: string;
  @ApiProperty() feeBasisPoints!: number;
  @ApiProperty(DECIMAL) rewardTotal!: string;
  @ApiProperty(DECIMAL) poolFee!: string;
  @ApiProperty(DECIMAL) blockchainFee!: string;
  @ApiProperty(DECIMAL) allocatedTotal!: string;
  @ApiProperty(DECIMAL) carriedTotal!: string;
  @ApiProperty() recipients!: number;
  @ApiProperty({ type: [String] }) rewardCoinIds!: string[];
  @ApiProperty({ type: [String] }) transactionIds!: string[];
  @ApiProperty() attempts!: number;
  @ApiProperty({ type: String, nullable: true }) failureReason!: string | null;
  @ApiProperty({ type: Boolean, nullable: true }) willRetry!: boolean | null;
  @ApiProperty(TIME) plannedAt!: number;
  @ApiProperty(TIME) sentAt!: number | null;
  @ApiProperty({ type: Number, nullable: true }) confirmedHeight!: number | null;
  @ApiProperty(TIME) confirmedAt!: number | null;
  @ApiProperty(TIME) failedAt!: number | null;
}

export class PayoutsPageResponse extends CursorPageResponse {
  @ApiProperty({ type: [PayoutResponse] })
  items!: PayoutResponse[];
}

export class PayoutTransactionResponse {
  @ApiProperty() transactionId!: string;
}

export class PayoutLineResponse implements PayoutLineView {
  @ApiProperty(HEX32) launcherId!: string;
  @ApiProperty(HEX32) puzzleHash!: string;
  @ApiProperty(DECIMAL) points!: string;
  @ApiProperty({ ...DECIMAL, description: 'mojos' }) amount!: string;
  @ApiProperty({ type: String, nullable: true, description: 'the coin paying this line' }) coinId!: string | null;
  @ApiProperty() status!: string;
}

export class PayoutDetailResponse extends PayoutResponse implements PayoutDetailView {
  @ApiProperty({ type: [PayoutTransactionResponse] })
  transactions!: PayoutTransactionResponse[];
  @ApiProperty({ type: [PayoutLineResponse] })
  lines!: PayoutLineResponse[];
}
