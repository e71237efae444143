import { hourOf, SECONDS_PER_DAY, SECONDS_PER_HOUR } from '@pool/domain';
import {
  farmerFigures,
  partialsSinceHour,
  payoutFigures,
  pointsSince,
  pointsSubmittedSinceHour,
  rewardFigures,
  type FarmerFigures,
  type PartialCounts,
  type RewardFigures,
} from '@pool/projections';
import type { ReadModelDatabase } from '@pool/read-models';

/** Seconds of ledger time the luck figure looks back over. */
export const LUCK_WINDOW_SECONDS = 7 * SECONDS_PER_DAY;

/** The ledger's side of the pool overview, as of `ledgerTime`, from four read models. */
export interface PoolFigures {
  farmers: FarmerFigures;
  partials24h: PartialCounts;
  pointsConfirmed24h: string;
  blocks: RewardFigures;
  pointsSinceLastBlock: bigint;
  pointsInLuckWindow: bigint;
  payouts: { count: number; paidToFarmers: string };
}

export async function poolFigures(readModels: ReadModelDatabase, ledgerTime: number): Promise<PoolFigures> {
  const since24h = hourOf(ledgerTime) - 23 * SECONDS_PER_HOUR;
  const luckSince = ledgerTime - LUCK_WINDOW_SECONDS;
  const [farmers, last24h, blocks, pointsInLuckWindow, payouts] = await Promise.all([
    farmerFigures(readModels),
    partialsSinceHour(readModels, since24h),
    rewardFigures(readModels, luckSince),
    pointsSubmittedSinceHour(readModels, hourOf(luckSince)),
    payoutFigures(readModels),
  ]);
  const pointsSinceLastBlock = await pointsSince(readModels, blocks.last ? blocks.last.detectedAt : null);
  return {
    farmers,
    partials24h: last24h.partials,
    pointsConfirmed24h: last24h.pointsConfirmed,
    blocks,
    pointsSinceLastBlock,
    pointsInLuckWindow,
    payouts,
  };
}
