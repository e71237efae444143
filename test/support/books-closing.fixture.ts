import { booksClosingDecider, BooksTracker, BOOKS_CLOSINGS_STREAM, type AuditEvent, type BooksClosingState } from '@pool/domain';
import { syntheticLedger, type SyntheticLedgerOptions } from './synthetic-ledger';

const POSITION_WIDTH = 20;
const at = (n: number): string => String(n).padStart(POSITION_WIDTH, '0');

/**
 * A synthetic ledger (synthetic-ledger.ts) in memory, closed as the worker's closer closes it: after each settled payout
 * a BooksClosed with the books right after the settling event, recorded `closeLag` events later (appends go on while
 * the closer works). Every record carries position, stream, id and schema version, so the seals' encoding applies.
 */
export function closedLedgerFixture(options: SyntheticLedgerOptions & { closeLag?: number } = {}): AuditEvent[] {
  const lag = options.closeLag ?? 3;
  const records: AuditEvent[] = [];
  const tracker = new BooksTracker();
  let state: BooksClosingState = booksClosingDecider.initialState();
  let pending: { due: number; command: Parameters<typeof booksClosingDecider.decide>[0] }[] = [];
  let n = 0;
  const record = (stream: string, event: { type: string; data: unknown }): string => {
    const position = at(++n);
    records.push({ position, stream, id: `${stream}-${n}`, type: event.type, schemaVersion: 1, data: event.data });
    for (const due of pending.filter((p) => p.due === n)) {
      for (const closed of booksClosingDecider.decide(due.command, state)) {
        state = booksClosingDecider.evolve(state, closed);
        n++;
        records.push({ position: at(n), stream: BOOKS_CLOSINGS_STREAM, id: `closing-${closed.data.sequence}`, type: closed.type, schemaVersion: 1, data: JSON.parse(JSON.stringify(closed.data)) as unknown });
      }
    }
    pending = pending.filter((p) => p.due > n);
    return position;
  };
  for (const batch of syntheticLedger(options)) {
    for (const event of batch.events(n === 0 ? undefined : at(n))) {
      const position = record(batch.stream, event);
      if (tracker.apply(event, position)) {
        const payoutId = String((event.data as { payoutId: string }).payoutId);
        pending.push({ due: n + lag, command: { type: 'CloseBooks', closedPosition: position, payoutId, snapshot: tracker.snapshot(), now: 1 } });
      }
    }
  }
  return records;
}
