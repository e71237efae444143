import type { ReadModelDatabase } from '@pool/read-models';
import { num, readRows, str, strOrNull, text } from '../read-support/read-rows';

/** One harvester of a farmer: what its partials earned and what it last said about itself. */
export interface HarvesterView {
  harvesterId: string;
  firstSeenAt: number;
  lastSeenAt: number;
  partials: { submitted: number; confirmed: number; reverted: number; last24h: number };
  points: { submitted: string; confirmed: string; reverted: string; last24h: string };
  /** Bytes, from the last 24 ledger hours' points (the farmer's own estimate, per harvester). */
  estimatedSpace: string;
  plotSizes: number[];
  farmerVersion: string | null;
  harvesterVersion: string | null;
  userAgent: string | null;
}

/** A farmer's harvesters, most recently seen first. */
export async function farmerHarvesters(readModels: ReadModelDatabase, launcherId: string): Promise<HarvesterView[]> {
  const rows = await readRows(
    readModels,
    `SELECT harvester_id, first_seen_at, last_seen_at, partials_submitted, partials_confirmed, partials_reverted, partials_24h,
       ${text('submitted_points')}, ${text('confirmed_points')}, ${text('reverted_points')}, ${text('points_24h')}, ${text('estimated_space')},
       plot_sizes, farmer_version, harvester_version, user_agent
     FROM harvesters WHERE launcher_id = ? ORDER BY last_seen_at DESC, harvester_id`,
    [launcherId],
  );
  return rows.map((r) => ({
    harvesterId: String(r.harvester_id),
    firstSeenAt: num(r.first_seen_at),
    lastSeenAt: num(r.last_seen_at),
    partials: { submitted: num(r.partials_submitted), confirmed: num(r.partials_confirmed), reverted: num(r.partials_reverted), last24h: num(r.partials_24h) },
    points: { submitted: str(r.submitted_points), confirmed: str(r.confirmed_points), reverted: str(r.reverted_points), last24h: str(r.points_24h) },
    estimatedSpace: str(r.estimated_space),
    plotSizes: String(r.plot_sizes ?? '') === '' ? [] : String(r.plot_sizes).split(',').map(Number),
    farmerVersion: strOrNull(r.farmer_version),
    harvesterVersion: strOrNull(r.harvester_version),
    userAgent: strOrNull(r.user_agent),
  }));
}
