import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { dayOf } from '@pool/domain';
import { farmerPartialDays, farmerPlannedLines } from '@pool/projections';
import { type ReadModelDatabase } from '@pool/read-models';
import { READ_MODELS } from '@pool/runtime';
import { assertKnownFarmer } from '../known-farmer';
import type { HistoryDay } from './farmer-history.csv';
import { FarmerHistoryQuery } from './farmer-history.query';

/**
 * One row per UTC day with activity: partials and points from partial_daily (each event on the day of its own
 * time), payouts from payout_lines on the day they were planned.
 */
@QueryHandler(FarmerHistoryQuery)
export class FarmerHistoryHandler implements IQueryHandler<FarmerHistoryQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModelDatabase) {}

  async execute({ launcherId }: FarmerHistoryQuery): Promise<HistoryDay[]> {
    await assertKnownFarmer(this.readModels, launcherId);
    const [daily, lines] = await Promise.all([farmerPartialDays(this.readModels, launcherId), farmerPlannedLines(this.readModels, launcherId)]);
    const days = new Map<number, HistoryDay>();
    const day = (start: number): HistoryDay => {
      let d = days.get(start);
      if (!d) {
        d = { day: start, submitted: 0, confirmed: 0, reverted: 0, submittedPoints: 0n, confirmedPoints: 0n, revertedPoints: 0n, payouts: 0, payoutPoints: 0n, allocated: 0n, paid: 0n };
        days.set(start, d);
      }
      return d;
    };
    for (const r of daily) {
      Object.assign(day(r.day), {
        ...r.partials,
        submittedPoints: BigInt(r.points.submitted),
        confirmedPoints: BigInt(r.points.confirmed),
        revertedPoints: BigInt(r.points.reverted),
      });
    }
    for (const l of lines) {
      const d = day(dayOf(l.plannedAt));
      d.payouts += 1;
      d.payoutPoints += l.points;
      d.allocated += l.amount;
      if (l.status === 'confirmed') d.paid += l.amount;
    }
    return [...days.values()].sort((x, y) => x.day - y.day);
  }
}
