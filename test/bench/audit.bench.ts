import { execFile, fork } from 'node:child_process';
import { join } from 'node:path';
import { auditLedger, DEFAULT_SEAL_SCHEDULE, type AuditReport } from '@pool/domain';
import { writeSyntheticLedgerFixture } from '../support/synthetic-payout.fixture';
import { openEventStore } from '@pool/event-store';
import { StreamCommandRunner, type EventStore } from '@pool/event-sourcing';
import { readWholeStore } from '@pool/poolctl';
import { LedgerSealer } from '@pool/worker';
import { sqliteBenchAdapter } from './bench-adapters';
import { benchClosedAudit } from './audit-closings';
import { cachedPostgresLedger, cachedSqliteLedger, ledgerKey, type CachedLedger } from './ledger-cache';

/**
 * `npm run bench:audit`: the payout audit (what `poolctl audit` runs, in order) over a generated ledger of
 * BENCH_AUDIT_PAYOUTS payouts (default 1,000) and about BENCH_AUDIT_EVENTS events (default 1,000,000), written
 * in batched appends to SQLite and, when it answers, PostgreSQL, and kept between runs (ledger-cache.ts). Every
 * PayoutPlanned in it was computed by planPayout, so the audit must match all of them; a mismatch fails the
 * benchmark. `poolctl audit` runs as an operator runs it, a process of its own, and prints its peak resident memory
 * (not the generator's); the read alone and the one-thread comparison run in another child. Target: 200,000 events/s,
 * under 300 MB resident.
 */
const PAYOUTS = Number(process.env.BENCH_AUDIT_PAYOUTS ?? 1000);
const TARGET_EVENTS = Number(process.env.BENCH_AUDIT_EVENTS ?? 1_000_000);
const FARMERS = Number(process.env.BENCH_AUDIT_FARMERS ?? 500);
// Per period: a partial is ~2.05 events (submitted, confirmed, a few reverts) plus ~8 for rewards and the payout;
// periods skipped by a pause add a few percent on top.
const PARTIALS_PER_PAYOUT = Math.ceil((TARGET_EVENTS / PAYOUTS - 8) / 2.05);
const TARGET_RATE = 200_000;
const TARGET_RSS_MB = 300;

const seconds = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e9;
const perSecond = (n: number, s: number): string => Math.round(n / s).toLocaleString('en-US');
const fmt = (n: number): string => n.toLocaleString('en-US');

/**
 * The generated ledger, sealed as the worker seals a pool's: the worker's own LedgerSealer follows the appends (a seal
 * after every payout plan and every DEFAULT_SEAL_SCHEDULE.everyEvents events), so the audit checks the seals a real
 * ledger has and keeps the window between two seals that a real one needs, not the whole ledger.
 */
async function generate(store: EventStore): Promise<number> {
  const sealer = new LedgerSealer({ store, runner: new StreamCommandRunner(store), schedule: DEFAULT_SEAL_SCHEDULE, now: () => 1_700_000_000 });
  return writeSyntheticLedgerFixture(store, { farmers: FARMERS, payouts: PAYOUTS, partialsPerPayout: PARTIALS_PER_PAYOUT, batchSize: 5000, seed: 42 }, [sealer]);
}

/** In the child process: the read alone, then `poolctl audit` (a process of its own), then the audit on one thread; its lines. */
async function measure(name: string, url: string): Promise<string[]> {
  const store = await openEventStore(url, { readOnly: true });
  try {
    // Reading alone, to tell the store's share from the audit's.
    const start = process.hrtime.bigint();
    let read = 0;
    for await (const page of readWholeStore(store)) read += page.length;
    const readSeconds = seconds(start);

    const lines = [`${name}: read of the whole ledger alone: ${fmt(read)} events in ${readSeconds.toFixed(2)} s (${perSecond(read, readSeconds)} events/s)`];
    console.log(`  ${lines[0]}`);
    const timed = async (label: string, audit: () => Promise<AuditReport>): Promise<number> => {
      const begin = process.hrtime.bigint();
      const cpuStart = process.cpuUsage();
      const report = await audit();
      const auditSeconds = seconds(begin);
      const cpu = process.cpuUsage(cpuStart);
      // On a shared machine wall time includes waiting for a core; CPU time is this process's own work (all threads).
      const cpuSeconds = (cpu.user + cpu.system) / 1e6;
      const s = report.summary;
      if (!report.ok) {
        const first = report.results.find((r) => r.status === 'mismatch');
        throw new Error(`audit of the generated ledger failed: ${first ? `payout ${first.sequence}: ${first.difference}` : report.problems[0]?.message}`);
      }
      const rate = read / auditSeconds;
      lines.push(
        `${name}: ${label}: ${fmt(read)} events in the store (${fmt(s.events)} of the types it folds), ${fmt(s.payouts)} payouts, all match, books balanced: ` +
          `${auditSeconds.toFixed(2)} s = ${perSecond(read, auditSeconds)} events/s (target ${fmt(TARGET_RATE)}${rate >= TARGET_RATE ? ', met' : ', BELOW'}); ` +
          `CPU ${cpuSeconds.toFixed(2)} s = ${perSecond(read, cpuSeconds)} events per CPU second`,
      );
      console.log(`  ${lines.at(-1)}`);
      return auditSeconds;
    };
    // `poolctl audit` itself, a process of its own (what an operator runs and sizes a machine by), then the audit on one
    // thread here for comparison.
    const cli = await poolctlAudit(url);
    lines.push(
      `${name}: poolctl audit (in order, seals on a second thread when 2+ cores, partials beyond every window filed on disk): ${fmt(read)} events in the store, ` +
        `${cli.verdict}: ${cli.seconds.toFixed(2)} s = ${perSecond(read, cli.seconds)} events/s (target ${fmt(TARGET_RATE)}${read / cli.seconds >= TARGET_RATE ? ', met' : ', BELOW'})`,
    );
    console.log(`  ${lines.at(-1)}`);
    if (process.env.BENCH_AUDIT_ONE_THREAD !== '0') {
      const one = await timed('audit on one thread (auditLedger, every partial in memory)', () => auditLedger(readWholeStore(store)));
      lines.push(`${name}: poolctl audit: x${(one / cli.seconds).toFixed(2)} faster than the audit on one thread`);
    }
    lines.push(`${name}: peak RSS of poolctl audit (its process, both its threads): ${cli.peakMb} MB (target < ${TARGET_RSS_MB}${cli.peakMb < TARGET_RSS_MB ? ', met' : ', ABOVE'})`);
    console.log(`  ${lines.at(-1)}`);
    return lines;
  } finally {
    await store.close();
  }
}

/** `poolctl audit --store url` as an operator runs it: its wall time, its verdict line and the peak memory it prints. */
function poolctlAudit(url: string): Promise<{ seconds: number; verdict: string; peakMb: number }> {
  const start = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [join(__dirname, '../../../bin/poolctl.js'), 'audit', '--store', url, '--no-progress'], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout) => {
      const lines = stdout.trim().split('\n');
      const verdict = lines.at(-1) ?? '';
      const peak = /^memory: peak resident (\d+) MB$/.exec(lines.at(-2) ?? '');
      if (error !== null || !verdict.startsWith('audit passed') || peak === null) return reject(new Error(`poolctl audit of the generated ledger failed: ${verdict} ${error?.message ?? ''}`));
      resolve({ seconds: seconds(start), verdict: verdict.replace(/ in [\d.]+ s .*$/, ''), peakMb: Number(peak[1]) });
    });
  });
}

/** Runs `measure` in a child process (this file with --measure), so its peak RSS is its own. */
function measureInChild(name: string, url: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--measure', name, url], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let lines: string[] | undefined;
    child.on('message', (message) => (lines = message as string[]));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 && lines !== undefined ? resolve(lines) : reject(new Error(`the audit's process ended with code ${code}`))));
  });
}

async function benchLedger(name: string, ledger: CachedLedger): Promise<string[]> {
  try {
    const w = ledger.written;
    console.log(
      w === null
        ? `  ${name}: the generated ledger from the cache (${ledger.eventStoreUrl.replace(/^postgres:\/\/[^?]*/, 'postgres://…')})`
        : `  ${name}: generated ${fmt(w.events)} events in ${w.seconds.toFixed(1)} s (${perSecond(w.events, w.seconds)} events/s appended), kept for the next run`,
    );
    return await measureInChild(name, ledger.eventStoreUrl);
  } finally {
    await ledger.cleanup();
  }
}

async function main(): Promise<void> {
  console.log(`audit benchmark: ~${fmt(TARGET_EVENTS)} events, ${PAYOUTS} payouts, ${FARMERS} farmers (target >= ${fmt(TARGET_RATE)} events/s, peak RSS < ${TARGET_RSS_MB} MB)`);
  const key = ledgerKey({ FARMERS, PAYOUTS, PARTIALS_PER_PAYOUT, seed: 42, batchSize: 5000, seals: DEFAULT_SEAL_SCHEDULE }, [
    require.resolve('../support/synthetic-ledger'),
    require.resolve('../support/synthetic-payout.fixture'),
    // The sealer and the chain it computes decide the seals written.
    require.resolve('../../apps/worker/src/seals/ledger-sealer'),
    require.resolve('../../libs/domain/src/ledger-seals/ledger-encoding'),
  ]);
  const only = process.env.BENCH_ADAPTERS?.split(',');
  const results: string[] = [];
  if (!only || only.includes('sqlite')) results.push(...(await benchLedger('sqlite', await cachedSqliteLedger('audit', key, generate))));
  if (process.env.BENCH_AUDIT_CLOSINGS !== '0') {
    // The full audit in order and in parallel across the periods between books closings (audit-closings.ts).
    const closed = sqliteBenchAdapter('audit-closed');
    try {
      results.push(...(await benchClosedAudit(closed)));
    } finally {
      await closed.cleanup();
    }
  }
  const postgres = process.env.BENCH_AUDIT_POSTGRES === '0' || (only && !only.includes('postgres')) ? 'not asked for' : await cachedPostgresLedger('audit', key, generate);
  if (typeof postgres === 'string') console.log(`  postgres: skipped: ${postgres}`);
  else results.push(...(await benchLedger('postgres', postgres)));
  console.log('\nresults');
  for (const line of results) console.log(`  ${line}`);
}

if (process.argv[2] === '--measure') {
  measure(process.argv[3]!, process.argv[4]!)
    .then((lines) => process.send!(lines, () => process.exit(0)))
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
