import type { Command } from 'commander';
import { AUDIT_EVENT_TYPES, auditLedger, farmerStatement, poolEvents, type AuditEvent, type PayoutAuditResult } from '@pool/domain';
import { LedgerFollower, type EventStore } from '@pool/event-sourcing';
import { configFrom, farmerIsKnown, openLedgerForReading, parseLauncherId, unknownFarmer } from './connections';
import { redactUrl } from '../devnet/devnet-data-dir';

const PAGE = 5000;

/**
 * The store in order from the start, page by page; only the types the audit reads (the payout ledger's and
 * RewardDetected: the others cannot change a payout, and skipping them in the store halves the reading).
 */
export function readWholeStore(store: EventStore, pageSize = PAGE): AsyncGenerator<readonly AuditEvent[]> {
  return new LedgerFollower(store, { ...poolEvents(...AUDIT_EVENT_TYPES), pageSize }).pages();
}

const describe = (r: PayoutAuditResult): string =>
  `payout ${r.sequence} at position ${r.position}: ${r.status === 'match' ? 'match' : `MISMATCH ${r.difference ?? ''}`}`;

/**
 * `poolctl audit`: replays the store from the start and recomputes every payout; one line per payout, then a
 * summary. Exit code 1 on any mismatch or problem. `--farmer` prints that farmer's statement instead.
 */
export function registerAuditCommand(program: Command, print: (line: string) => void = (line) => console.log(line)): void {
  program
    .command('audit')
    .description('replay the ledger, recompute every payout and check it to the mojo (or print one farmer statement)')
    .option('--farmer <launcherId>', "print this farmer's statement: credits, reversals, allocations, payments, balances")
    .option('--store <url>', 'event store URL (default: --event-store, POOL_EVENT_STORE_URL or the config)')
    .action(async (options: { farmer?: string; store?: string }, command: Command) => {
      const url = options.store ?? configFrom(command).eventStoreUrl;
      const launcherId = options.farmer === undefined ? undefined : parseLauncherId(options.farmer);
      // Read-only: a mistyped URL is an error naming it, never a new empty ledger that "passes".
      const store = await openLedgerForReading(url);
      try {
        if (launcherId !== undefined) {
          const statement = await farmerStatement(readWholeStore(store), launcherId);
          if (!(await farmerIsKnown(store, launcherId, statement.lines.length > 0))) throw unknownFarmer(launcherId, url);
          print(['position', 'event', 'kind', 'points', 'mojos', 'unpaid points', 'carried', 'in flight', 'paid', 'payout'].join('\t'));
          for (const l of statement.lines) {
            print([l.position, l.event, l.kind, l.points, l.mojos, l.pointsBalance, l.carried, l.inFlight, l.paid, l.payoutId ?? ''].join('\t'));
          }
          const t = statement.totals;
          print(
            `farmer ${launcherId}: ${statement.lines.length} lines; points credited ${t.creditedPoints}, reverted ${t.revertedPoints}; ` +
              `mojos allocated ${t.allocated}, paid ${t.paid}, in flight ${t.inFlight}, carried ${t.carried}`,
          );
          return;
        }
        if ((await store.headPosition()) === undefined) {
          // Nothing to check is not a check that passed: say so, in words a script cannot mistake for a pass.
          print(`audit: the ledger ${redactUrl(url)} is empty (no events yet): nothing to check`);
          return;
        }
        const started = process.hrtime.bigint();
        const report = await auditLedger(readWholeStore(store), { onResult: (r) => print(describe(r)) });
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        for (const p of report.problems) print(`problem at position ${p.position ?? '-'}: ${p.message}`);
        const s = report.summary;
        print(
          `books: absorbed ${s.absorbed} = undistributed ${s.undistributed} + allocated ${s.allocated} (paid ${s.paid}) + pool fees ${s.poolFees} + ` +
            `blockchain fees ${s.blockchainFees} + carried ${s.carried} + returned ${s.returnedFunds} - deficit ${s.rewardDeficit}: ${s.balanced ? 'balanced' : 'NOT BALANCED'}`,
        );
        print(
          `audit ${report.ok ? 'passed' : 'FAILED'}: ${s.events} ledger events, ${s.payouts} payouts, ${s.mismatches} mismatches, ${report.problems.length} problems ` +
            `in ${seconds.toFixed(2)} s (${Math.round(s.events / Math.max(seconds, 1e-9)).toLocaleString('en-US')} events/s)`,
        );
        if (!report.ok) process.exitCode = 1;
      } finally {
        await store.close();
      }
    });
}
