import type { BooksClosed } from '../books-closing/books-closing.events';
import { booksDigest, firstSnapshotDifference, snapshotBooks, upcastBooksSnapshot, type BooksSnapshot } from '../books-closing/books-snapshot';
import type { PayoutLedger } from '../payouts/payout-ledger';

export interface ClosingAuditSummary {
  /** BooksClosed events read, and how many equal the books recomputed at their closed position. */
  closings: number;
  verified: number;
  /** The newest closing's closed position (where a period audit can start). */
  lastClosedPosition: string | null;
}

interface Problem {
  position: string | undefined;
  message: string;
}

/**
 * The part of a recorded snapshot an audit started from an earlier closing can recompute: it holds no partial older
 * than that closing kept, so the ones the later closing keeps from before are left to the full audit.
 */
function checkable(recorded: BooksSnapshot, heldAfter: string | undefined): BooksSnapshot {
  const keptAfter = recorded.partials?.keptAfter ?? null;
  if (heldAfter === undefined || (keptAfter !== null && keptAfter >= heldAfter) || !Array.isArray(recorded.partials?.confirmed)) return recorded;
  return { ...recorded, partials: { keptAfter: heldAfter, confirmed: recorded.partials.confirmed.filter((p) => p.position > heldAfter) } };
}

/**
 * The audit's side of the books closings: each BooksClosed follows the one before it, closes at an event that settled
 * its payout, and records the snapshot (and its digest) of exactly the books the audit recomputed there. A closing
 * that lies about a balance is named with the first field that differs.
 */
export class ClosingChecker {
  private last: { sequence: number; closedPosition: string } | null;
  private seen = 0;
  private verified = 0;
  /** Payout settled at each position (PayoutConfirmed, PayoutResolved): where a closing may close. */
  private readonly settlements = new Map<string, string>();

  /** The closing a period audit starts from: taken as given, never checked against itself. */
  private readonly from: string | undefined;

  constructor(from?: BooksClosed['data']) {
    this.last = from === undefined ? null : { sequence: from.sequence, closedPosition: from.closedPosition };
    this.from = from?.closedPosition;
  }

  settled(position: string, payoutId: string | undefined): void {
    if (payoutId !== undefined) this.settlements.set(position, payoutId);
  }

  /** `ledger` stands at the closing's closedPosition (the caller folded through it); returns what is wrong. */
  check(position: string, data: Partial<BooksClosed['data']> | undefined, ledger: PayoutLedger, detections: { coinId: string; amount: string }[]): Problem[] {
    const problems: Problem[] = [];
    if (this.from !== undefined && data?.closedPosition === this.from) return problems;
    this.seen++;
    const problem = (message: string): void => void problems.push({ position, message: `books closing ${String(data?.sequence)} at position ${position}: ${message}` });
    const expected = (this.last?.sequence ?? 0) + 1;
    if (data?.sequence !== expected) problem(`expected closing ${expected} here (a closing was removed, copied or renumbered)`);
    if ((data?.previousPosition ?? null) !== (this.last?.closedPosition ?? null)) {
      problem(`follows a closing at ${data?.previousPosition ?? 'nothing'}, but the closing before it here closed at ${this.last?.closedPosition ?? 'nothing'}`);
    }
    const closed = data?.closedPosition;
    if (typeof closed === 'string') this.last = { sequence: Number(data?.sequence), closedPosition: closed };
    if (typeof closed !== 'string' || !(closed < position)) {
      problem(`closes at position ${String(closed)}, which is not before the closing`);
      return problems;
    }
    if (this.settlements.get(closed) !== data?.payoutId) problem(`closes at position ${closed}, where no settlement of ${String(data?.payoutId)} was recorded`);
    if (ledger.position !== undefined && ledger.position > closed) {
      problem(`closes at position ${closed}, further back than this audit holds events (maxPlanLag): cannot recompute those books`);
      return problems;
    }
    const recorded = data?.snapshot;
    if (recorded === undefined || recorded === null) {
      problem('records no snapshot');
      return problems;
    }
    const keptAfter = typeof recorded.partials?.keptAfter === 'string' ? recorded.partials.keptAfter : null;
    const recomputed = snapshotBooks(ledger, detections, keptAfter);
    let difference: string | null;
    try {
      difference = firstSnapshotDifference(recomputed, checkable(upcastBooksSnapshot(recorded), ledger.partialsKeptAfter));
    } catch (error) {
      difference = (error as Error).message;
    }
    if (difference !== null) problem(`its snapshot is not the books at position ${closed}: ${difference}`);
    if (data?.digest !== booksDigest(recorded)) problem(`its digest ${String(data?.digest)} is not its snapshot's (${booksDigest(recorded)})`);
    if (problems.length === 0) this.verified++;
    return problems;
  }

  counts(): { closings: number; verified: number; lastClosedPosition: string | null } {
    return { closings: this.seen, verified: this.verified, lastClosedPosition: this.last?.closedPosition ?? null };
  }

  /** Undefined when no closing was read (a ledger from before closings): nothing to say. */
  summary(): ClosingAuditSummary | undefined {
    if (this.seen === 0) return undefined;
    return { closings: this.seen, verified: this.verified, lastClosedPosition: this.last?.closedPosition ?? null };
  }
}
