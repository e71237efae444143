import { ApiProperty } from '@nestjs/swagger';
import { HEX32 } from '../response-schemas';

/** A seal at a payout plan: the period it closes can be fetched as an export and audited offline. */
export class ClosedPeriodResponse {
  @ApiProperty({ description: 'the seal number: GET /api/ledger/exports/{sequence} streams the export through this seal' }) sequence!: number;
  @ApiProperty({ example: 'payout-00000001', description: 'the payout whose PayoutPlanned is the last event the seal covers' }) payoutId!: string;
  @ApiProperty({ description: 'store position of the last event the seal covers (the PayoutPlanned)' }) coveredPosition!: string;
  @ApiProperty({ description: "store position of the seal itself: the export's last event" }) position!: string;
  @ApiProperty({ description: 'events the seal covers, from the ledger\'s first' }) eventCount!: number;
  @ApiProperty({ ...HEX32, description: 'the running hash the seal records (docs/ledger-encoding.md)' }) hash!: string;
  @ApiProperty({ description: 'unix seconds the seal was made' }) sealedAt!: number;
}

export class ClosedPeriodsResponse {
  @ApiProperty({ type: [ClosedPeriodResponse], description: 'newest first' })
  items!: ClosedPeriodResponse[];
}
