import { hourOf } from '@pool/domain';
import type { ReadModelDatabase } from '@pool/read-models';
import { oldestPartialTime, pointsReceivedAfter, type PartialCounts, type PointTotals } from '../partial-history/partial-history.queries';
import { num, readRows, str, sumText, text } from '../read-support/read-rows';

/** The pool over one ledger hour. */
export interface PoolHourView {
  hour: number;
  partials: PartialCounts;
  points: PointTotals;
  farmersOnline: number;
  estimatedSpace: string;
}

/** The newest `hours` ledger hours with activity, oldest first. */
export async function poolHours(readModels: ReadModelDatabase, hours: number): Promise<PoolHourView[]> {
  const rows = await readRows(
    readModels,
    `SELECT hour, partials_submitted, partials_confirmed, partials_reverted, ${text('points_submitted')}, ${text('points_confirmed')},
       ${text('points_reverted')}, farmers_online, ${text('estimated_space')}
     FROM pool_stats_hourly ORDER BY hour DESC LIMIT ?`,
    [hours],
  );
  return rows.reverse().map((r) => ({
    hour: num(r.hour),
    partials: { submitted: num(r.partials_submitted), confirmed: num(r.partials_confirmed), reverted: num(r.partials_reverted) },
    points: { submitted: str(r.points_submitted), confirmed: str(r.points_confirmed), reverted: str(r.points_reverted) },
    farmersOnline: num(r.farmers_online),
    estimatedSpace: str(r.estimated_space),
  }));
}

/** Partials of the hours starting at or after `fromHour`, and the points confirmed in them. */
export async function partialsSinceHour(readModels: ReadModelDatabase, fromHour: number): Promise<{ partials: PartialCounts; pointsConfirmed: string }> {
  const [row] = await readRows(
    readModels,
    `SELECT COALESCE(SUM(partials_submitted), 0) AS submitted, COALESCE(SUM(partials_confirmed), 0) AS confirmed,
       COALESCE(SUM(partials_reverted), 0) AS reverted, ${sumText('points_confirmed', 'points_confirmed')}
     FROM pool_stats_hourly WHERE hour >= ?`,
    [fromHour],
  );
  return {
    partials: { submitted: num(row?.submitted), confirmed: num(row?.confirmed), reverted: num(row?.reverted) },
    pointsConfirmed: str(row?.points_confirmed),
  };
}

/** Points submitted in the hours matching `condition` (an SQL condition on `hour`), or in every hour. */
async function pointsSubmitted(readModels: ReadModelDatabase, condition?: { sql: string; hour: number }): Promise<bigint> {
  const [row] = await readRows(
    readModels,
    `SELECT ${sumText('points_submitted', 'points')} FROM pool_stats_hourly${condition ? ` WHERE ${condition.sql}` : ''}`,
    condition ? [condition.hour] : [],
  );
  return BigInt(str(row?.points));
}

/** Points submitted in the hours starting at or after `fromHour`. */
export function pointsSubmittedSinceHour(readModels: ReadModelDatabase, fromHour: number): Promise<bigint> {
  return pointsSubmitted(readModels, { sql: 'hour >= ?', hour: fromHour });
}

/**
 * Points received after `time` (all of them when null). Exact from partial_history while `time` is inside its
 * retention window; older than that, from the hourly totals of the hours after the one `time` falls in.
 */
export async function pointsSince(readModels: ReadModelDatabase, time: number | null): Promise<bigint> {
  if (time === null) return pointsSubmitted(readModels);
  const oldest = await oldestPartialTime(readModels);
  if (oldest !== null && oldest <= time) return pointsReceivedAfter(readModels, time);
  return pointsSubmitted(readModels, { sql: 'hour > ?', hour: hourOf(time) });
}

/**
 * Points received after `after` (from the start when null) up to and including `upTo`: what a block took, from the
 * block before it. Exact from partial_history while the span is inside its retention window; older than that, from
 * the hourly totals of the hours after the one `after` falls in, up to the hour of `upTo`.
 */
export async function pointsReceivedBetween(readModels: ReadModelDatabase, after: number | null, upTo: number): Promise<bigint> {
  const [oldest, [first]] = await Promise.all([oldestPartialTime(readModels), readRows(readModels, 'SELECT min(hour) AS hour FROM pool_stats_hourly')]);
  const from = after ?? num(first?.hour);
  if (oldest !== null && (after === null ? hourOf(oldest) <= from : oldest <= after)) {
    return (await pointsReceivedAfter(readModels, after ?? from - 1)) - (await pointsReceivedAfter(readModels, upTo));
  }
  const [row] = await readRows(
    readModels,
    `SELECT ${sumText('points_submitted', 'points')} FROM pool_stats_hourly WHERE hour <= ?${after === null ? '' : ' AND hour > ?'}`,
    after === null ? [hourOf(upTo)] : [hourOf(upTo), hourOf(after)],
  );
  return BigInt(str(row?.points));
}
