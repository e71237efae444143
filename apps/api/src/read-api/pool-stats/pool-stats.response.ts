import { ApiProperty } from '@nestjs/swagger';
import { DECIMAL, PartialCountsResponse, PERCENT } from '../response-schemas';

export class PoolIdentityResponse {
  @ApiProperty() name!: string;
  @ApiProperty() description!: string;
  @ApiProperty() logoUrl!: string;
}

export class PoolFeeResponse {
  @ApiProperty({ type: 'integer' }) basisPoints!: number;
  @ApiProperty({ example: '0.01' }) fraction!: string;
}

export class PoolPayoutsResponse {
  @ApiProperty({ enum: ['prop', 'pplns'] }) scheme!: string;
  @ApiProperty({ type: 'integer', nullable: true }) pplnsWindowSeconds!: number | null;
  @ApiProperty({ type: String, nullable: true }) pplnsWindowPoints!: string | null;
  @ApiProperty({ ...DECIMAL, description: 'mojos' }) minimumPayout!: string;
  @ApiProperty({ type: 'integer' }) intervalSeconds!: number;
  @ApiProperty({ type: 'integer' }) count!: number;
  @ApiProperty({ ...DECIMAL, description: 'mojos of confirmed payouts' }) paidToFarmers!: string;
}

export class PoolFarmersResponse {
  @ApiProperty({ type: 'integer' }) total!: number;
  @ApiProperty({ type: 'integer' }) members!: number;
  @ApiProperty({ type: 'integer' }) active24h!: number;
}

export class PoolPointsResponse {
  @ApiProperty(DECIMAL) last24h!: string;
  @ApiProperty({ description: 'last24h / 24 with two decimals, rounded down', example: '0.83' }) perHour!: string;
  @ApiProperty(DECIMAL) confirmedLast24h!: string;
}

export class LastBlockResponse {
  @ApiProperty() coinId!: string;
  @ApiProperty({ type: 'integer', nullable: true }) farmedHeight!: number | null;
  @ApiProperty({ type: 'integer', nullable: true }) detectedAt!: number | null;
}

export class PoolBlocksResponse {
  @ApiProperty({ type: 'integer' }) won!: number;
  @ApiProperty({ type: 'integer' }) wonInLuckWindow!: number;
  @ApiProperty({ type: LastBlockResponse, nullable: true }) last!: LastBlockResponse | null;
  @ApiProperty({ ...DECIMAL, description: 'mojos' }) rewardsAbsorbed!: string;
}

export class PoolEffortResponse {
  @ApiProperty(PERCENT) percent!: string | null;
  @ApiProperty(DECIMAL) pointsSinceLastBlock!: string;
  @ApiProperty({ type: String, nullable: true }) expectedPointsPerBlock!: string | null;
  @ApiProperty() formula!: string;
}

export class PoolLuckResponse {
  @ApiProperty(PERCENT) percent!: string | null;
  @ApiProperty({ type: 'integer' }) windowSeconds!: number;
  @ApiProperty(DECIMAL) pointsInWindow!: string;
  @ApiProperty() formula!: string;
}

export class PoolNetworkResponse {
  @ApiProperty({ type: 'integer', nullable: true }) peakHeight!: number | null;
  @ApiProperty({ type: String, nullable: true }) difficulty!: string | null;
  @ApiProperty({ type: String, nullable: true }) subSlotIters!: string | null;
  @ApiProperty({ type: String, nullable: true }) space!: string | null;
  @ApiProperty({ type: String, nullable: true }) error!: string | null;
}

export class PoolExplorerResponse {
  @ApiProperty({ type: String, nullable: true, description: 'a coin id replaces {coin}; null: the pool links no explorer' }) coinUrl!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'a transaction (spend bundle) id replaces {transaction}' }) transactionUrl!: string | null;
}

export class PoolStatsResponse {
  @ApiProperty({ type: PoolIdentityResponse }) pool!: PoolIdentityResponse;
  @ApiProperty({ type: Number, description: 'newest ledger time the projections have seen' }) ledgerTime!: number;
  @ApiProperty({ type: PoolFeeResponse }) fee!: PoolFeeResponse;
  @ApiProperty({ type: PoolPayoutsResponse }) payouts!: PoolPayoutsResponse;
  @ApiProperty({ type: PoolFarmersResponse }) farmers!: PoolFarmersResponse;
  @ApiProperty({ ...DECIMAL, description: 'bytes; see spaceFormula' }) estimatedSpace!: string;
  @ApiProperty({ type: PoolPointsResponse }) points!: PoolPointsResponse;
  @ApiProperty({ type: PartialCountsResponse, description: 'partials in the last 24 ledger hours' }) partials24h!: PartialCountsResponse;
  @ApiProperty({ type: PoolBlocksResponse }) blocks!: PoolBlocksResponse;
  @ApiProperty({ type: PoolEffortResponse }) effort!: PoolEffortResponse;
  @ApiProperty({ type: PoolLuckResponse }) luck!: PoolLuckResponse;
  @ApiProperty() spaceFormula!: string;
  @ApiProperty({ type: PoolExplorerResponse, description: "the block explorer the pool's pages link coins and transactions to" }) explorer!: PoolExplorerResponse;
  @ApiProperty({ type: PoolNetworkResponse, description: "the full node's figures (null with `error` when it does not answer)" })
  network!: PoolNetworkResponse;
}
