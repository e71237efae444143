import { randomUUID } from 'node:crypto';
import { auditLedger } from '@pool/domain';
import { syntheticLedger } from '../support/synthetic-ledger';
import { openEventStore } from '@pool/event-store';
import { type EventStore, type GlobalPosition } from '@pool/event-sourcing';
import { readWholeStore } from '@pool/poolctl';
import { postgresBenchAdapter, sqliteBenchAdapter, type BenchAdapter } from './bench-adapters';
import { benchClosedAudit } from './audit-closings';

/**
 * `npm run bench:audit`: the payout audit (what `poolctl audit` runs) over a generated ledger of
 * BENCH_AUDIT_PAYOUTS payouts (default 1,000) and about BENCH_AUDIT_EVENTS events (default 1,000,000), written
 * in batched appends to SQLite and, when it answers, PostgreSQL. Every PayoutPlanned in it was computed by
 * planPayout, so the audit must match all of them; a mismatch fails the benchmark.
 */
const PAYOUTS = Number(process.env.BENCH_AUDIT_PAYOUTS ?? 1000);
const TARGET_EVENTS = Number(process.env.BENCH_AUDIT_EVENTS ?? 1_000_000);
const FARMERS = Number(process.env.BENCH_AUDIT_FARMERS ?? 500);
// Per period: a partial is ~2.05 events (submitted, confirmed, a few reverts) plus ~8 for rewards and the payout;
// periods skipped by a pause add a few percent on top.
const PARTIALS_PER_PAYOUT = Math.ceil((TARGET_EVENTS / PAYOUTS - 8) / 2.05);

const seconds = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e9;
const perSecond = (n: number, s: number): string => Math.round(n / s).toLocaleString('en-US');

async function generate(store: EventStore): Promise<{ events: number; seconds: number }> {
  const start = process.hrtime.bigint();
  let last: GlobalPosition | undefined;
  let events = 0;
  for (const batch of syntheticLedger({ farmers: FARMERS, payouts: PAYOUTS, partialsPerPayout: PARTIALS_PER_PAYOUT, batchSize: 5000, seed: 42 })) {
    const built = batch.events(last).map((e) => ({ id: randomUUID(), ...e }));
    last = (await store.append(batch.stream, built, { expectedRevision: 'any' })).position;
    events += built.length;
  }
  return { events, seconds: seconds(start) };
}

async function benchAdapter(adapter: BenchAdapter): Promise<string[]> {
  const store = await openEventStore(adapter.eventStoreUrl);
  try {
    const written = await generate(store);
    console.log(`  ${adapter.name}: generated ${written.events.toLocaleString('en-US')} events in ${written.seconds.toFixed(1)} s (${perSecond(written.events, written.seconds)} events/s appended)`);

    // Reading alone, to tell the store's share from the audit's.
    let start = process.hrtime.bigint();
    let read = 0;
    for await (const page of readWholeStore(store)) read += page.length;
    const readSeconds = seconds(start);

    start = process.hrtime.bigint();
    const cpuStart = process.cpuUsage();
    const report = await auditLedger(readWholeStore(store));
    const auditSeconds = seconds(start);
    const cpu = process.cpuUsage(cpuStart);
    // On a shared machine wall time includes waiting for a core; CPU time is this process's own work.
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const s = report.summary;
    if (!report.ok) {
      const first = report.results.find((r) => r.status === 'mismatch');
      throw new Error(`audit of the generated ledger failed: ${first ? `payout ${first.sequence}: ${first.difference}` : report.problems[0]?.message}`);
    }
    // The audit reads the ledger event types (readWholeStore's filter) and covers the whole store.
    const lines = [
      `${adapter.name}: read of the ledger event types only: ${read.toLocaleString('en-US')} events in ${readSeconds.toFixed(2)} s`,
      `${adapter.name}: poolctl audit: ${written.events.toLocaleString('en-US')} events in the store (${s.events.toLocaleString('en-US')} of the types it folds), ` +
        `${s.payouts.toLocaleString('en-US')} payouts, all match, books balanced: ${auditSeconds.toFixed(2)} s = ` +
        `${perSecond(written.events, auditSeconds)} store events/s (${perSecond(s.events, auditSeconds)} events read/s)`,
      `${adapter.name}: poolctl audit CPU time: ${cpuSeconds.toFixed(2)} s = ${perSecond(written.events, cpuSeconds)} store events per CPU second`,
    ];
    for (const line of lines) console.log(`  ${line}`);
    return lines;
  } finally {
    await store.close();
  }
}

async function main(): Promise<void> {
  console.log(`audit benchmark: ~${TARGET_EVENTS.toLocaleString('en-US')} events, ${PAYOUTS} payouts, ${FARMERS} farmers (target >= 100,000 events/s)`);
  const results: string[] = [];
  const sqlite = sqliteBenchAdapter('audit');
  try {
    results.push(...(await benchAdapter(sqlite)));
  } finally {
    await sqlite.cleanup();
  }
  if (process.env.BENCH_AUDIT_CLOSINGS !== '0') {
    // The full audit in order and in parallel across the periods between books closings (audit-closings.ts).
    const closed = sqliteBenchAdapter('audit-closed');
    try {
      results.push(...(await benchClosedAudit(closed)));
    } finally {
      await closed.cleanup();
    }
  }
  const postgres = process.env.BENCH_AUDIT_POSTGRES === '0' ? 'BENCH_AUDIT_POSTGRES=0' : await postgresBenchAdapter('audit');
  if (typeof postgres === 'string') {
    console.log(`  postgres: skipped: ${postgres}`);
  } else {
    try {
      results.push(...(await benchAdapter(postgres)));
    } finally {
      await postgres.cleanup();
    }
  }
  console.log('\nresults');
  for (const line of results) console.log(`  ${line}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
