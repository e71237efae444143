import type { ReadModelDatabase } from '@pool/read-models';
import { pageOf, rowsAfter, type CursorPage, type KeysetRequest } from '../read-support/paging';
import { flagOrNull, num, numOrNull, readRows, str, strOrNull, sumText, text } from '../read-support/read-rows';

/** One partial within the retention window. `reason` says why a reverted one was taken back. */
export interface PartialView {
  proofHash: string;
  points: string;
  status: string;
  reason: string | null;
  forkHeight: number | null;
  wasConfirmed: boolean | null;
  signagePointHash: string | null;
  plotSize: number | null;
  receivedAt: number;
  confirmedAt: number | null;
  revertedAt: number | null;
}

export interface PartialCounts {
  submitted: number;
  confirmed: number;
  reverted: number;
}

export interface PointTotals {
  submitted: string;
  confirmed: string;
  reverted: string;
}

/** One farmer's partials over one UTC day (partial_daily: each event on the day of its own time). */
export interface PartialDay {
  day: number;
  partials: PartialCounts;
  points: PointTotals;
}

/** Partials of one result (and revert reason) within the retention window. */
export interface PartialResultCount {
  status: string;
  reason: string | null;
  count: number;
  points: string;
}

export interface PartialsRequest extends KeysetRequest {
  status?: string;
}

/** A farmer's partials, newest first (by time received, then proof hash), keyset paged. */
export async function partialsPage(readModels: ReadModelDatabase, launcherId: string, request: PartialsRequest): Promise<CursorPage<PartialView>> {
  const where = ['launcher_id = ?'];
  const params: unknown[] = [launcherId];
  if (request.status) {
    where.push('status = ?');
    params.push(request.status);
  }
  if (request.after) {
    const { condition, params: values } = rowsAfter('received_at', 'proof_hash', request.after);
    where.push(condition);
    params.push(...values);
  }
  const rows = await readRows(
    readModels,
    `SELECT proof_hash, ${text('points')}, status, reason, fork_height, was_confirmed, signage_point_hash, plot_size, received_at,
       confirmed_at, reverted_at
     FROM partial_history WHERE ${where.join(' AND ')} ORDER BY received_at DESC, proof_hash DESC LIMIT ?`,
    [...params, request.limit + 1],
  );
  return pageOf(
    rows,
    request.limit,
    (r) => ({
      proofHash: String(r.proof_hash),
      points: str(r.points),
      status: String(r.status),
      reason: strOrNull(r.reason),
      forkHeight: numOrNull(r.fork_height),
      wasConfirmed: flagOrNull(r.was_confirmed),
      signagePointHash: strOrNull(r.signage_point_hash),
      plotSize: numOrNull(r.plot_size),
      receivedAt: num(r.received_at),
      confirmedAt: numOrNull(r.confirmed_at),
      revertedAt: numOrNull(r.reverted_at),
    }),
    (r) => [num(r.received_at), String(r.proof_hash)],
  );
}

/** Every partial a farmer ever sent, from the daily summaries. */
export async function farmerPartialTotals(readModels: ReadModelDatabase, launcherId: string): Promise<PartialCounts & { points: PointTotals }> {
  const [a] = await readRows(
    readModels,
    `SELECT COALESCE(SUM(submitted), 0) AS submitted, COALESCE(SUM(confirmed), 0) AS confirmed, COALESCE(SUM(reverted), 0) AS reverted,
       ${sumText('submitted_points', 'submitted_points')}, ${sumText('points', 'confirmed_points')}, ${sumText('reverted_points', 'reverted_points')}
     FROM partial_daily WHERE launcher_id = ?`,
    [launcherId],
  );
  return {
    submitted: num(a?.submitted),
    confirmed: num(a?.confirmed),
    reverted: num(a?.reverted),
    points: { submitted: str(a?.submitted_points), confirmed: str(a?.confirmed_points), reverted: str(a?.reverted_points) },
  };
}

/** Within the retention window: a farmer's partials by result, reverts split by reason. */
export async function farmerPartialResults(readModels: ReadModelDatabase, launcherId: string): Promise<PartialResultCount[]> {
  const rows = await readRows(
    readModels,
    `SELECT status, reason, count(*) AS n, ${sumText('points', 'points')} FROM partial_history WHERE launcher_id = ? GROUP BY status, reason
     ORDER BY status, reason`,
    [launcherId],
  );
  return rows.map((r) => ({ status: String(r.status), reason: strOrNull(r.reason), count: num(r.n), points: str(r.points) }));
}

/** A farmer's days with partials, oldest first (all history). */
export async function farmerPartialDays(readModels: ReadModelDatabase, launcherId: string): Promise<PartialDay[]> {
  const rows = await readRows(
    readModels,
    `SELECT day, submitted, confirmed, reverted, ${text('points')}, ${text('submitted_points')}, ${text('reverted_points')}
     FROM partial_daily WHERE launcher_id = ? ORDER BY day`,
    [launcherId],
  );
  return rows.map((r) => ({
    day: num(r.day),
    partials: { submitted: num(r.submitted), confirmed: num(r.confirmed), reverted: num(r.reverted) },
    points: { submitted: str(r.submitted_points), confirmed: str(r.points), reverted: str(r.reverted_points) },
  }));
}

/** Time of the oldest partial still in partial_history (its retention window), null when it is empty. */
export async function oldestPartialTime(readModels: ReadModelDatabase): Promise<number | null> {
  const [row] = await readRows(readModels, 'SELECT min(received_at) AS oldest FROM partial_history');
  return numOrNull(row?.oldest);
}

/** Points of the partials received after `time` (exact within the retention window only). */
export async function pointsReceivedAfter(readModels: ReadModelDatabase, time: number): Promise<bigint> {
  const [row] = await readRows(readModels, `SELECT ${sumText('points', 'points')} FROM partial_history WHERE received_at > ?`, [time]);
  return BigInt(str(row?.points));
}
