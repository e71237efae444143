import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { FarmerStatement, StatementKind, StatementLine } from '@pool/domain';
import { DECIMAL, HEX32 } from '../response-schemas';

export class StatementLineResponse implements StatementLine {
  @ApiProperty() position!: string;
  @ApiProperty() event!: string;
  @ApiProperty({ enum: ['credit', 'reversal', 'reversal_after_payout', 'allocation', 'carried', 'payment', 'returned'] }) kind!: StatementKind;
  @ApiProperty({ ...DECIMAL, description: 'change in points' }) points!: string;
  @ApiProperty({ ...DECIMAL, description: 'change in mojos' }) mojos!: string;
  @ApiProperty({ ...DECIMAL, description: 'PROP points not yet paid, after this line' }) pointsBalance!: string;
  @ApiProperty(DECIMAL) carried!: string;
  @ApiProperty(DECIMAL) inFlight!: string;
  @ApiProperty(DECIMAL) paid!: string;
  @ApiPropertyOptional() payoutId?: string;
}

/** The statement's totals, bigints as decimal strings. */
export class StatementTotalsResponse implements Record<keyof FarmerStatement['totals'], string> {
  @ApiProperty(DECIMAL) creditedPoints!: string;
  @ApiProperty(DECIMAL) revertedPoints!: string;
  @ApiProperty(DECIMAL) allocated!: string;
  @ApiProperty(DECIMAL) paid!: string;
  @ApiProperty(DECIMAL) inFlight!: string;
  @ApiProperty(DECIMAL) carried!: string;
}

export class FarmerStatementResponse {
  @ApiProperty(HEX32) launcherId!: string;
  @ApiProperty({ type: String, nullable: true, description: 'the newest ledger event read (the statement is as of this point of the ledger)' })
  asOfPosition!: string | null;
  @ApiProperty({ type: [StatementLineResponse] }) lines!: StatementLineResponse[];
  @ApiProperty({ type: StatementTotalsResponse }) totals!: StatementTotalsResponse;
}
