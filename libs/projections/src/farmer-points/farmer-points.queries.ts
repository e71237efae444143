import type { ReadModelDatabase } from '@pool/read-models';
import type { PartialCounts } from '../partial-history/partial-history.queries';
import { readRows } from '../read-support/read-rows';

/** A farmer's points by state, from the farmer_points projection. */
export interface FarmerPointsView {
  launcherId: string;
  pendingPoints: string;
  confirmedPoints: string;
  revertedPoints: string;
  partials: PartialCounts;
  lastPartialAt: number | null;
}

/** farmer_points' row of one farmer, undefined when no partial of it was ever recorded. */
export async function farmerPoints(readModels: ReadModelDatabase, launcherId: string): Promise<FarmerPointsView | undefined> {
  const [row] = await readRows(readModels, 'SELECT * FROM farmer_points WHERE launcher_id = ?', [launcherId]);
  if (!row) return undefined;
  return {
    launcherId,
    pendingPoints: String(row.pending_points),
    confirmedPoints: String(row.confirmed_points),
    revertedPoints: String(row.reverted_points),
    partials: { submitted: Number(row.partials_submitted), confirmed: Number(row.partials_confirmed), reverted: Number(row.partials_reverted) },
    lastPartialAt: row.last_partial_at === null ? null : Number(row.last_partial_at),
  };
}
