import { SECONDS_PER_DAY } from '@pool/domain';
import type { ReadModelDatabase } from '@pool/read-models';
import { ledgerTime } from '../read-support/ledger-time';
import { pageOf, rowsAfter, type CursorPage, type KeysetRequest } from '../read-support/paging';
import { num, readRows, strOrNull } from '../read-support/read-rows';

/** One refused partial, as the farmer sent it and as it was answered. */
export interface RefusedPartialView {
  refusedAt: number;
  harvesterId: string;
  /** The pool protocol's error code it was answered with. */
  errorCode: number;
  /** The message it was answered with. */
  message: string;
  signagePointHash: string;
  endOfSubSlot: boolean;
  proofHash: string | null;
  protocolVersion: number;
}

export interface RefusedPartialsRequest extends KeysetRequest {
  harvesterId?: string;
}

/** A farmer's refused partials, newest first (by time received, then ledger position), keyset paged. */
export async function refusedPartialsPage(
  readModels: ReadModelDatabase,
  launcherId: string,
  request: RefusedPartialsRequest,
): Promise<CursorPage<RefusedPartialView>> {
  const where = ['launcher_id = ?'];
  const params: unknown[] = [launcherId];
  if (request.harvesterId !== undefined) {
    where.push('harvester_id = ?');
    params.push(request.harvesterId);
  }
  if (request.after) {
    const { condition, params: values } = rowsAfter('refused_at', 'position', request.after);
    where.push(condition);
    params.push(...values);
  }
  const rows = await readRows(
    readModels,
    `SELECT position, harvester_id, refused_at, error_code, reason, signage_point_hash, end_of_sub_slot, proof_hash, protocol_version
     FROM refused_partials WHERE ${where.join(' AND ')} ORDER BY refused_at DESC, position DESC LIMIT ?`,
    [...params, request.limit + 1],
  );
  return pageOf(
    rows,
    request.limit,
    (r) => ({
      refusedAt: num(r.refused_at),
      harvesterId: String(r.harvester_id),
      errorCode: num(r.error_code),
      message: String(r.reason),
      signagePointHash: String(r.signage_point_hash),
      endOfSubSlot: num(r.end_of_sub_slot) === 1,
      proofHash: strOrNull(r.proof_hash),
      protocolVersion: num(r.protocol_version),
    }),
    (r) => [num(r.refused_at), String(r.position)],
  );
}

/** How many of one harvester's partials were refused since a time, in all and by error code. */
export interface HarvesterRefusalCounts {
  harvesterId: string;
  refused: number;
  /** Error code -> refusals with it, smallest code first. */
  byErrorCode: { errorCode: number; count: number }[];
  lastRefusedAt: number;
}

/**
 * A farmer's refusals received at or after `since` (unix seconds), per harvester (most refused first, then by id).
 * Exact for any `since` within the retention window before the newest refusal.
 */
export async function refusalCountsByHarvester(readModels: ReadModelDatabase, launcherId: string, since: number): Promise<HarvesterRefusalCounts[]> {
  const rows = await readRows(
    readModels,
    `SELECT harvester_id, error_code, count(*) AS n, max(refused_at) AS last_at FROM refused_partials
     WHERE launcher_id = ? AND refused_at >= ? GROUP BY harvester_id, error_code`,
    [launcherId, since],
  );
  const byHarvester = new Map<string, HarvesterRefusalCounts>();
  for (const r of rows) {
    const harvesterId = String(r.harvester_id);
    let counts = byHarvester.get(harvesterId);
    if (!counts) byHarvester.set(harvesterId, (counts = { harvesterId, refused: 0, byErrorCode: [], lastRefusedAt: 0 }));
    counts.refused += num(r.n);
    counts.byErrorCode.push({ errorCode: num(r.error_code), count: num(r.n) });
    counts.lastRefusedAt = Math.max(counts.lastRefusedAt, num(r.last_at));
  }
  const all = [...byHarvester.values()];
  for (const counts of all) counts.byErrorCode.sort((a, b) => a.errorCode - b.errorCode);
  return all.sort((a, b) => b.refused - a.refused || (a.harvesterId < b.harvesterId ? -1 : a.harvesterId > b.harvesterId ? 1 : 0));
}

/**
 * Where "the last 24 h" of refusals begins: a day before the newest time the pool has seen, refusals included, so a
 * farmer all of whose partials are refused still sees them while the rest of the pool is quiet. Never the wall clock:
 * replays agree.
 */
export async function refusalDayStart(readModels: ReadModelDatabase): Promise<number> {
  return Math.max(await ledgerTime(readModels), await newestRefusalTime(readModels)) - SECONDS_PER_DAY;
}

/** Newest refusal time the refused_partials projection has seen (unix seconds), 0 before any. */
export async function newestRefusalTime(readModels: ReadModelDatabase): Promise<number> {
  const [row] = await readRows(readModels, 'SELECT ledger_time FROM refused_partials_meta WHERE id = 1');
  return num(row?.ledger_time);
}
