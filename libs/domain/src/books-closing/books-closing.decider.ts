import { type Decider } from '@pool/event-sourcing';
import { DomainError } from '../shared/domain-error';
import type { BooksClosed, BooksEvent } from './books-closing.events';
import { booksDigest, type BooksSnapshot } from './books-snapshot';

export interface CloseBooks {
  type: 'CloseBooks';
  /** Position of the event that settled the payout; the snapshot is the state right after it. */
  closedPosition: string;
  payoutId: string;
  snapshot: BooksSnapshot;
  now: number;
}

export type BooksClosingCommand = CloseBooks;

export interface BooksClosingState {
  /** The newest closing (without its snapshot: the stream is folded whole on a cold start), or null before the first. */
  last: { sequence: number; closedPosition: string } | null;
}

/**
 * The `books-closings` stream. A closing comes after the previous one: a closing at or before the newest closed
 * position records nothing (a retried closing, a second closer, or one that restarted behind the newest), so each
 * settlement closes the books once, in ledger order.
 */
export const booksClosingDecider: Decider<BooksClosingCommand, BooksEvent, BooksClosingState> = {
  initialState: () => ({ last: null }),

  decide(command, state) {
    const last = state.last;
    if (last !== null && command.closedPosition <= last.closedPosition) return [];
    if (command.payoutId === '') throw new DomainError('REQUEST_FAILED', 'a closing names the payout whose settlement closes the books');
    const closed: BooksClosed = {
      type: 'BooksClosed',
      data: {
        sequence: (last?.sequence ?? 0) + 1,
        previousPosition: last?.closedPosition ?? null,
        closedPosition: command.closedPosition,
        payoutId: command.payoutId,
        snapshot: command.snapshot,
        digest: booksDigest(command.snapshot),
        closedAt: command.now,
      },
    };
    return [closed];
  },

  evolve(_state, event) {
    return { last: { sequence: event.data.sequence, closedPosition: event.data.closedPosition } };
  },
};
