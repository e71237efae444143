import { closedLedgerFixture } from '@pool/testing';
import { auditLedger, type AuditEvent, type AuditReport } from './payout.audit';
import { booksDigest } from '../books-closing/books-snapshot';
import type { BooksClosed } from '../books-closing/books-closing.events';
import type { ConfirmedPartial } from '../payouts/payout-ledger';
import type { PartialArchive } from '../payouts/confirmed-partials';

/** Index of the last item that `test` accepts (-1: none). */
function lastIndex<T>(items: readonly T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i]!)) return i;
  return -1;
}

/** The archive as a list in memory (poolctl's keeps it in a scratch SQLite file), counting what moves. */
class ListArchive implements PartialArchive {
  private readonly partials: ConfirmedPartial[] = [];
  filed = 0;
  takenBack = 0;
  largest = 0;

  get size(): number {
    return this.partials.length;
  }

  file(partials: readonly ConfirmedPartial[]): void {
    this.partials.push(...partials.map((p) => ({ ...p })));
    this.filed += partials.length;
    this.largest = Math.max(this.largest, this.partials.length);
  }

  find(proofHash: string): { position: string; reverted: boolean } | undefined {
    const found = this.partials[lastIndex(this.partials, (p) => p.proofHash === proofHash)];
    return found === undefined ? undefined : { position: found.position, reverted: found.reverted };
  }

  markReverted(proofHash: string): void {
    this.partials[lastIndex(this.partials, (p) => p.proofHash === proofHash)]!.reverted = true;
  }

  takeBack(count: number): ConfirmedPartial[] {
    const back = this.partials.splice(Math.max(0, this.partials.length - count));
    this.takenBack += back.length;
    return back;
  }
}

const ledger = closedLedgerFixture({ farmers: 40, payouts: 24, partialsPerPayout: 120, seed: 7 });
const clone = (events: readonly AuditEvent[]): AuditEvent[] => JSON.parse(JSON.stringify(events)) as AuditEvent[];
const confirmedPartials = (events: readonly AuditEvent[]): number => events.filter((e) => e.type === 'PartialConfirmed').length;

/** The report as compared: the partials the ledger still holds aside (the rest are in the archive). */
const comparable = (report: AuditReport): unknown => {
  const { ledger: books, ...rest } = report;
  const { partials, ...money } = books;
  return JSON.parse(JSON.stringify({ ...rest, money, partials: partials.length }, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)), (key, v: unknown) => (key === 'partials' ? undefined : v));
};

async function bothWays(events: readonly AuditEvent[]): Promise<{ whole: AuditReport; pruned: AuditReport; archive: ListArchive }> {
  const archive = new ListArchive();
  const whole = await auditLedger(events);
  const pruned = await auditLedger(events, { archive, archiveBatch: 64 });
  return { whole, pruned, archive };
}

describe('the audit with its partials pruned into an archive', () => {
  it('given an honest ledger, holds a window of the partials and reports what the audit holding them all reports', async () => {
    const { whole, pruned, archive } = await bothWays(ledger);
    expect(whole.ok).toBe(true);
    expect(comparable(pruned)).toEqual(comparable(whole));
    expect(archive.filed).toBeGreaterThan(confirmedPartials(ledger) / 2);
    // A closing right after a PROP plan keeps few partials; the PPLNS plan after it reaches further back.
    expect(archive.takenBack).toBeGreaterThan(0);
    expect(pruned.ledger.partials.length + archive.size).toBe(whole.ledger.partials.length);
    expect(pruned.ledger.partials.slice(0)).toEqual(whole.ledger.partials.slice(archive.size));
  });

  it('given a copied confirmation of a partial already filed, names it as the audit holding every partial does', async () => {
    const copied = clone(ledger);
    const confirm = copied.find((e) => e.type === 'PartialConfirmed')!;
    const late = lastIndex(copied, (e) => e.type === 'PartialConfirmed');
    copied.splice(late, 0, { ...confirm, id: 'copied', position: `${copied[late - 1]!.position}5` });
    const { whole, pruned, archive } = await bothWays(copied);
    expect(archive.find(String((confirm.data as { proofHash: string }).proofHash))).toBeDefined();
    expect(whole.problems.map((p) => p.message)).toEqual([expect.stringMatching(/^PartialConfirmed for proof .*: confirmed already at position/)]);
    expect(comparable(pruned)).toEqual(comparable(whole));
  });

  it('given a filed partial reverted twice, and a revert of a proof never confirmed, reports what the audit holding every partial does', async () => {
    const doctored = clone(ledger);
    const confirm = doctored.find((e) => e.type === 'PartialConfirmed')!;
    const late = lastIndex(doctored, (e) => e.type === 'PartialConfirmed');
    const revert = (proofHash: string, suffix: string): AuditEvent => ({ ...confirm, id: `revert-${suffix}`, type: 'PartialReverted', position: `${doctored[late - 1]!.position}${suffix}`, data: { ...(confirm.data as object), proofHash, wasConfirmed: true, reason: 'reorg' } });
    const proofHash = String((confirm.data as { proofHash: string }).proofHash);
    doctored.splice(late, 0, revert(proofHash, '1'), revert(proofHash, '2'), revert('ff'.repeat(32), '3'));
    const { whole, pruned } = await bothWays(doctored);
    expect(whole.ok).toBe(false);
    expect(comparable(pruned)).toEqual(comparable(whole));
  });

  it('given a doctored closing, reports what the audit holding every partial does', async () => {
    const doctored = clone(ledger);
    // It claims to list every partial since the ledger's start: the audit takes them all back to compare.
    const closings = doctored.filter((e) => e.type === 'BooksClosed').map((e) => e.data as BooksClosed['data']);
    const data = closings[lastIndex(closings, (d) => d.snapshot.partials.keptAfter !== null)]!;
    data.snapshot.partials.keptAfter = null;
    data.digest = booksDigest(data.snapshot);
    const { whole, pruned } = await bothWays(doctored);
    expect(whole.ok).toBe(false);
    expect(comparable(pruned)).toEqual(comparable(whole));
  });
});
