import { ApiProperty } from '@nestjs/swagger';
import type { PartialCounts, PointTotals } from '@pool/projections';

/*
 * What the read API's response classes share. Each page's response class is both the type its handler returns and
 * the OpenAPI schema of its answer. Amounts (points, mojos, bytes) are decimal strings; times are unix seconds of
 * ledger time.
 */

export const DECIMAL = { type: String, pattern: '^-?\\d+$', description: 'decimal integer as a string (may pass 2^53)' } as const;
export const HEX32 = { type: String, pattern: '^[0-9a-f]{64}$' } as const;
export const TIME = { type: Number, nullable: true, description: 'unix seconds (ledger time)' } as const;
export const PERCENT = { type: String, nullable: true, pattern: '^\\d+\\.\\d\\d$', description: 'percent with two decimals, rounded down' } as const;

export class PartialCountsResponse implements PartialCounts {
  @ApiProperty({ type: 'integer' }) submitted!: number;
  @ApiProperty({ type: 'integer' }) confirmed!: number;
  @ApiProperty({ type: 'integer' }) reverted!: number;
}

export class PointTotalsResponse implements PointTotals {
  @ApiProperty(DECIMAL) submitted!: string;
  @ApiProperty(DECIMAL) confirmed!: string;
  @ApiProperty(DECIMAL) reverted!: string;
}

export class CursorPageResponse {
  @ApiProperty()
  limit!: number;
  @ApiProperty({ type: String, nullable: true, description: 'pass as `cursor` for the next page; null on the last page' })
  nextCursor!: string | null;
}
