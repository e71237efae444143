import type { BooksClosed } from '../books-closing/books-closing.events';
import { snapshotBooks, type BooksSnapshot } from '../books-closing/books-snapshot';
import type { LedgerSealed } from '../ledger-seals/ledger-seal.events';
import { recordDigest } from '../ledger-seals/ledger-encoding';
import {
  AUDIT_EVENT_TYPES,
  forEachAuditEvent,
  PayoutAuditor,
  type AuditInput,
  type AuditEvent,
  type AuditOptions,
  type AuditProblem,
  type AuditResolution,
  type AuditSummary,
  type PayoutAuditResult,
} from './payout.audit';

/**
 * The full audit in parallel (README, "For auditors"): the ledger cut at books closings into segments, each audited
 * alone from the closing it starts at (this file), then joined into the report the audit in order gives
 * (parallel.audit.ts). Both are pure; the threads are poolctl's.
 */

const AUDITED: ReadonlySet<string> = new Set(AUDIT_EVENT_TYPES);

export interface AuditSegment {
  index: number;
  /** The closing it starts from: undefined for the first segment (the ledger's first event). */
  from?: BooksClosed['data'];
  /**
   * Store position of that closing's own BooksClosed event. The events up to it belong to the segment before (they are
   * replayed here, for the state, and not reported); the ones after it are this segment's.
   */
  ownedAfter?: string;
  /** Store position of the BooksClosed that ends it (included); undefined: to the ledger's end. */
  through?: string;
}

export interface SegmentReport {
  index: number;
  results: PayoutAuditResult[];
  problems: AuditProblem[];
  resolutions: AuditResolution[];
  /** Money events of its own. */
  events: number;
  closings: { closings: number; verified: number; lastClosedPosition: string | null };
  historyNeeded: { position: string; reason: string }[];
  /** The books where it ends (the last segment's are the ledger's). */
  summary: AuditSummary;
  /** Its own events as the seals and the partials' watch read them, when asked for (SegmentAuditor `records`). */
  records?: SegmentRecords;
  /** The last segment's ledger as it ends (the report's `ledger`), as a snapshot: a report crosses threads. */
  end?: { snapshot: BooksSnapshot; position: string | undefined };
}

/**
 * A segment's own events of every type, for the main thread: what names each (position, type, stream, id) and its
 * digest (the expensive part of the seals: each event's canonical encoding hashed), so the seals' chain, which runs
 * in one order, costs the main thread one short hash per event; the seals' data; the partials' confirmations and
 * reverts (PartialHistoryWatch).
 */
export interface SegmentRecords {
  positions: string[];
  /** JSON of [type, stream, id, type, …]: one string crosses threads faster than three lists of them. */
  names: string;
  /** 32 bytes per event, in order. */
  digests: Uint8Array;
  seals: { index: number; data: unknown }[];
  partials: { position: string; type: string; proofHash: string; wasConfirmed: boolean }[];
}

/** One segment's audit: push its events in store order (from its closing's closedPosition on), then finish(). */
export class SegmentAuditor {
  private readonly auditor: PayoutAuditor;
  private cut: { results: number; problems: number; resolutions: number; progress: ReturnType<PayoutAuditor['progress']> } | undefined;
  private readonly records: (Omit<SegmentRecords, 'digests' | 'names'> & { names: string[]; digests: Buffer[] }) | undefined;

  /** `records`: keep its own events' records (push it every type then). */
  constructor(
    private readonly segment: AuditSegment,
    options: Pick<AuditOptions, 'maxPlanLag'> & { records?: boolean } = {},
  ) {
    this.auditor = new PayoutAuditor({ ...(options.maxPlanLag === undefined ? {} : { maxPlanLag: options.maxPlanLag }), ...(segment.from === undefined ? {} : { from: segment.from }) });
    if (options.records === true) this.records = { positions: [], names: [], digests: [], seals: [], partials: [] };
    if (segment.ownedAfter === undefined) this.markCut();
  }

  push(event: AuditEvent): void {
    if (this.segment.from !== undefined && event.position <= this.segment.from.closedPosition) return;
    if (this.segment.through !== undefined && event.position > this.segment.through) return;
    if (this.cut === undefined && event.position > this.segment.ownedAfter!) this.markCut();
    if (this.records !== undefined && this.cut !== undefined) this.record(event);
    if (event.type === 'LedgerSealed') this.auditor.noteSeal((event as LedgerSealed).data);
    if (AUDITED.has(event.type)) this.auditor.push(event);
  }

  finish(): SegmentReport {
    if (this.cut === undefined) this.markCut();
    const cut = this.cut!;
    const report = this.auditor.finish();
    const now = this.auditor.progress();
    const closings = now.closings - cut.progress.closings;
    const ledger = report.ledger;
    return {
      index: this.segment.index,
      results: report.results.slice(cut.results),
      problems: report.problems.slice(cut.problems),
      resolutions: (report.resolutions ?? []).slice(cut.resolutions),
      events: now.events - cut.progress.events,
      closings: { closings, verified: now.verified - cut.progress.verified, lastClosedPosition: closings > 0 ? now.lastClosedPosition : null },
      historyNeeded: this.auditor.historyNeeded,
      summary: report.summary,
      ...(this.records === undefined ? {} : { records: { ...this.records, names: JSON.stringify(this.records.names), digests: new Uint8Array(Buffer.concat(this.records.digests)) } }),
      ...(this.segment.through === undefined ? { end: { snapshot: snapshotBooks(ledger, [], ledger.partialsKeptAfter ?? null), position: ledger.position } } : {}),
    };
  }

  private record(event: AuditEvent): void {
    const r = this.records!;
    const record = { position: event.position, stream: event.stream ?? '', id: event.id ?? '', type: event.type, schemaVersion: event.schemaVersion ?? 1, data: event.data };
    if (event.type === 'LedgerSealed') r.seals.push({ index: r.positions.length, data: event.data });
    if (event.type === 'PartialConfirmed' || event.type === 'PartialReverted') {
      const data = event.data as { proofHash?: unknown; wasConfirmed?: unknown } | undefined;
      r.partials.push({ position: event.position, type: event.type, proofHash: String(data?.proofHash), wasConfirmed: data?.wasConfirmed === true });
    }
    r.positions.push(record.position);
    r.names.push(record.type, record.stream, record.id);
    r.digests.push(recordDigest(record));
  }

  private markCut(): void {
    const a = this.auditor;
    this.cut = { results: a.results.length, problems: a.problems.length, resolutions: a.resolutions.length, progress: a.progress() };
  }
}

/**
 * About `count` segments, cut at books closings spread evenly over the store (by position when positions are plain
 * numbers, as SQLite's are; else by closing). A closing that cannot start a segment (no snapshot, a closed position
 * not before itself or not after the one before) is left inside one, where the audit checks it like any other.
 */
export function planSegments(closings: readonly { position: string; data: Partial<BooksClosed['data']> }[], count: number, head: string | undefined): AuditSegment[] {
  const usable: { position: string; data: BooksClosed['data'] }[] = [];
  for (const c of closings) {
    const d = c.data;
    const previous = usable.at(-1);
    if (typeof d.closedPosition !== 'string' || typeof d.snapshot !== 'object' || d.snapshot === null || !(d.closedPosition < c.position)) continue;
    if (previous !== undefined && !(d.closedPosition > previous.data.closedPosition)) continue;
    usable.push(c as { position: string; data: BooksClosed['data'] });
  }
  const numeric = head !== undefined && /^\d+$/.test(head) && usable.every((c) => /^\d+$/.test(c.position));
  const chosen: typeof usable = [];
  for (let i = 1; i < count && usable.length > 0; i++) {
    const pick = numeric
      ? usable.find((c) => BigInt(c.position) * BigInt(count) >= BigInt(head) * BigInt(i))
      : usable[Math.min(usable.length - 1, Math.floor((i * usable.length) / count))];
    if (pick !== undefined && pick !== chosen.at(-1)) chosen.push(pick);
  }
  const segments: AuditSegment[] = [];
  for (let i = 0; i <= chosen.length; i++) {
    const start = chosen[i - 1];
    const end = chosen[i];
    segments.push({
      index: i,
      ...(start === undefined ? {} : { from: start.data, ownedAfter: start.position }),
      ...(end === undefined ? {} : { through: end.position }),
    });
  }
  return segments;
}

/** Audits `segment` alone from `input` (its events in store order, from its closing's closedPosition on, or more). */
export async function auditSegment(segment: AuditSegment, input: AuditInput, options: Pick<AuditOptions, 'maxPlanLag'> & { records?: boolean } = {}): Promise<SegmentReport> {
  const auditor = new SegmentAuditor(segment, options);
  const through = segment.through;
  const past = new Error('past the segment');
  try {
    await forEachAuditEvent(input, (event) => {
      if (through !== undefined && event.position > through) throw past;
      auditor.push(event);
    });
  } catch (error) {
    if (error !== past) throw error;
  }
  return auditor.finish();
}

