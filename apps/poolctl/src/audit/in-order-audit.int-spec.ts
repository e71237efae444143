import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { auditLedger, DEFAULT_SEAL_SCHEDULE, type AuditReport } from '@pool/domain';
import { openEventStore, positionsOfType, storedData } from '@pool/event-store';
import { StreamCommandRunner } from '@pool/event-sourcing';
import { LedgerSealer } from '@pool/worker';
import { comparableAuditReport, writeSyntheticLedgerFixture } from '@pool/testing';
import { readWholeStore } from '../commands/audit.command';
import { auditInOrder } from './in-order-audit';

/**
 * The audit in order with the seals' chain on a thread of its own (started from the TypeScript sources here) gives
 * the report of the audit on one thread: on an honest sealed ledger, and on one with an event changed after it was
 * sealed.
 */
async function writeAndSeal(url: string): Promise<void> {
  const store = await openEventStore(url);
  try {
    const sealer = new LedgerSealer({ store, runner: new StreamCommandRunner(store), schedule: { ...DEFAULT_SEAL_SCHEDULE, everyEvents: 300 }, now: () => 1_700_000_000 });
    await writeSyntheticLedgerFixture(store, { farmers: 20, payouts: 8, partialsPerPayout: 60, seed: 9 }, [sealer]);
  } finally {
    await store.close();
  }
}

async function bothAudits(url: string): Promise<{ oneThread: AuditReport; inOrder: Awaited<ReturnType<typeof auditInOrder>> }> {
  const store = await openEventStore(url, { readOnly: true });
  try {
    const oneThread = await auditLedger(readWholeStore(store));
    const inOrder = await auditInOrder(store, url, { sealThreadFrom: 0, pageSize: 97 });
    return { oneThread, inOrder };
  } finally {
    await store.close();
  }
}

describe('poolctl audit in order, the seals on a second thread (SQLite store)', () => {
  let dir: string;
  let url: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pool-in-order-audit-'));
    url = `sqlite:${join(dir, 'events.db')}`;
    await writeAndSeal(url);
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('given an honest sealed ledger, reports what the audit on one thread reports', async () => {
    const { oneThread, inOrder } = await bothAudits(url);
    expect(inOrder.sealThread).toBe(availableParallelism() >= 2);
    expect(oneThread.ok).toBe(true);
    expect(oneThread.seals?.verified).toBeGreaterThan(3);
    expect(comparableAuditReport(inOrder.report)).toEqual(comparableAuditReport(oneThread));
  }, 120_000);

  it('given a partial changed after it was sealed, names it as the audit on one thread does', async () => {
    const copy = join(dir, 'doctored.db');
    copyFileSync(join(dir, 'events.db'), copy);
    const db = new Database(copy);
    const target = storedData(db, positionsOfType(db, 'PartialConfirmed')[100]!);
    const data = target.data as { points: string };
    data.points = String(BigInt(data.points) + 1n);
    target.replace(data);
    db.close();

    const { oneThread, inOrder } = await bothAudits(`sqlite:${copy}`);
    expect(oneThread.ok).toBe(false);
    expect(oneThread.problems.map((p) => p.message)).toContainEqual(expect.stringMatching(/no longer matches what the seal recorded/));
    expect(comparableAuditReport(inOrder.report)).toEqual(comparableAuditReport(oneThread));
  }, 120_000);
});
