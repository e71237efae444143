import { closedLedgerFixture } from '@pool/testing';
import { auditLedger, type AuditEvent, type AuditReport } from './payout.audit';
import { auditSegment, planSegments, SegmentAuditor, type AuditSegment, type SegmentReport } from './period.audit';
import { auditBySegments, PartialHistoryWatch, type SegmentedAudit } from './parallel.audit';
import { booksDigest, snapshotBooks } from '../books-closing/books-snapshot';
import type { BooksClosed } from '../books-closing/books-closing.events';

const ledger = closedLedgerFixture({ farmers: 40, payouts: 24, partialsPerPayout: 120, seed: 7 });
const clone = (events: readonly AuditEvent[]): AuditEvent[] => JSON.parse(JSON.stringify(events)) as AuditEvent[];
const closingsOf = (events: readonly AuditEvent[]): { position: string; data: BooksClosed['data'] }[] =>
  events.filter((e) => e.type === 'BooksClosed').map((e) => ({ position: e.position, data: e.data as BooksClosed['data'] }));

/** Each segment audited on its own (as a thread would: its own reader, from its closing on). */
const reader = (events: readonly AuditEvent[]) => (after?: string): AuditEvent[] => events.filter((e) => after === undefined || e.position > after);
/** Each segment alone, as a thread audits it: with its records (the seals' digests), or without (the seals read here). */
const auditEach = (events: readonly AuditEvent[], records = true) => (all: readonly AuditSegment[]): Promise<SegmentReport>[] =>
  all.map((segment) => auditSegment(segment, reader(events)(segment.from?.closedPosition), { records }));

async function bySegments(events: readonly AuditEvent[], count: number, records = true): Promise<SegmentedAudit & { segments: AuditSegment[] }> {
  const segments = planSegments(closingsOf(events), count, events.at(-1)!.position);
  return { ...(await auditBySegments(segments, auditEach(events, records), reader(events))), segments };
}

/** The report as compared: the ledger object aside (a segment's holds the partials since its closing only). */
const comparable = (report: AuditReport): Omit<AuditReport, 'ledger'> & { books: unknown } => {
  const { ledger: books, ...rest } = report;
  return { ...rest, books: snapshotBooks(books, [], books.partialsKeptAfter ?? null).farmers };
};

describe('the full audit by segments between books closings', () => {
  it('cuts the ledger at closings spread over it, each segment starting from the closing that ends the one before', () => {
    const segments = planSegments(closingsOf(ledger), 4, ledger.at(-1)!.position);
    expect(segments).toHaveLength(4);
    expect(segments[0]).toEqual({ index: 0, through: segments[1]!.ownedAfter });
    expect(segments.slice(1).every((s, i) => s.from !== undefined && s.ownedAfter === segments[i]!.through)).toBe(true);
    expect(segments[3]!.through).toBeUndefined();
  });

  it('given an honest ledger, joins every segment into the report of the audit in order', async () => {
    const sequential = await auditLedger(ledger);
    expect(sequential.ok).toBe(true);
    // Closings right after a PROP plan keep too few partials for the PPLNS window that follows: those segments are
    // audited again from an earlier closing; nothing falls back to the audit in order.
    let again = 0;
    for (const count of [2, 3, 5, 8]) {
      const audit = await bySegments(ledger, count, count !== 3);
      expect(comparable(audit.report)).toEqual(comparable(sequential));
      expect(audit.segments.length).toBe(count);
      expect(audit.inOrderFrom).toBeNull();
      expect(audit.joined + (audit.again > 0 ? 1 : 0)).toBeGreaterThan(count / 2);
      again += audit.again;
    }
    expect(again).toBeGreaterThan(0);
  });

  it('given a doctored closing, gives the problems and results of the audit in order, in its order', async () => {
    const doctored = clone(ledger);
    const target = doctored.filter((e) => e.type === 'BooksClosed')[14]!;
    const data = target.data as BooksClosed['data'];
    const farmer = data.snapshot.farmers.find((f) => f.carried !== '0') ?? data.snapshot.farmers[0]!;
    farmer.carried = String(BigInt(farmer.carried) + 1n);
    data.digest = booksDigest(data.snapshot);
    const sequential = await auditLedger(doctored);
    expect(sequential.ok).toBe(false);
    expect(sequential.problems.map((p) => p.position)).toContain(target.position);
    for (const count of [3, 6]) {
      const { report, inOrderFrom, segments } = await bySegments(doctored, count, count === 3);
      expect(comparable(report)).toEqual(comparable(sequential));
      // From the segment that ends on the doctored closing (its books are not the ones the next would start from).
      const owner = segments.findIndex((s) => s.through === undefined || s.through >= target.position);
      expect(inOrderFrom).toBe(owner);
    }
  });

  it('given a copied confirmation of a partial older than the last closing keeps, names it as the audit in order does', async () => {
    // After the last closings, which keep no partial: no closing follows to disagree with the segment's books, and the
    // segment cannot see the first confirmation; only the partials' history read on the main thread tells.
    const copied = clone(ledger);
    const confirm = copied.find((e) => e.type === 'PartialConfirmed')!;
    const closings = closingsOf(copied);
    const late = copied.findIndex((e) => e.type === 'PartialConfirmed' && e.position > closings.at(-1)!.position);
    copied.splice(late, 0, { ...confirm, id: 'copied', position: `${copied[late - 1]!.position}5` });
    const sequential = await auditLedger(copied);
    expect(sequential.problems.map((p) => p.message)).toEqual([expect.stringMatching(/^PartialConfirmed for proof .*: confirmed already/)]);
    const start = closings.at(-2)!;
    expect(start.data.snapshot.partials.confirmed).toEqual([]);
    const segments: AuditSegment[] = [
      { index: 0, through: start.position },
      { index: 1, from: start.data, ownedAfter: start.position },
    ];
    const alone = new SegmentAuditor(segments[1]!);
    for (const event of copied) alone.push(event);
    expect(alone.finish().problems).toEqual([]);
    const watch = new PartialHistoryWatch(segments);
    for (const event of copied) watch.push(event);
    expect([...watch.suspects]).toEqual([1]);
    const { report, joined, inOrderFrom } = await auditBySegments(segments, auditEach(copied), reader(copied));
    expect({ joined, inOrderFrom }).toEqual({ joined: 1, inOrderFrom: 1 });
    expect(comparable(report)).toEqual(comparable(sequential));
  });
});
