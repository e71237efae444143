import { toCsv } from '../csv';

/** One UTC day of a farmer's history: partials and points by result, payouts planned that day, mojos allocated and paid. */
export interface HistoryDay {
  day: number;
  submitted: number;
  confirmed: number;
  reverted: number;
  submittedPoints: bigint;
  confirmedPoints: bigint;
  revertedPoints: bigint;
  payouts: number;
  payoutPoints: bigint;
  allocated: bigint;
  paid: bigint;
}

const HEADER = [
  'date',
  'partials_submitted',
  'partials_confirmed',
  'partials_reverted',
  'points_submitted',
  'points_confirmed',
  'points_reverted',
  'payouts',
  'payout_points',
  'allocated_mojos',
  'paid_mojos',
];

/** The answer of GET /api/farmers/:launcherId/history.csv: a header row, then one row per day, oldest first. */
export function historyCsv(days: readonly HistoryDay[]): string {
  return toCsv(
    HEADER,
    days.map((d) => [
      new Date(d.day * 1000).toISOString().slice(0, 10),
      d.submitted,
      d.confirmed,
      d.reverted,
      d.submittedPoints,
      d.confirmedPoints,
      d.revertedPoints,
      d.payouts,
      d.payoutPoints,
      d.allocated,
      d.paid,
    ]),
  );
}
