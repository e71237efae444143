import { applyToPayoutLedger, createPayoutLedger, PAYOUT_LEDGER_EVENT_TYPES, type PayoutLedger } from '../payouts/payout-ledger';
import { upcastPayoutPlanned } from '../payouts/payout-planned.schema';
import type { PayoutPlanned, PayoutSchemeConfig } from '../payouts/payout.events';
import type { BooksClosed } from './books-closing.events';
import { closesBooks } from './books-closing.events';
import { partialsToKeep, restoreBooks, snapshotBooks, type BooksSnapshot } from './books-snapshot';

/** What a BooksTracker reads: the payout ledger's events and the reward detections. */
export const BOOKS_TRACKER_EVENT_TYPES = [...PAYOUT_LEDGER_EVENT_TYPES, 'RewardDetected'] as const;

/**
 * The books as a closer follows them: the payout ledger, the rewards detected and not absorbed yet, and the latest
 * plan's scheme (which partials a closing keeps). Starts at the ledger's first event or at a closing.
 */
export class BooksTracker {
  readonly ledger: PayoutLedger;
  private readonly detected = new Map<string, string>();
  private lastPlan: { scheme: PayoutSchemeConfig; plannedAt: number } | undefined;

  constructor(from?: BooksClosed['data']) {
    this.ledger = from === undefined ? createPayoutLedger() : restoreBooks(from.snapshot, from.closedPosition);
    for (const d of from?.snapshot.pendingDetections ?? []) this.detected.set(d.coinId, d.amount);
  }

  /** The next event in store order; true when it settled a payout (the books close right after it). */
  apply(event: { type: string; data: unknown }, position: string): boolean {
    if (event.type === 'RewardDetected') {
      const data = event.data as { coinId: string; amount: string };
      this.detected.set(data.coinId, data.amount);
    } else if (event.type === 'RewardAbsorbed') {
      this.detected.delete((event.data as { coinId: string }).coinId);
    } else if (event.type === 'PayoutPlanned') {
      const plan = upcastPayoutPlanned((event as PayoutPlanned).data);
      this.lastPlan = { scheme: plan.scheme, plannedAt: plan.plannedAt };
    }
    applyToPayoutLedger(this.ledger, event, position);
    return closesBooks(event.type);
  }

  /** The closing's snapshot of the books as they stand now. */
  snapshot(): BooksSnapshot {
    const pending = [...this.detected].map(([coinId, amount]) => ({ coinId, amount }));
    return snapshotBooks(this.ledger, pending, partialsToKeep(this.ledger, this.lastPlan));
  }
}
