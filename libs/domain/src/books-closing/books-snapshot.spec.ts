import { closedLedgerFixture } from '@pool/testing';
import { auditLedger, type AuditEvent } from '../audit/payout.audit';
import { isSettled } from '../payouts/payout-ledger';
import { applyToPayoutWindow, createPayoutWindow, type PayoutWindow } from '../payouts/payout-window.fold';
import type { BooksClosed } from './books-closing.events';
import { booksDigest, restoreBooks, snapshotBooks, type BooksSnapshot, type BooksSnapshotFormat1 } from './books-snapshot';

const ledger = closedLedgerFixture({ farmers: 30, payouts: 16, partialsPerPayout: 80, seed: 11 });
const closings = ledger.filter((e) => e.type === 'BooksClosed').map((e) => e.data as BooksClosed['data']);

/** The payout window at `position`: the window keeps every payout ever planned, as a format 1 snapshot listed them. */
function windowAt(position: string): PayoutWindow {
  const window = createPayoutWindow();
  for (const e of ledger) if (e.position <= position) applyToPayoutWindow(window, e, e.position);
  return window;
}

/** A closing as a version before format 2 recorded it: every payout listed, settled ones with their allocations. */
function asFormat1(closing: BooksClosed['data']): BooksClosed['data'] {
  const { settled: _settled, format: _format, ...rest } = closing.snapshot as BooksSnapshot;
  const payouts = [...windowAt(closing.closedPosition).payouts.values()].map((p) => ({
    payoutId: p.payoutId,
    sequence: p.sequence,
    status: p.status,
    poolFee: p.poolFee.toString(),
    blockchainFee: p.blockchainFee.toString(),
    allocations: p.allocations.map((a) => ({ launcherId: a.launcherId, amount: a.amount.toString() })),
  }));
  const snapshot: BooksSnapshotFormat1 = { ...rest, format: 1, payouts };
  return { ...closing, snapshot, digest: booksDigest(snapshot) };
}

const format1Ledger: AuditEvent[] = ledger.map((e) => (e.type === 'BooksClosed' ? { ...e, data: asFormat1(e.data as BooksClosed['data']) } : e));
const format1Closings = format1Ledger.filter((e) => e.type === 'BooksClosed').map((e) => e.data as BooksClosed['data']);

describe('books snapshot formats', () => {
  it('format 2 lists only the payouts not settled yet, and sums the settled ones as the window holds them', () => {
    const last = closings.at(-1)!;
    const snapshot = last.snapshot as BooksSnapshot;
    const window = windowAt(last.closedPosition);
    const settled = [...window.payouts.values()].filter((p) => isSettled(p.status));
    expect(settled.length).toBeGreaterThan(10);
    expect(snapshot.payouts.every((p) => !isSettled(p.status))).toBe(true);
    expect(snapshot.payouts.map((p) => p.payoutId)).toEqual([...window.payouts.values()].filter((p) => !isSettled(p.status)).map((p) => p.payoutId));
    expect(snapshot.settled).toEqual({
      count: settled.length,
      allocated: settled.reduce((sum, p) => sum + p.allocations.reduce((s, a) => s + a.amount, 0n), 0n).toString(),
      poolFees: settled.reduce((sum, p) => sum + p.poolFee, 0n).toString(),
      blockchainFees: settled.reduce((sum, p) => sum + p.blockchainFee, 0n).toString(),
    });
    // What format 1 recorded for the same books: every settled payout's allocations, so each closing grew with them.
    expect(JSON.stringify(snapshot).length).toBeLessThan(JSON.stringify(format1Closings.at(-1)!.snapshot).length);
  });

  it('given closings recorded in format 1, the audit verifies every one of them as before', async () => {
    const report = await auditLedger(format1Ledger);
    expect(report.problems).toEqual([]);
    expect(report.closings).toEqual({ closings: closings.length, verified: closings.length, lastClosedPosition: closings.at(-1)!.closedPosition });
  });

  it('a ledger restored from a format 1 closing is the one restored from the same closing in format 2', () => {
    for (const i of [0, Math.floor(closings.length / 2), closings.length - 1]) {
      const restored = restoreBooks(format1Closings[i]!.snapshot, format1Closings[i]!.closedPosition);
      expect(snapshotBooks(restored, closings[i]!.snapshot.pendingDetections, closings[i]!.snapshot.partials.keptAfter)).toEqual(closings[i]!.snapshot);
    }
  });

  it('an audit of the period after a format 1 closing finds what it finds after the same closing in format 2', async () => {
    const i = Math.floor(closings.length / 2);
    const fromFormat1 = await auditLedger(format1Ledger, { from: format1Closings[i]! });
    const fromFormat2 = await auditLedger(ledger, { from: closings[i]! });
    expect(fromFormat1.problems).toEqual([]);
    expect(fromFormat1.results).toEqual(fromFormat2.results);
    expect(fromFormat1.summary).toEqual(fromFormat2.summary);
  });

  it('names a format 1 closing that adds one mojo to a settled payout, as the sum of the settled payouts', async () => {
    const doctored = JSON.parse(JSON.stringify(format1Ledger)) as AuditEvent[];
    const index = 5;
    const target = doctored.filter((e) => e.type === 'BooksClosed')[index]!;
    const data = target.data as BooksClosed['data'];
    const payout = data.snapshot.payouts.find((p) => isSettled(p.status))!;
    payout.allocations[0]!.amount = String(BigInt(payout.allocations[0]!.amount) + 1n);
    data.digest = booksDigest(data.snapshot);
    const report = await auditLedger(doctored);
    expect(report.problems.map((p) => p.message)).toEqual([expect.stringContaining(`books closing ${index + 1} at position ${target.position}: its snapshot is not the books at position ${data.closedPosition}: snapshot.settled.allocated`)]);
    expect(report.closings).toMatchObject({ closings: closings.length, verified: closings.length - 1 });
  });

  it('names a format 1 closing whose settled payout holds no amount, and will not restore from it', async () => {
    const doctored = JSON.parse(JSON.stringify(format1Ledger)) as AuditEvent[];
    const target = doctored.filter((e) => e.type === 'BooksClosed')[2]!;
    const data = target.data as BooksClosed['data'];
    const payout = data.snapshot.payouts.find((p) => isSettled(p.status))!;
    payout.poolFee = 'five';
    data.digest = booksDigest(data.snapshot);
    const report = await auditLedger(doctored);
    expect(report.problems.map((p) => p.message)).toEqual([expect.stringContaining(`books closing 3 at position ${target.position}: its snapshot is not the books at position ${data.closedPosition}: books snapshot format 1: payout ${payout.payoutId} holds "five", not an amount in mojos`)]);
    expect(() => restoreBooks(data.snapshot, data.closedPosition)).toThrow(`payout ${payout.payoutId} holds "five"`);
  });

  it('refuses to restore a snapshot of a format this version does not read', () => {
    expect(() => restoreBooks({ ...closings[0]!.snapshot, format: 3 } as unknown as BooksSnapshot, closings[0]!.closedPosition)).toThrow('books snapshot format 3 is not one this version reads (1 to 2)');
  });
});
