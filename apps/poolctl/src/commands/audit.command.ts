import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import {
  AUDIT_EVENT_TYPES,
  auditLedger,
  BOOKS_CLOSINGS_STREAM,
  farmerStatement,
  farmerStream,
  type AuditEvent,
  type AuditInput,
  type AuditOptions,
  type AuditReport,
  type BooksClosed,
  type PayoutAuditResult,
} from '@pool/domain';
import { LedgerFollower, type EventStore, type GlobalPosition, type RecordedEvent } from '@pool/event-sourcing';
import { configFrom, farmerIsKnown, openLedgerForReading, parseLauncherId, threadsOption, unknownFarmer } from './connections';
import { exportRecords, wholeLedger } from './ledger-export';
import { redactUrl } from '../devnet/devnet-data-dir';
import { auditInParallel } from '../audit/parallel-audit';
import { auditInOrder, limitHeapGrowth } from '../audit/in-order-audit';
import { withScratchArchive } from '../audit/scratch-archive';
import { Progress, tracked } from '../progress/progress';

const PAGE = 5000;

/**
 * The store in order from the start, page by page, every event: the seals cover every type, so the audit reads them
 * all (it recomputes payouts from the money types only, AUDIT_EVENT_TYPES).
 */
export function readWholeStore(store: EventStore, pageSize = PAGE): AsyncGenerator<readonly AuditEvent[]> {
  return wholeLedger(store, pageSize);
}

const describe = (r: PayoutAuditResult): string =>
  `payout ${r.sequence} at position ${r.position}: ${r.status === 'match' ? 'match' : `MISMATCH ${r.difference ?? ''}`}`;

type Print = (line: string) => void;

function printStatement(statement: Awaited<ReturnType<typeof farmerStatement>>, launcherId: string, print: Print): void {
  print(['position', 'event', 'kind', 'points', 'mojos', 'unpaid points', 'carried', 'in flight', 'paid', 'payout'].join('\t'));
  for (const l of statement.lines) {
    print([l.position, l.event, l.kind, l.points, l.mojos, l.pointsBalance, l.carried, l.inFlight, l.paid, l.payoutId ?? ''].join('\t'));
  }
  const t = statement.totals;
  print(
    `farmer ${launcherId}: ${statement.lines.length} lines; points credited ${t.creditedPoints}, reverted ${t.revertedPoints}; ` +
      `mojos allocated ${t.allocated}, paid ${t.paid}, in flight ${t.inFlight}, carried ${t.carried}`,
  );
}

/** The audit's lines after the per-payout ones: problems, seals, books, verdict. Sets exit code 1 on a failure. */
function printReport(report: AuditReport, seconds: number, print: Print): void {
  for (const p of report.problems) print(`problem at position ${p.position ?? '-'}: ${p.message}`);
  for (const r of report.resolutions ?? []) {
    const landed = r.decision === 'paid-in-part' ? ` (transactions ${r.landedTransactions.join(',')} landed, ${r.paidToFarmers} mojos paid to farmers)` : '';
    print(`resolved by operator at position ${r.position}: ${r.payoutId} ${r.decision}${landed}: ${r.reason}`);
  }
  const s = report.summary;
  const seals = report.seals;
  const c = report.closings;
  if (c !== undefined) print(`books closings: ${c.verified} of ${c.closings} equal the books recomputed where they close; the last closes at position ${c.lastClosedPosition ?? '-'}`);
  print(
    seals === undefined
      ? 'seals: none in this ledger (recorded before seals, or not sealed yet): its events are checked by the recomputation alone'
      : `seals: ${seals.verified} of ${seals.seals} verified; the last covers position ${seals.lastSealedPosition ?? '-'}, ${seals.unsealedEvents} event(s) after it not sealed yet`,
  );
  print(
    `books: absorbed ${s.absorbed} = undistributed ${s.undistributed} + allocated ${s.allocated} (paid ${s.paid}) + pool fees ${s.poolFees} + ` +
      `blockchain fees ${s.blockchainFees} + carried ${s.carried} + returned ${s.returnedFunds} - deficit ${s.rewardDeficit}: ${s.balanced ? 'balanced' : 'NOT BALANCED'}`,
  );
  // What an operator sizes the audit's machine by (resourceUsage: the process's peak, all its threads).
  print(`memory: peak resident ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
  print(
    `audit ${report.ok ? 'passed' : 'FAILED'}: ${s.events} ledger events, ${s.payouts} payouts, ${s.mismatches} mismatches, ${report.problems.length} problems ` +
      `in ${seconds.toFixed(2)} s (${Math.round(s.events / Math.max(seconds, 1e-9)).toLocaleString('en-US')} events/s)`,
  );
  if (!report.ok) process.exitCode = 1;
}

/**
 * The full audit of a store: in parallel across the periods between books closings when it has some, with the report
 * the audit in order gives; in order otherwise, or with `--threads 0`.
 */
async function auditStore(store: EventStore, url: string, threads: number | undefined, showProgress: boolean, print: Print): Promise<void> {
  const started = process.hrtime.bigint();
  // By default one thread per core, from three cores on: each thread hashes and audits about what the audit in order
  // does per event, and the main thread runs the seals' chain, so two cores do not beat one (npm run bench:audit).
  const chosen = threads ?? (availableParallelism() >= 3 ? availableParallelism() : 0);
  // Progress on standard error, finished (its line cleared) before the report is printed.
  const progress = showProgress ? new Progress({ label: 'audit', head: await store.headPosition() }) : undefined;
  const printing: Print = (line) => {
    progress?.clear();
    print(line);
  };
  const withProgress = progress === undefined ? {} : { progress };
  const parallel = chosen === 0 ? undefined : await auditInParallel(store, url, { threads: chosen, ...withProgress }).finally(() => progress?.finish());
  if (parallel === undefined) {
    // In order, with the seals on a second thread when that pays (in-order-audit.ts).
    const { report } = await auditInOrder(store, url, { onResult: (r) => printing(describe(r)), ...withProgress }).finally(() => progress?.finish());
    return printReport(report, Number(process.hrtime.bigint() - started) / 1e9, print);
  }
  for (const result of parallel.report.results) print(describe(result));
  const again = parallel.again > 0 ? `, ${parallel.again} audited again from an earlier closing` : '';
  const inOrder = parallel.inOrderFrom === null ? '' : `, in order from segment ${parallel.inOrderFrom + 1} (a finding there is worded as the audit in order words it)`;
  print(`audited in parallel: ${parallel.segments} segments between books closings on ${parallel.threads} threads, seals on this one (${parallel.joined} joined as audited${again}${inOrder})`);
  printReport(parallel.report, Number(process.hrtime.bigint() - started) / 1e9, print);
}

async function auditAndPrint(input: AuditInput, print: Print, options: AuditOptions = {}, progress?: Progress): Promise<void> {
  const started = process.hrtime.bigint();
  const printing: Print = (line) => {
    progress?.clear();
    print(line);
  };
  const report = await withScratchArchive((archives) => auditLedger(input, { ...options, ...archives, onResult: (r) => printing(describe(r)) })).finally(() => progress?.finish());
  printReport(report, Number(process.hrtime.bigint() - started) / 1e9, print);
}

/**
 * `--from-closing <sequence|latest>`: one period alone, from a closing's snapshot: reads only the money events after
 * the position it closes at, so it takes time in proportion to the period, not to the ledger's age.
 */
async function auditFromClosing(store: EventStore, which: string, showProgress: boolean, print: Print): Promise<void> {
  const closings = (await store.readStream(BOOKS_CLOSINGS_STREAM).catch(() => [])).map((e) => e.data as BooksClosed['data']);
  const from = which === 'latest' ? closings.at(-1) : closings.find((c) => String(c.sequence) === which);
  if (from === undefined) throw new Error(`no books closing ${which} in this ledger (${closings.length} closing(s)); --from-closing takes a closing's sequence or latest`);
  print(`audit from books closing ${from.sequence} (payout ${from.payoutId}, closed at position ${from.closedPosition}, digest ${from.digest}); seals are checked by the full audit`);
  // The seals too: a signing's commitment names the seal through its plan (auditLedger notes them, checks none here).
  const types = [...AUDIT_EVENT_TYPES, 'LedgerSealed'];
  const events = new LedgerFollower<RecordedEvent>(store, { types, decode: (r) => r, pageSize: PAGE, after: from.closedPosition as GlobalPosition }).pages();
  const progress = showProgress ? new Progress({ label: 'audit', head: await store.headPosition(), after: from.closedPosition }) : undefined;
  await auditAndPrint(tracked(events, progress), print, { from }, progress);
}

/** `--export FILE`: the audit (or a statement) from an export alone: no database, no network. */
async function auditExport(file: string, launcherId: string | undefined, print: Print): Promise<void> {
  const records = await exportRecords(file);
  if (launcherId === undefined) return auditAndPrint(records, print);
  let known = false;
  const watched = (async function* () {
    for await (const page of records) {
      known ||= page.some((record) => record.stream === farmerStream(launcherId));
      yield page;
    }
  })();
  const statement = await farmerStatement(watched, launcherId);
  if (!known && statement.lines.length === 0) throw new Error(`unknown farmer ${launcherId}: the export ${file} has no event of this launcher id`);
  printStatement(statement, launcherId, print);
}

/**
 * `poolctl audit`: replays the store (or an export) from the start, recomputes every payout and checks every seal;
 * one line per payout, then a summary. Exit code 1 on any mismatch or problem. `--farmer` prints that farmer's
 * statement instead.
 */
export function registerAuditCommand(program: Command, print: Print = (line) => console.log(line)): void {
  program
    .command('audit')
    .description('replay the ledger, recompute every payout and check it to the mojo, check every seal (or print one farmer statement)')
    .option('--farmer <launcherId>', "print this farmer's statement: credits, reversals, allocations, payments, balances")
    .option('--store <url>', 'event store URL (default: --event-store, POOL_EVENT_STORE_URL or the config)')
    .option('--from-closing <closing>', "audit one period alone: from a books closing's snapshot (its sequence, or latest), only the events after it")
    .option('--export <file>', 'audit this export (`poolctl ledger export`, or fetched from the pool) instead of a store: no database, no network')
    .option('--threads <n>', 'threads auditing the periods between books closings in parallel (default: one per core from 3 cores on; 0: in order)', threadsOption(0, 'in order'))
    .option('--no-progress', 'no progress on standard error (events, rate, time left) while a store is audited')
    .action(async (options: { farmer?: string; store?: string; export?: string; fromClosing?: string; threads?: number; progress: boolean }, command: Command) => {
      limitHeapGrowth();
      const launcherId = options.farmer === undefined ? undefined : parseLauncherId(options.farmer);
      if (options.export !== undefined) {
        if (options.store !== undefined) throw new Error('--export and --store: give one ledger to audit');
        return auditExport(options.export, launcherId, print);
      }
      const url = options.store ?? configFrom(command).eventStoreUrl;
      // Read-only: a mistyped URL is an error naming it, never a new empty ledger that "passes".
      const store = await openLedgerForReading(url);
      try {
        if (launcherId !== undefined) {
          const statement = await farmerStatement(readWholeStore(store), launcherId);
          if (!(await farmerIsKnown(store, launcherId, statement.lines.length > 0))) throw unknownFarmer(launcherId, url);
          printStatement(statement, launcherId, print);
          return;
        }
        if ((await store.headPosition()) === undefined) {
          // Nothing to check is not a check that passed: say so, in words a script cannot mistake for a pass.
          print(`audit: the ledger ${redactUrl(url)} is empty (no events yet): nothing to check`);
          return;
        }
        if (options.fromClosing !== undefined) await auditFromClosing(store, options.fromClosing, options.progress, print);
        else await auditStore(store, url, options.threads, options.progress, print);
      } finally {
        await store.close();
      }
    });
}
