import { ApiProperty } from '@nestjs/swagger';
import type { HarvesterRefusalCounts, RefusedPartialView } from '@pool/projections';
import { CursorPageResponse, HEX32, TIME } from '../response-schemas';

export class RefusedPartialResponse implements RefusedPartialView {
  @ApiProperty(TIME) refusedAt!: number;
  @ApiProperty(HEX32) harvesterId!: string;
  @ApiProperty({ type: 'integer', description: 'the pool protocol error code the farmer was answered with' }) errorCode!: number;
  @ApiProperty({ description: 'what went wrong, in words (e.g. "too late", "invalid signature")' }) reason!: string;
  @ApiProperty({ description: 'the message the farmer was answered with' }) message!: string;
  @ApiProperty(HEX32) signagePointHash!: string;
  @ApiProperty({ description: 'true when the partial answered an end of sub-slot (signagePointHash is then its challenge hash)' }) endOfSubSlot!: boolean;
  @ApiProperty({ ...HEX32, nullable: true, description: 'hash of the proof of space; null when the request could not be read that far' })
  proofHash!: string | null;
  @ApiProperty({ enum: [1, 2], description: 'POST /partial (1) or POST /v2/partial (2)' }) protocolVersion!: number;
}

export class RefusalCodeCountResponse {
  @ApiProperty({ type: 'integer' }) errorCode!: number;
  @ApiProperty({ description: 'the error code in words' }) reason!: string;
  @ApiProperty({ type: 'integer' }) count!: number;
}

export class HarvesterRefusalsResponse implements Omit<HarvesterRefusalCounts, 'byErrorCode'> {
  @ApiProperty(HEX32) harvesterId!: string;
  @ApiProperty({ type: 'integer' }) refused!: number;
  @ApiProperty({ type: [RefusalCodeCountResponse] }) byErrorCode!: RefusalCodeCountResponse[];
  @ApiProperty(TIME) lastRefusedAt!: number;
}

export class RefusalsLast24hResponse {
  @ApiProperty({ ...TIME, nullable: false, description: 'refusals received at or after this time are counted (24 h before the newest time the pool has seen)' })
  since!: number;
  @ApiProperty({ type: [HarvesterRefusalsResponse], description: 'per harvester, most refused first' })
  harvesters!: HarvesterRefusalsResponse[];
}

export class FarmerRefusedPartialsResponse extends CursorPageResponse {
  @ApiProperty({ type: [RefusedPartialResponse], description: 'newest first, within the retention window (7 days by default)' })
  items!: RefusedPartialResponse[];
  @ApiProperty({ type: RefusalsLast24hResponse })
  last24h!: RefusalsLast24hResponse;
}
