import { auditLedger } from '@pool/domain';
import type { EventStore } from '@pool/event-sourcing';
import { readWholeStore } from '@pool/poolctl';

/**
 * What `poolctl audit` checks, on a store a spec holds open: every payout recomputed to the mojo, the books balanced,
 * no problem found. An attack spec ends with it: whatever was thrown at the pool, the ledger still adds up.
 */
export async function expectLedgerAudits(store: EventStore): Promise<void> {
  const report = await auditLedger(readWholeStore(store));
  expect(report.problems).toEqual([]);
  expect(report.summary.mismatches).toBe(0);
  expect(report.ok).toBe(true);
}
