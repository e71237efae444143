import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/*
 * The read API's answers as OpenAPI schemas (documentation only: the query service builds plain objects of these
 * shapes). Amounts (points, mojos, bytes) are decimal strings; times are unix seconds of ledger time.
 */

const DECIMAL = { type: String, pattern: '^-?\\d+$', description: 'decimal integer as a string (may pass 2^53)' } as const;
const HEX32 = { type: String, pattern: '^[0-9a-f]{64}$' } as const;
const TIME = { type: Number, nullable: true, description: 'unix seconds (ledger time)' } as const;
const PERCENT = { type: String, nullable: true, pattern: '^\\d+\\.\\d\\d$', description: 'percent with two decimals, rounded down' } as const;

const counts = (description: string) => ({
  type: 'object' as const,
  description,
  properties: { submitted: { type: 'integer' as const }, confirmed: { type: 'integer' as const }, reverted: { type: 'integer' as const } },
});
const pointTriple = (description: string) => ({
  type: 'object' as const,
  description,
  properties: { submitted: { type: 'string' as const }, confirmed: { type: 'string' as const }, reverted: { type: 'string' as const } },
});

export class PoolStatsResponse {
  @ApiProperty({ type: 'object', properties: { name: { type: 'string' }, description: { type: 'string' }, logoUrl: { type: 'string' } } })
  pool!: object;
  @ApiProperty({ type: Number, description: 'newest ledger time the projections have seen' })
  ledgerTime!: number;
  @ApiProperty({ type: 'object', properties: { basisPoints: { type: 'integer' }, fraction: { type: 'string', example: '0.01' } } })
  fee!: object;
  @ApiProperty({
    type: 'object',
    properties: {
      scheme: { type: 'string', enum: ['prop', 'pplns'] },
      pplnsWindowSeconds: { type: 'integer', nullable: true },
      pplnsWindowPoints: { type: 'string', nullable: true },
      minimumPayout: { type: 'string', description: 'mojos' },
      intervalSeconds: { type: 'integer' },
      count: { type: 'integer' },
      paidToFarmers: { type: 'string', description: 'mojos of confirmed payouts' },
    },
  })
  payouts!: object;
  @ApiProperty({ type: 'object', properties: { total: { type: 'integer' }, members: { type: 'integer' }, active24h: { type: 'integer' } } })
  farmers!: object;
  @ApiProperty({ ...DECIMAL, description: 'bytes; see spaceFormula' })
  estimatedSpace!: string;
  @ApiProperty({ type: 'object', properties: { last24h: { type: 'string' }, perHour: { type: 'string', description: 'last24h / 24 with two decimals, rounded down', example: '0.83' }, confirmedLast24h: { type: 'string' } } })
  points!: object;
  @ApiProperty(counts('partials in the last 24 ledger hours'))
  partials24h!: object;
  @ApiProperty({
    type: 'object',
    properties: {
      won: { type: 'integer' },
      wonInLuckWindow: { type: 'integer' },
      last: { type: 'object', nullable: true, properties: { coinId: { type: 'string' }, farmedHeight: { type: 'integer' }, detectedAt: { type: 'integer' } } },
      rewardsAbsorbed: { type: 'string', description: 'mojos' },
    },
  })
  blocks!: object;
  @ApiProperty({
    type: 'object',
    properties: { percent: PERCENT, pointsSinceLastBlock: { type: 'string' }, expectedPointsPerBlock: { type: 'string', nullable: true }, formula: { type: 'string' } },
  })
  effort!: object;
  @ApiProperty({ type: 'object', properties: { percent: PERCENT, windowSeconds: { type: 'integer' }, pointsInWindow: { type: 'string' }, formula: { type: 'string' } } })
  luck!: object;
  @ApiProperty()
  spaceFormula!: string;
  @ApiProperty({
    type: 'object',
    description: "the full node's figures (null with `error` when it does not answer)",
    properties: {
      peakHeight: { type: 'integer', nullable: true },
      difficulty: { type: 'string', nullable: true },
      subSlotIters: { type: 'string', nullable: true },
      space: { type: 'string', nullable: true },
      error: { type: 'string', nullable: true },
    },
  })
  network!: object;
}

export class PoolHourResponse {
  @ApiProperty({ type: Number, description: 'start of the ledger hour (unix seconds)' })
  hour!: number;
  @ApiProperty(counts('partials that hour'))
  partials!: object;
  @ApiProperty(pointTriple('points that hour'))
  points!: object;
  @ApiProperty()
  farmersOnline!: number;
  @ApiProperty(DECIMAL)
  estimatedSpace!: string;
}

export class PoolHourlyResponse {
  @ApiProperty({ type: [PoolHourResponse] })
  hours!: PoolHourResponse[];
}

class CursorPageResponse {
  @ApiProperty()
  limit!: number;
  @ApiProperty({ type: String, nullable: true, description: 'pass as `cursor` for the next page; null on the last page' })
  nextCursor!: string | null;
}

export class BlockResponse {
  @ApiProperty(HEX32) coinId!: string;
  @ApiProperty({ ...HEX32, description: 'the farmer whose plot NFT won it' }) launcherId!: string;
  @ApiProperty({ ...DECIMAL, description: 'mojos' }) amount!: string;
  @ApiProperty({ enum: ['detected', 'absorbed', 'reverted'] }) status!: string;
  @ApiProperty({ type: Number, nullable: true }) farmedHeight!: number | null;
  @ApiProperty({ type: Number, nullable: true }) confirmedHeight!: number | null;
  @ApiProperty({ type: Number, nullable: true }) absorbedHeight!: number | null;
  @ApiProperty({ type: String, nullable: true }) absorbTransactionId!: string | null;
  @ApiProperty({ type: String, nullable: true }) poolCoinId!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'mojos' }) absorbFee!: string | null;
  @ApiProperty({ type: Number, nullable: true }) forkHeight!: number | null;
  @ApiProperty(TIME) detectedAt!: number | null;
  @ApiProperty(TIME) absorbedAt!: number | null;
  @ApiProperty(TIME) revertedAt!: number | null;
}

export class BlocksPageResponse extends CursorPageResponse {
  @ApiProperty({ type: [BlockResponse] })
  items!: BlockResponse[];
}

export class PayoutResponse {
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

export class PayoutLineResponse {
  @ApiProperty(HEX32) launcherId!: string;
  @ApiProperty(HEX32) puzzleHash!: string;
  @ApiProperty(DECIMAL) points!: string;
  @ApiProperty({ ...DECIMAL, description: 'mojos' }) amount!: string;
  @ApiProperty({ type: String, nullable: true, description: 'the coin paying this line' }) coinId!: string | null;
  @ApiProperty() status!: string;
}

export class PayoutDetailResponse extends PayoutResponse {
  @ApiProperty({ type: 'array', items: { type: 'object', properties: { transactionId: { type: 'string' } } } })
  transactions!: object[];
  @ApiProperty({ type: [PayoutLineResponse] })
  lines!: PayoutLineResponse[];
}

export class LeaderboardRowResponse {
  @ApiProperty() rank!: number;
  @ApiProperty(HEX32) launcherId!: string;
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
  @ApiProperty() sort!: string;
  @ApiProperty() page!: number;
  @ApiProperty() limit!: number;
  @ApiProperty({ description: 'farmers in all pages' }) total!: number;
  @ApiProperty({ type: [LeaderboardRowResponse] }) items!: LeaderboardRowResponse[];
}

export class PartialResultResponse {
  @ApiProperty({ enum: ['submitted', 'confirmed', 'reverted'] }) status!: string;
  @ApiProperty({ type: String, nullable: true, enum: ['signage_point_reverted', 'reorg', 'duplicate', 'left_pool'] }) reason!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'the result in plain words' }) explanation!: string | null;
  @ApiProperty() count!: number;
  @ApiProperty(DECIMAL) points!: string;
}

export class FarmerResponse {
  @ApiProperty(HEX32) launcherId!: string;
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
    type: 'object',
    description: 'pending: accepted, not yet confirmed; inWindow: confirmed and not yet paid (what the next PROP payout pays)',
    properties: { pending: { type: 'string' }, confirmed: { type: 'string' }, reverted: { type: 'string' }, inWindow: { type: 'string' }, last24h: { type: 'string' } },
  })
  points!: object;
  @ApiProperty({ ...DECIMAL, description: 'bytes, from the points of the last 24 ledger hours' }) estimatedSpace!: string;
  @ApiProperty({
    type: 'object',
    description: 'mojos',
    properties: {
      carried: { type: 'string' },
      inFlight: { type: 'string' },
      paid: { type: 'string' },
      revertedAfterPayout: { type: 'string', description: 'points reverted after a payout had paid them (not clawed back)' },
      lastPayoutSequence: { type: 'integer', nullable: true },
      payoutsPlanned: { type: 'integer' },
    },
  })
  balance!: object;
  @ApiProperty({ type: 'array', description: 'the 20 newest payout lines', items: { type: 'object' } })
  payoutHistory!: object[];
  @ApiProperty({
    type: 'object',
    properties: {
      last24h: counts('last 24 ledger hours'),
      allTime: {
        type: 'object',
        description: 'every partial ever, from the daily summaries',
        properties: { submitted: { type: 'integer' }, confirmed: { type: 'integer' }, reverted: { type: 'integer' }, points: pointTriple('points') },
      },
      byResult: { type: 'array', items: { $ref: '#/components/schemas/PartialResultResponse' } },
    },
  })
  partials!: object;
}

export class PartialResponse {
  @ApiProperty(HEX32) proofHash!: string;
  @ApiProperty(DECIMAL) points!: string;
  @ApiProperty({ enum: ['submitted', 'confirmed', 'reverted'] }) status!: string;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty({ type: String, nullable: true }) explanation!: string | null;
  @ApiProperty({ type: Number, nullable: true }) forkHeight!: number | null;
  @ApiProperty({ type: Boolean, nullable: true }) wasConfirmed!: boolean | null;
  @ApiProperty({ type: String, nullable: true }) signagePointHash!: string | null;
  @ApiProperty({ type: Number, nullable: true }) plotSize!: number | null;
  @ApiProperty(TIME) receivedAt!: number;
  @ApiProperty(TIME) confirmedAt!: number | null;
  @ApiProperty(TIME) revertedAt!: number | null;
}

export class PartialsPageResponse extends CursorPageResponse {
  @ApiProperty({ type: [PartialResponse] })
  items!: PartialResponse[];
}

export class TimelineBucketResponse {
  @ApiProperty({ description: 'start of the hour or UTC day (unix seconds)' }) start!: number;
  @ApiProperty(counts('partials')) partials!: object;
  @ApiProperty(pointTriple('points')) points!: object;
}

export class TimelineResponse {
  @ApiProperty(HEX32) launcherId!: string;
  @ApiProperty({ enum: ['hour', 'day'] }) resolution!: string;
  @ApiProperty({ type: [TimelineBucketResponse] }) buckets!: TimelineBucketResponse[];
}

export class StatementLineResponse {
  @ApiProperty() position!: string;
  @ApiProperty() event!: string;
  @ApiProperty({ enum: ['credit', 'reversal', 'reversal_after_payout', 'allocation', 'carried', 'payment', 'returned'] }) kind!: string;
  @ApiProperty({ ...DECIMAL, description: 'change in points' }) points!: string;
  @ApiProperty({ ...DECIMAL, description: 'change in mojos' }) mojos!: string;
  @ApiProperty({ ...DECIMAL, description: 'PROP points not yet paid, after this line' }) pointsBalance!: string;
  @ApiProperty(DECIMAL) carried!: string;
  @ApiProperty(DECIMAL) inFlight!: string;
  @ApiProperty(DECIMAL) paid!: string;
  @ApiPropertyOptional() payoutId?: string;
}

export class StatementResponse {
  @ApiProperty(HEX32) launcherId!: string;
  @ApiProperty({ type: String, nullable: true, description: 'the newest ledger event read' }) asOfPosition!: string | null;
  @ApiProperty({ type: [StatementLineResponse] }) lines!: StatementLineResponse[];
  @ApiProperty({
    type: 'object',
    properties: {
      creditedPoints: { type: 'string' },
      revertedPoints: { type: 'string' },
      allocated: { type: 'string' },
      paid: { type: 'string' },
      inFlight: { type: 'string' },
      carried: { type: 'string' },
    },
  })
  totals!: object;
}

/** Schemas only referenced by $ref (not by a decorator type) must be registered with the document. */
export const EXTRA_SCHEMAS = [PartialResultResponse];
