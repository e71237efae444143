import type { RecordedBooksSnapshot } from './books-snapshot';

/**
 * The books are closed at `closedPosition`: the event there settled a payout (PayoutConfirmed, or PayoutResolved by
 * an operator), and `snapshot` is the money state of the ledger right after it, as the one payout fold holds it
 * (every farmer's carried balance and window state, unpaid confirms, payouts, rewards, returned funds, the pause
 * switches, and the tail of confirmed partials a PPLNS window can still reach). `digest` is SHA-256 over the
 * snapshot's canonical JSON (docs/ledger-encoding.md), so a reader can name a closing by it.
 *
 * Recorded in stream `books-closings` by the worker's closer after the event it closes at (appends never wait for it);
 * the sealer seals through it. A fold can start from the newest closing instead of the ledger's first event, and the
 * audit checks each closing against the state it recomputes at `closedPosition`.
 */
export interface BooksClosed {
  type: 'BooksClosed';
  data: {
    /** 1 for the ledger's first closing, then one more each. */
    sequence: number;
    /** The previous closing's closedPosition; null for the first. */
    previousPosition: string | null;
    /** Store position of the settling event; the snapshot is the state after it. */
    closedPosition: string;
    /** The payout whose settlement closed the books. */
    payoutId: string;
    /** In the format of the version that closed the books (upcastBooksSnapshot reads them all). */
    snapshot: RecordedBooksSnapshot;
    /** SHA-256 (hex) of canonicalLedgerJson(snapshot). */
    digest: string;
    /** Unix seconds (the worker's clock). */
    closedAt: number;
  };
}

export type BooksEvent = BooksClosed;

/** One stream for every closing, so each is appended at the revision after the one it follows. */
export const BOOKS_CLOSINGS_STREAM = 'books-closings';

/** The events after which the books are closed: a payout settled on chain, or by an operator. */
export const BOOKS_CLOSING_EVENT_TYPES = ['PayoutConfirmed', 'PayoutResolved'] as const;
const CLOSING_TYPES: ReadonlySet<string> = new Set(BOOKS_CLOSING_EVENT_TYPES);

export const closesBooks = (type: string): boolean => CLOSING_TYPES.has(type);
