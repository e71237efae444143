import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { auditLedger, booksDigest, DEFAULT_SEAL_SCHEDULE, type AuditReport, type BooksClosed } from '@pool/domain';
import { openEventStore, positionsOfType, storedData } from '@pool/event-store';
import { StreamCommandRunner, type EventStore } from '@pool/event-sourcing';
import { BooksCloser, LedgerSealer } from '@pool/worker';
import { comparableAuditReport, runPoolctl, writeSyntheticLedgerFixture } from '@pool/testing';
import { readWholeStore } from '../commands/audit.command';
import { auditInParallel } from './parallel-audit';

/**
 * The full audit in parallel across the periods between books closings (threads started from the TypeScript sources
 * here, from dist after a build) gives the report of the audit in order: on an honest ledger, and on one whose books
 * closing was doctored after the fact.
 */
async function writeSealAndClose(url: string): Promise<void> {
  const store = await openEventStore(url);
  try {
    const runner = new StreamCommandRunner(store);
    const closer = new BooksCloser({ store, runner, now: () => 1_700_000_000, pageSize: 100 });
    const sealer = new LedgerSealer({ store, runner, schedule: { ...DEFAULT_SEAL_SCHEDULE, everyEvents: 400 }, now: () => 1_700_000_000 });
    await writeSyntheticLedgerFixture(store, { farmers: 30, payouts: 16, partialsPerPayout: 80, seed: 5 }, [closer, sealer]);
  } finally {
    await store.close();
  }
}

async function bothAudits(url: string): Promise<{ sequential: AuditReport; parallel: NonNullable<Awaited<ReturnType<typeof auditInParallel>>> }> {
  const store: EventStore = await openEventStore(url, { readOnly: true });
  try {
    const sequential = await auditLedger(readWholeStore(store));
    const parallel = await auditInParallel(store, url, { threads: 3, pageSize: 500 });
    if (parallel === undefined) throw new Error('no closings to cut the ledger at');
    return { sequential, parallel };
  } finally {
    await store.close();
  }
}

describe('poolctl audit in parallel across books closings (SQLite store, worker threads)', () => {
  let dir: string;
  let url: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pool-parallel-audit-'));
    url = `sqlite:${join(dir, 'events.db')}`;
    await writeSealAndClose(url);
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('given an honest ledger, joins the threads’ segments into the report of the audit in order', async () => {
    const { sequential, parallel } = await bothAudits(url);
    expect(sequential.ok).toBe(true);
    expect(sequential.seals?.verified).toBeGreaterThan(3);
    expect(sequential.closings?.closings).toBeGreaterThan(10);
    expect(parallel.segments).toBe(6);
    expect(parallel.inOrderFrom).toBeNull();
    expect(parallel.joined).toBeGreaterThan(2);
    expect(comparableAuditReport(parallel.report)).toEqual(comparableAuditReport(sequential));
  }, 120_000);

  it('prints the same payout lines and verdict with threads as in order, and says how it cut the ledger', async () => {
    const threaded = await runPoolctl(['audit', '--store', url, '--threads', '2']);
    const inOrder = await runPoolctl(['audit', '--store', url, '--threads', '0']);
    expect(threaded.exitCode).toBe(0);
    expect(threaded.lines).toContainEqual(expect.stringMatching(/^audited in parallel: 4 segments between books closings on 2 threads, seals on this one/));
    const payouts = (lines: string[]): string[] => lines.filter((l) => l.startsWith('payout ') || l.startsWith('books') || l.startsWith('seals'));
    expect(payouts(threaded.lines)).toEqual(payouts(inOrder.lines));
    expect(inOrder.lines.some((l) => l.startsWith('audited in parallel'))).toBe(false);
  }, 120_000);

  it('given a books closing doctored after the fact, gives the problems of the audit in order, in its order', async () => {
    const copy = join(dir, 'doctored.db');
    copyFileSync(join(dir, 'events.db'), copy);
    const db = new Database(copy);
    const closings = positionsOfType(db, 'BooksClosed');
    const target = storedData(db, closings[Math.floor(closings.length / 2)]!);
    const data = target.data as BooksClosed['data'];
    const farmer = data.snapshot.farmers.find((f) => f.carried !== '0') ?? data.snapshot.farmers[0]!;
    farmer.carried = String(BigInt(farmer.carried) + 1n);
    data.digest = booksDigest(data.snapshot);
    target.replace(data);
    db.close();

    const { sequential, parallel } = await bothAudits(`sqlite:${copy}`);
    expect(sequential.ok).toBe(false);
    expect(sequential.problems.map((p) => p.message)).toEqual(
      expect.arrayContaining([expect.stringMatching(new RegExp(`^books closing ${data.sequence} at position \\d+: its snapshot is not the books`))]),
    );
    expect(parallel.inOrderFrom).not.toBeNull();
    expect(comparableAuditReport(parallel.report)).toEqual(comparableAuditReport(sequential));
  }, 120_000);
});
