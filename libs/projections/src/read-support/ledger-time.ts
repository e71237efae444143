import type { ReadModelDatabase } from '@pool/read-models';
import { num, readRows } from './read-rows';

/** Newest ledger time (unix seconds) the projections have seen, over every projection's meta row; 0 before any event. */
export async function ledgerTime(readModels: ReadModelDatabase): Promise<number> {
  const rows = await readRows(
    readModels,
    `SELECT max(t) AS t FROM (SELECT ledger_time AS t FROM pool_stats_meta UNION ALL SELECT ledger_time FROM farmer_view_meta
      UNION ALL SELECT ledger_time FROM rewards_meta UNION ALL SELECT ledger_time FROM payouts_meta) m`,
  );
  return num(rows[0]?.t);
}
