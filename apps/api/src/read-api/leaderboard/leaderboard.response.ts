import { ApiProperty } from '@nestjs/swagger';
import type { RankedFarmerView } from '@pool/projections';
import { LEADERBOARD_SORTS } from '../read-api.dto';
import { DECIMAL, HEX32, PERCENT, TIME } from '../response-schemas';

export class LeaderboardRowResponse implements RankedFarmerView {
  @ApiProperty() rank!: number;
  @ApiProperty(HEX32) launcherId!: string;
  @ApiProperty({ type: String, nullable: true, description: 'the name the farmer chose (plain text: escape it)' }) displayName!: string | null;
  @ApiProperty({ enum: ['member', 'left'] }) membership!: string;
  @ApiProperty({ type: String, nullable: true }) difficulty!: string | null;
  @ApiProperty(DECIMAL) points24h!: string;
  @ApiProperty(DECIMAL) confirmedPoints!: string;
  @ApiProperty(DECIMAL) windowPoints!: string;
  @ApiProperty(DECIMAL) estimatedSpace!: string;
  @ApiProperty() partials24h!: number;
  @ApiProperty(TIME) lastPartialAt!: number | null;
  @ApiProperty({ ...PERCENT, description: "the farmer's share of the ranked figure" }) share!: string | null;
}

export class LeaderboardResponse {
  @ApiProperty({ enum: LEADERBOARD_SORTS }) sort!: string;
  @ApiProperty() page!: number;
  @ApiProperty() limit!: number;
  @ApiProperty({ description: 'farmers in all pages' }) total!: number;
  @ApiProperty({ type: [LeaderboardRowResponse] }) items!: LeaderboardRowResponse[];
}
