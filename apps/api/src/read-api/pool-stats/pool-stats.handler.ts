import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { feeFraction, type PoolConfig } from '@pool/config';
import { ledgerTime } from '@pool/projections';
import { type ReadModelDatabase } from '@pool/read-models';
import { POOL_CONFIG, READ_MODELS } from '@pool/runtime';
import { NetworkFigures } from '../network-figures';
import { decimalFromHundredths, effortPercent, expectedPointsPerBlock, luckPercent } from '../pool-effort';
import { LUCK_WINDOW_SECONDS, poolFigures } from './pool-figures';
import { PoolStatsQuery } from './pool-stats.query';
import type { PoolStatsResponse } from './pool-stats.response';

export const EFFORT_FORMULA =
  'effort = points received since the pool last won a block / expected points per block, where expected points per block = ' +
  'network difficulty * POOL_SUB_SLOT_ITERS / sub_slot_iters (the chain now); percent, rounded down to 0.01';
export const LUCK_FORMULA =
  'luck = blocks won in the last 7 ledger days * expected points per block / points received in those days; percent, rounded down to 0.01 ' +
  '(above 100 the pool won more blocks than its points predicted)';
export const SPACE_FORMULA =
  "estimated space = the sum of every farmer's estimate, each from its points over the last 24 ledger hours, divided by the time " +
  'it has farmed of them: since it registered when that is under a day (at least 10 minutes), else the day ' +
  '(points * sub_slot_seconds * DIFFICULTY_CONSTANT_FACTOR * 2^plot_filter_bits / (seconds_farmed * POOL_SUB_SLOT_ITERS), bytes)';

/**
 * GET /api/pool/stats. Ledger figures come from the projections; the network's difficulty and space are chain
 * facts the node reports (asked at most every 30 s), used only to turn points into effort and luck. Without a
 * node answering, those figures are null and `network.error` says why.
 */
@QueryHandler(PoolStatsQuery)
export class PoolStatsHandler implements IQueryHandler<PoolStatsQuery> {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: ReadModelDatabase,
    @Inject(POOL_CONFIG) private readonly config: PoolConfig,
    private readonly networkFigures: NetworkFigures,
  ) {}

  async execute(): Promise<PoolStatsResponse> {
    const time = await ledgerTime(this.readModels);
    const [figures, network] = await Promise.all([poolFigures(this.readModels, time), this.networkFigures.current()]);
    const s = this.config.settings;
    const n = network.state;
    return {
      pool: { name: s.name, description: s.description, logoUrl: s.logoUrl },
      ledgerTime: time,
      fee: { basisPoints: s.feeBasisPoints, fraction: feeFraction(s.feeBasisPoints) },
      payouts: {
        scheme: s.payouts.scheme,
        pplnsWindowSeconds: s.payouts.scheme === 'pplns' && s.payouts.pplnsWindowPoints === null ? s.payouts.pplnsWindowSeconds : null,
        pplnsWindowPoints: s.payouts.scheme === 'pplns' && s.payouts.pplnsWindowPoints !== null ? s.payouts.pplnsWindowPoints.toString() : null,
        minimumPayout: s.payouts.minimumPayout.toString(),
        intervalSeconds: s.payouts.intervalSeconds,
        count: figures.payouts.count,
        paidToFarmers: figures.payouts.paidToFarmers,
      },
      farmers: { total: figures.farmers.total, members: figures.farmers.members, active24h: figures.farmers.active24h },
      estimatedSpace: figures.farmers.estimatedSpace,
      points: {
        last24h: figures.farmers.points24h,
        // Two decimals, rounded down (the dropped remainder is under 0.01 point an hour).
        perHour: decimalFromHundredths((BigInt(figures.farmers.points24h) * 100n) / 24n),
        confirmedLast24h: figures.pointsConfirmed24h,
      },
      partials24h: figures.partials24h,
      blocks: {
        won: figures.blocks.won,
        wonInLuckWindow: figures.blocks.wonSince,
        last: figures.blocks.last,
        rewardsAbsorbed: figures.blocks.absorbed,
      },
      effort: {
        percent: n ? effortPercent(figures.pointsSinceLastBlock, n) : null,
        pointsSinceLastBlock: figures.pointsSinceLastBlock.toString(),
        expectedPointsPerBlock: n ? expectedPointsPerBlock(n).toString() : null,
        formula: EFFORT_FORMULA,
      },
      luck: {
        percent: n ? luckPercent(figures.blocks.wonSince, figures.pointsInLuckWindow, n) : null,
        windowSeconds: LUCK_WINDOW_SECONDS,
        pointsInWindow: figures.pointsInLuckWindow.toString(),
        formula: LUCK_FORMULA,
      },
      spaceFormula: SPACE_FORMULA,
      explorer: { coinUrl: s.explorerCoinUrl, transactionUrl: s.explorerTransactionUrl },
      network: n
        ? { peakHeight: n.peakHeight, difficulty: n.difficulty.toString(), subSlotIters: n.subSlotIters.toString(), space: n.space.toString(), error: null }
        : { peakHeight: null, difficulty: null, subSlotIters: null, space: null, error: network.error },
    };
  }
}
