import { ApiProperty } from '@nestjs/swagger';
import type { AllocationInclusion, CommittedPaymentVersion, MerkleStep, PayoutCommitment } from '@pool/domain';
import { DECIMAL, HEX32 } from '../response-schemas';

export class AllocationLineResponse {
  @ApiProperty({ description: "the allocation's place in the plan (the Merkle tree's leaf order)" }) index!: number;
  @ApiProperty(HEX32) launcherId!: string;
  @ApiProperty(HEX32) puzzleHash!: string;
  @ApiProperty(DECIMAL) points!: string;
  @ApiProperty({ ...DECIMAL, description: 'mojos' }) amount!: string;
}

export class MerkleStepResponse implements MerkleStep {
  @ApiProperty({ enum: ['left', 'right'], description: 'the side the sibling stands on' }) side!: 'left' | 'right';
  @ApiProperty(HEX32) hash!: string;
}

export class PayoutCommitmentResponse implements PayoutCommitment {
  @ApiProperty({ description: 'the seal recorded through this payout\'s plan' }) sealSequence!: number;
  @ApiProperty(HEX32) sealHash!: string;
  @ApiProperty(HEX32) allocationsRoot!: string;
  @ApiProperty({ description: 'the memo exactly as it is on chain (its UTF-8 bytes)' }) memo!: string;
}

export class PaymentResponse {
  @ApiProperty() transactionIndex!: number;
  @ApiProperty(HEX32) puzzleHash!: string;
  @ApiProperty({ ...DECIMAL, description: 'mojos of the coin (farmers sharing a payout address share one coin)' }) amount!: string;
}

export class PaymentVersionResponse implements CommittedPaymentVersion {
  @ApiProperty(HEX32) transactionId!: string;
  @ApiProperty({ ...HEX32, description: 'the coin that pays the farmer' }) paymentCoinId!: string;
  @ApiProperty({ ...HEX32, description: 'the coin whose CREATE_COIN carries the memo' }) memoCoinId!: string;
}

export class FarmerPayoutProofResponse implements Omit<AllocationInclusion, 'allocation'> {
  @ApiProperty() payoutId!: string;
  @ApiProperty({ type: AllocationLineResponse }) allocation!: AllocationLineResponse;
  @ApiProperty() allocationCount!: number;
  @ApiProperty({ ...HEX32, description: 'SHA-256(0x00 ‖ launcher id ‖ puzzle hash ‖ amount as 8 bytes big-endian)' }) leaf!: string;
  @ApiProperty({ type: [MerkleStepResponse], description: 'from the leaf up; a node hashes as SHA-256(0x01 ‖ left ‖ right)' }) proof!: MerkleStepResponse[];
  @ApiProperty({ type: PayoutCommitmentResponse }) commitment!: PayoutCommitmentResponse;
  @ApiProperty({ type: PaymentResponse }) payment!: PaymentResponse;
  @ApiProperty({ type: [PaymentVersionResponse], description: 'each signed version of the paying transaction; at most one lands' }) versions!: PaymentVersionResponse[];
  @ApiProperty({ description: 'where the export of the ledger through the seal is served (audit it with `poolctl audit --export`)' }) exportUrl!: string;
}
