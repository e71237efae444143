import { ApiProperty } from '@nestjs/swagger';
import type { HarvesterView } from '@pool/projections';
import { DECIMAL, HEX32, TIME } from '../response-schemas';

export class HarvesterPartialsResponse {
  @ApiProperty({ type: 'integer' }) submitted!: number;
  @ApiProperty({ type: 'integer' }) confirmed!: number;
  @ApiProperty({ type: 'integer' }) reverted!: number;
  @ApiProperty({ type: 'integer', description: 'submitted in the last 24 ledger hours' }) last24h!: number;
}

export class HarvesterPointsResponse {
  @ApiProperty(DECIMAL) submitted!: string;
  @ApiProperty(DECIMAL) confirmed!: string;
  @ApiProperty(DECIMAL) reverted!: string;
  @ApiProperty({ ...DECIMAL, description: 'submitted in the last 24 ledger hours' }) last24h!: string;
}

export class HarvesterRefusalsResponse {
  @ApiProperty({ type: 'integer', description: 'partials refused in the last 24 h (see /refused-partials for each one and why)' }) last24h!: number;
  @ApiProperty({ ...TIME, description: 'the last refusal of those 24 h, null when there was none' }) lastRefusedAt!: number | null;
}

export class HarvesterResponse implements HarvesterView {
  @ApiProperty({ ...HEX32, description: "the harvester's node id, signed into each partial it found" }) harvesterId!: string;
  @ApiProperty({ ...TIME, nullable: false, description: 'first partial received (unix seconds, ledger time)' }) firstSeenAt!: number;
  @ApiProperty({ ...TIME, nullable: false, description: 'last partial received (unix seconds, ledger time)' }) lastSeenAt!: number;
  @ApiProperty({ type: HarvesterPartialsResponse, description: 'all time, and submitted in the last 24 h' }) partials!: HarvesterPartialsResponse;
  @ApiProperty({ type: HarvesterPointsResponse, description: 'all time, and submitted in the last 24 h' }) points!: HarvesterPointsResponse;
  @ApiProperty({ ...DECIMAL, description: "bytes, estimated from the last 24 h's points as the farmer's own space is" }) estimatedSpace!: string;
  @ApiProperty({ type: [Number], description: 'the plot sizes (k) its partials came from' }) plotSizes!: number[];
  @ApiProperty({ type: String, nullable: true, description: 'the last chia-farmer-version header sent with its partials' }) farmerVersion!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'the last chia-harvester-version header sent with its partials' }) harvesterVersion!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'the last User-Agent sent with its partials' }) userAgent!: string | null;
  @ApiProperty({ type: HarvesterRefusalsResponse, description: 'its refused partials (errors): a harvester whose every partial was refused is listed with these alone' })
  refused!: HarvesterRefusalsResponse;
}

export class FarmerHarvestersResponse {
  @ApiProperty(HEX32) launcherId!: string;
  @ApiProperty({
    type: [HarvesterResponse],
    description: 'most recently seen first; partials accepted before the pool kept harvester ids name none and are counted in the farmer totals only',
  })
  harvesters!: HarvesterResponse[];
}
