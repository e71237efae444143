import { restoreBooks } from '../books-closing/books-snapshot';
import { createPayoutLedger } from '../payouts/payout-ledger';
import { SealVerifier, type SealVerifierOptions } from '../ledger-seals/seal-verifier';
import { forEachAuditEvent, type AuditEvent, type AuditInput, type AuditReport } from './payout.audit';
import { auditSegment, SegmentAuditor, type AuditSegment, type SegmentRecords, type SegmentReport } from './period.audit';

/**
 * The full audit in parallel, its join (README, "For auditors"): segments audited alone (period.audit.ts) and the
 * seals checked here, in one order, from what the segments hashed; then the segments' reports joined into the report
 * the audit in order gives, or that audit run from where a segment cannot be joined.
 */

/**
 * Partials whose history a segment cannot see: a confirmation of a proof confirmed before (the audit in order names
 * it; a segment whose closing no longer keeps the first one would count it), and a reverted confirmation that the
 * ledger never recorded or reverted already (the audit in order ignores it and names the first; a segment that cannot
 * see the confirmation takes it for a paid one and reverts it). Watched over the whole ledger on the main thread,
 * from the segments' records (or the ledger read there): one entry per confirmed proof.
 */
export class PartialHistoryWatch {
  /** Proof hash: reverted since its confirmation. */
  private readonly confirmed = new Map<string, boolean>();
  private readonly flagged = new Set<number>();
  private segment = 0;

  constructor(private readonly segments: readonly AuditSegment[]) {}

  push(event: AuditEvent): void {
    if (event.type !== 'PartialConfirmed' && event.type !== 'PartialReverted') return;
    while (this.segments[this.segment]?.through !== undefined && event.position > this.segments[this.segment]!.through!) this.segment++;
    const data = event.data as { proofHash?: unknown; wasConfirmed?: unknown } | undefined;
    const proofHash = String(data?.proofHash);
    const reverted = this.confirmed.get(proofHash);
    if (event.type === 'PartialConfirmed') {
      if (reverted !== undefined) this.flagged.add(this.segment);
      else this.confirmed.set(proofHash, false);
    } else if (data?.wasConfirmed === true) {
      if (reverted !== false) this.flagged.add(this.segment);
      else this.confirmed.set(proofHash, true);
    }
  }

  get suspects(): ReadonlySet<number> {
    return this.flagged;
  }
}

/** The segments' reports (in order, covering the ledger) and the seals as one report, as auditLedger gives it. */
export function joinSegmentReports(reports: readonly SegmentReport[], seals: SealVerifier): AuditReport {
  const last = reports.at(-1)!;
  const results = reports.flatMap((r) => r.results);
  const problems = reports.flatMap((r) => r.problems);
  const resolutions = reports.flatMap((r) => r.resolutions);
  const mismatches = results.filter((r) => r.status === 'mismatch').length;
  const seen = reports.reduce((n, r) => n + r.closings.closings, 0);
  const end = last.end;
  const report: AuditReport = {
    ok: mismatches === 0 && problems.length === 0,
    results,
    problems,
    ...(resolutions.length > 0 ? { resolutions } : {}),
    summary: { ...last.summary, events: reports.reduce((n, r) => n + r.events, 0), payouts: results.length, mismatches },
    // The books as the last segment ends them (its confirmed partials since the closing it started from).
    ledger: end?.position === undefined ? createPayoutLedger() : restoreBooks(end.snapshot, end.position),
    ...(seen === 0
      ? {}
      : {
          closings: {
            closings: seen,
            verified: reports.reduce((n, r) => n + r.closings.verified, 0),
            lastClosedPosition: reports.filter((r) => r.closings.closings > 0).at(-1)!.closings.lastClosedPosition,
          },
        }),
  };
  const sealed = seals.summary();
  if (sealed === undefined) return report;
  report.problems.push(...seals.problems);
  return { ...report, ok: report.ok && seals.problems.length === 0, seals: sealed };
}

/**
 * What a segment's report is worth. 'clean': it found nothing and needed nothing from before its closing, so the audit
 * in order finds nothing there either, given it starts from the books the audit in order holds. 'history': its only
 * findings are what its closing does not hold (a PPLNS window reaching further back): audit it from an earlier one.
 * 'finding': something is wrong, or cannot be told without the whole history (a partial the watch flagged): the audit
 * in order words it.
 */
function verdict(report: SegmentReport | undefined, suspect: boolean): 'clean' | 'history' | 'finding' {
  if (report === undefined || suspect || report.problems.length > 0) return 'finding';
  const wanting = new Set(report.historyNeeded.map((h) => h.position));
  if (report.results.some((r) => r.status === 'mismatch' && !wanting.has(r.position))) return 'finding';
  return report.historyNeeded.length === 0 ? 'clean' : 'history';
}

export interface SegmentedAudit {
  report: AuditReport;
  /** Segments whose own report was joined; audited again from an earlier closing; where the audit in order took over. */
  joined: number;
  again: number;
  inOrderFrom: number | null;
}

/** A segment's records into the seals' chain and the partials' watch, in order. */
function replay(r: SegmentRecords, seals: SealVerifier, watch: PartialHistoryWatch): void {
  let seal = 0;
  let partial = 0;
  const names = JSON.parse(r.names) as string[];
  for (let i = 0; i < r.positions.length; i++) {
    const sealed = r.seals[seal]?.index === i ? r.seals[seal++]!.data : undefined;
    const record = { position: r.positions[i]!, type: names[3 * i]!, stream: names[3 * i + 1]!, id: names[3 * i + 2]!, data: sealed };
    seals.pushDigested(record, Buffer.from(r.digests.buffer, r.digests.byteOffset + i * 32, 32));
    while (r.partials[partial]?.position === record.position) {
      const p = r.partials[partial++]!;
      watch.push({ position: p.position, type: p.type, data: { proofHash: p.proofHash, wasConfirmed: p.wasConfirmed } });
    }
  }
}

/**
 * The full audit with its segments audited elsewhere (`audit`: threads, in poolctl), the seals' chain and the partials'
 * history run here over the segments' records (or over the ledger read here, when a segment has none); then the
 * segments joined in order. A segment joins when it
 * starts from the books the audit in order holds there (the segment before ended on its closing and found nothing)
 * and is clean; one that only lacked history is audited again here from earlier closings; from the first segment with
 * a finding, the rest is audited in order from the ledger's first event, reported from that segment on. So the report
 * is the audit in order's, whatever the ledger holds. `read(after)`: the ledger's events after a position (all: none).
 */
export async function auditBySegments(
  segments: readonly AuditSegment[],
  audit: (segments: readonly AuditSegment[]) => Promise<SegmentReport | undefined>[],
  read: (after?: string) => AuditInput,
  options: { seals?: SealVerifierOptions; maxPlanLag?: number } = {},
): Promise<SegmentedAudit> {
  const pending = audit(segments);
  let seals = new SealVerifier(options.seals);
  let watch = new PartialHistoryWatch(segments);
  // Each segment's records as soon as it and those before it are in: the chain runs here while the threads go on.
  let replayed = 0;
  for (; replayed < pending.length; replayed++) {
    const records = (await pending[replayed])?.records;
    if (records === undefined) break;
    replay(records, seals, watch);
  }
  const reports = await Promise.all(pending);
  if (replayed < pending.length) {
    // A segment came back without its records (its thread failed, or was not asked): the seals read the ledger here.
    seals = new SealVerifier(options.seals);
    watch = new PartialHistoryWatch(segments);
    await forEachAuditEvent(read(), (event) => {
      seals.push({ position: event.position, stream: event.stream ?? '', id: event.id ?? '', type: event.type, schemaVersion: event.schemaVersion ?? 1, data: event.data });
      watch.push(event);
    });
  }
  const kept: SegmentReport[] = [];
  let again = 0;
  let rest: SegmentAuditor | undefined;
  for (const [i, segment] of segments.entries()) {
    const trusted = i === 0 || kept[i - 1]!.closings.lastClosedPosition === segment.from?.closedPosition;
    let report = reports[i];
    let worth = trusted ? verdict(report, watch.suspects.has(i)) : 'finding';
    for (let k = i - 1; worth === 'history' && k >= 0; k--) {
      const from = segments[k]!.from;
      again++;
      const earlier: AuditSegment = { index: i, ...(from === undefined ? {} : { from }), ...(segment.ownedAfter === undefined ? {} : { ownedAfter: segment.ownedAfter }), ...(segment.through === undefined ? {} : { through: segment.through }) };
      report = await auditSegment(earlier, read(from?.closedPosition), options);
      worth = verdict(report, false);
    }
    if (worth === 'clean') {
      kept.push(report!);
      continue;
    }
    const inOrder = new SegmentAuditor({ index: i, ...(segment.ownedAfter === undefined ? {} : { ownedAfter: segment.ownedAfter }) }, options);
    await forEachAuditEvent(read(), (event) => inOrder.push(event));
    kept.push(inOrder.finish());
    rest = inOrder;
    break;
  }
  const joined = kept.filter((r, i) => r === reports[i]).length;
  return { report: joinSegmentReports(kept, seals), joined, again, inOrderFrom: rest === undefined ? null : kept.length - 1 };
}
