import { closedLedgerFixture } from '@pool/testing';
import { auditLedger, type AuditEvent } from './payout.audit';
import { applyToPayoutLedger, createPayoutLedger } from '../payouts/payout-ledger';
import { booksDigest, restoreBooks, snapshotBooks } from '../books-closing/books-snapshot';
import type { BooksClosed } from '../books-closing/books-closing.events';

const ledger = closedLedgerFixture({ farmers: 40, payouts: 24, partialsPerPayout: 120, seed: 7 });
const closings = ledger.filter((e) => e.type === 'BooksClosed').map((e) => e.data as BooksClosed['data']);
const clone = (events: readonly AuditEvent[]): AuditEvent[] => JSON.parse(JSON.stringify(events)) as AuditEvent[];

describe('closing the books', () => {
  it('given a closed ledger, the full audit passes and verifies every closing against the books it recomputes', async () => {
    expect(closings.length).toBeGreaterThan(10);
    const report = await auditLedger(ledger);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.closings).toEqual({ closings: closings.length, verified: closings.length, lastClosedPosition: closings.at(-1)!.closedPosition });
  });

  it('a fold started from any closing ends where the fold from the first event ends', () => {
    const full = createPayoutLedger();
    for (const e of ledger) applyToPayoutLedger(full, e, e.position);
    for (const closing of [closings[0]!, closings[Math.floor(closings.length / 2)]!, closings.at(-1)!]) {
      const restored = restoreBooks(closing.snapshot, closing.closedPosition);
      for (const e of ledger) if (e.position > closing.closedPosition) applyToPayoutLedger(restored, e, e.position);
      // Compared with the restored ledger's own choice of kept partials: the full one keeps every confirm.
      expect(snapshotBooks(restored, [], restored.partialsKeptAfter ?? null)).toEqual(snapshotBooks(full, [], restored.partialsKeptAfter ?? null));
    }
  });

  it('given a closing, the audit of the period after it alone recomputes the same payouts as the full audit', async () => {
    const full = await auditLedger(ledger);
    // Closings after PPLNS plans keep the partials the window reaches (here: all of this small ledger's).
    for (const from of [closings[8]!, closings.at(-1)!]) {
      const period = await auditLedger(ledger, { from });
      expect(period.problems).toEqual([]);
      expect(period.ok).toBe(true);
      expect(period.results).toEqual(full.results.filter((r) => r.position > from.closedPosition));
      expect(period.summary).toEqual({ ...full.summary, events: period.summary.events, payouts: period.results.length, mismatches: 0 });
    }
  });

  it('given a closing after a PROP plan, a later PPLNS plan whose window reaches before its kept partials is named, not guessed', async () => {
    const period = await auditLedger(ledger, { from: closings[0]! });
    const pplns = period.results.find((r) => r.status === 'mismatch')!;
    expect(pplns.difference).toBe(`its PPLNS window reaches before position ${closings[0]!.snapshot.partials.keptAfter}, the oldest partial the closing this audit starts from keeps: audit from an earlier closing`);
    expect(period.results.filter((r) => r.sequence < pplns.sequence).every((r) => r.status === 'match')).toBe(true);
  });

  it('names a doctored closing (one mojo more carried for one farmer), and a closing whose digest was changed', async () => {
    const doctored = clone(ledger);
    const target = doctored.filter((e) => e.type === 'BooksClosed')[3]!;
    const farmer = (target.data as BooksClosed['data']).snapshot.farmers.find((f) => f.carried !== '0') ?? (target.data as BooksClosed['data']).snapshot.farmers[0]!;
    const index = (target.data as BooksClosed['data']).snapshot.farmers.indexOf(farmer);
    farmer.carried = String(BigInt(farmer.carried) + 1n);
    // A careful liar names the doctored snapshot by its own digest.
    (target.data as BooksClosed['data']).digest = booksDigest((target.data as BooksClosed['data']).snapshot);
    const report = await auditLedger(doctored);
    expect(report.ok).toBe(false);
    const closingProblems = report.problems.filter((p) => p.message.startsWith('books closing'));
    expect(closingProblems).toHaveLength(1);
    expect(closingProblems[0]!.position).toBe(target.position);
    expect(closingProblems[0]!.message).toContain(`books closing 4 at position ${target.position}: its snapshot is not the books at position`);
    expect(closingProblems[0]!.message).toContain(`snapshot.farmers[${index}].carried`);
    expect(report.closings).toMatchObject({ closings: closings.length, verified: closings.length - 1 });

    const digest = clone(ledger);
    (digest.filter((e) => e.type === 'BooksClosed')[1]!.data as BooksClosed['data']).digest = 'ab'.repeat(32);
    expect((await auditLedger(digest)).problems.map((p) => p.message)).toEqual([expect.stringMatching(/^books closing 2 at .*: its digest a?b.* is not its snapshot's/)]);
  });

  it('names a closing removed from the ledger, and leaves a ledger without closings as the audit always saw it', async () => {
    const removed = ledger.filter((e) => !(e.type === 'BooksClosed' && (e.data as BooksClosed['data']).sequence === 3));
    expect((await auditLedger(removed)).problems.map((p) => p.message)).toEqual(expect.arrayContaining([expect.stringMatching(/books closing 4 .*expected closing 3 here/)]));
    const unclosed = await auditLedger(ledger.filter((e) => e.type !== 'BooksClosed'));
    expect(unclosed.ok).toBe(true);
    expect('closings' in unclosed).toBe(false);
  });
});
