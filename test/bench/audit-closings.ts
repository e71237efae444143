import { availableParallelism } from 'node:os';
import { auditLedger, canonicalLedgerJson, type AuditReport } from '@pool/domain';
import { openEventStore } from '@pool/event-store';
import { StreamCommandRunner } from '@pool/event-sourcing';
import { auditInParallel, readWholeStore } from '@pool/poolctl';
import { BooksCloser } from '@pool/worker';
import { comparableAuditReport, writeSyntheticLedgerFixture } from '../support/synthetic-payout.fixture';
import type { BenchAdapter } from './bench-adapters';

/**
 * The audit benchmark's closings part: a ledger whose books are closed after every settled payout, as the worker's
 * closer closes them while the ledger is written, audited in order and in parallel in one run. Fewer payouts than the
 * main ledger: a closing is written after every one of them.
 */
const EVENTS = Number(process.env.BENCH_AUDIT_CLOSED_EVENTS ?? 1_000_000);
const PAYOUTS = Number(process.env.BENCH_AUDIT_CLOSED_PAYOUTS ?? 100);
const FARMERS = Number(process.env.BENCH_AUDIT_CLOSED_FARMERS ?? 300);
const PARTIALS_PER_PAYOUT = Math.ceil((EVENTS / PAYOUTS - 8) / 2.05);

const seconds = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e9;
const perSecond = (n: number, s: number): string => Math.round(n / s).toLocaleString('en-US');
const same = (a: AuditReport, b: AuditReport): boolean => canonicalLedgerJson(comparableAuditReport(a) as never) === canonicalLedgerJson(comparableAuditReport(b) as never);

export async function benchClosedAudit(adapter: BenchAdapter): Promise<string[]> {
  const store = await openEventStore(adapter.eventStoreUrl);
  try {
    const closer = new BooksCloser({ store, runner: new StreamCommandRunner(store), now: () => 1_700_000_000, pageSize: 20_000 });
    const events = await writeSyntheticLedgerFixture(store, { farmers: FARMERS, payouts: PAYOUTS, partialsPerPayout: PARTIALS_PER_PAYOUT, batchSize: 5000, seed: 43 }, [closer]);
    let start = process.hrtime.bigint();
    const inOrder = await auditLedger(readWholeStore(store));
    const inOrderSeconds = seconds(start);
    start = process.hrtime.bigint();
    const parallel = await auditInParallel(store, adapter.eventStoreUrl);
    const parallelSeconds = seconds(start);
    if (parallel === undefined) throw new Error('the closed ledger has no closing');
    if (!inOrder.ok) throw new Error(`audit of the closed ledger failed: ${inOrder.problems[0]?.message ?? inOrder.results.find((r) => r.status === 'mismatch')?.difference}`);
    if (!same(inOrder, parallel.report)) throw new Error('the parallel audit report differs from the audit in order');
    const closings = inOrder.closings?.closings ?? 0;
    const lines = [
      `${adapter.name}: ledger with ${closings} books closings, ${events.toLocaleString('en-US')} events: audit in order ${inOrderSeconds.toFixed(2)} s ` +
        `(${perSecond(events, inOrderSeconds)} events/s); in parallel on ${parallel.threads} threads of ${availableParallelism()} cores ` +
        `(${parallel.segments} segments, ${parallel.joined} joined, ${parallel.again} again from an earlier closing${parallel.inOrderFrom === null ? '' : `, in order from ${parallel.inOrderFrom}`}) ` +
        `${parallelSeconds.toFixed(2)} s (${perSecond(events, parallelSeconds)} events/s): x${(inOrderSeconds / parallelSeconds).toFixed(2)} faster, same report`,
    ];
    for (const line of lines) console.log(`  ${line}`);
    return lines;
  } finally {
    await store.close();
  }
}
