import { applyToPayoutLedger, createPayoutLedger } from '../payouts/payout-ledger';
import type { PayoutEvent } from '../payouts/payout.events';
import type { PartialEvent } from '../partials/partial.events';
import { forEachAuditEvent, type AuditEvent, type AuditInput } from './payout.audit';

export type StatementKind = 'credit' | 'reversal' | 'reversal_after_payout' | 'allocation' | 'carried' | 'payment' | 'returned';

export interface StatementLine {
  position: string;
  event: string;
  kind: StatementKind;
  /** Change in points / mojos this line records (signed decimal strings). */
  points: string;
  mojos: string;
  /** Balances after the line: PROP points not yet paid, mojos carried, allocated but not confirmed, paid. */
  pointsBalance: string;
  carried: string;
  inFlight: string;
  paid: string;
  payoutId?: string;
}

export interface FarmerStatement {
  launcherId: string;
  lines: StatementLine[];
  totals: { creditedPoints: bigint; revertedPoints: bigint; allocated: bigint; paid: bigint; carried: bigint; inFlight: bigint };
}

/**
 * One farmer's history from the ledger alone: every confirmed partial (credit), revert (reversal, or a
 * reversal after the payout that already paid it), payout allocation, carried balance, confirmed payment and
 * abandoned payout returned to the balance, with running balances. Anyone holding the ledger gets the same lines.
 *
 * Rules the lines follow (the payout ledger's, see payout-ledger.ts):
 * - Points reverted after the payout that paid them are not taken back: the line says `reversal_after_payout`
 *   with 0 points and 0 mojos, and the audit's books (which count mojos, not points) agree: nothing moved.
 * - An abandoned payout whose coins land afterwards is a `payment` after its `returned` line, and the carried
 *   balance drops by the same amount (it may go negative when the returned balance had been paid again).
 * - A balances-only run (no new points) pays carried balances minus their share of the blockchain fee: its
 *   allocation line has 0 points.
 */
export async function farmerStatement(events: AuditInput, launcherId: string): Promise<FarmerStatement> {
  const ledger = createPayoutLedger();
  const lines: StatementLine[] = [];
  const allocatedBy = new Map<string, bigint>();
  /** Allocations of abandoned payouts, in case their coins land after all (a late payment). */
  const returnedBy = new Map<string, bigint>();
  let inFlight = 0n;
  let paid = 0n;
  const totals = { creditedPoints: 0n, revertedPoints: 0n, allocated: 0n, paid: 0n, carried: 0n, inFlight: 0n };

  const line = (event: AuditEvent, kind: StatementKind, points: bigint, mojos: bigint, payoutId?: string): void => {
    const entry = ledger.farmers.get(launcherId);
    lines.push({
      position: event.position,
      event: event.type,
      kind,
      points: points.toString(),
      mojos: mojos.toString(),
      pointsBalance: (entry?.pointsSinceLastPayout ?? 0n).toString(),
      carried: (entry?.carried ?? 0n).toString(),
      inFlight: inFlight.toString(),
      paid: paid.toString(),
      ...(payoutId === undefined ? {} : { payoutId }),
    });
  };

  const handle = (event: AuditEvent): void => {
    const typed = event as (PartialEvent | PayoutEvent) & AuditEvent;
    switch (typed.type) {
      case 'PartialConfirmed': {
        if (typed.data.launcherId !== launcherId || ledger.partialIndex.has(typed.data.proofHash)) break;
        applyToPayoutLedger(ledger, event, event.position);
        totals.creditedPoints += BigInt(typed.data.points);
        return line(event, 'credit', BigInt(typed.data.points), 0n);
      }
      case 'PartialReverted': {
        const index = ledger.partialIndex.get(typed.data.proofHash);
        const partial = index === undefined ? undefined : ledger.partials[index];
        if (typed.data.launcherId !== launcherId || !typed.data.wasConfirmed || partial === undefined || partial.reverted) break;
        const before = ledger.farmers.get(launcherId)?.revertedAfterPayout ?? 0n;
        applyToPayoutLedger(ledger, event, event.position);
        const afterPayout = (ledger.farmers.get(launcherId)?.revertedAfterPayout ?? 0n) > before;
        totals.revertedPoints += partial.points;
        return line(event, afterPayout ? 'reversal_after_payout' : 'reversal', afterPayout ? 0n : -partial.points, 0n);
      }
      case 'PayoutPlanned': {
        if (ledger.payouts.has(typed.data.payoutId)) break;
        const carriedBefore = ledger.farmers.get(launcherId)?.carried ?? 0n;
        applyToPayoutLedger(ledger, event, event.position);
        const allocation = typed.data.allocations.find((a) => a.launcherId === launcherId);
        const carriedAfter = ledger.farmers.get(launcherId)?.carried ?? 0n;
        if (allocation !== undefined) {
          const amount = BigInt(allocation.amount);
          allocatedBy.set(typed.data.payoutId, amount);
          inFlight += amount;
          totals.allocated += amount;
          line(event, 'allocation', -BigInt(allocation.points), amount, typed.data.payoutId);
        } else if (carriedAfter !== carriedBefore) {
          line(event, 'carried', 0n, carriedAfter - carriedBefore, typed.data.payoutId);
        }
        return;
      }
      case 'PayoutConfirmed': {
        applyToPayoutLedger(ledger, event, event.position);
        const amount = allocatedBy.get(typed.data.payoutId);
        if (amount !== undefined) {
          allocatedBy.delete(typed.data.payoutId);
          inFlight -= amount;
          paid += amount;
          return line(event, 'payment', 0n, amount, typed.data.payoutId);
        }
        // Abandoned, then on chain anyway: paid, and the returned amount leaves the carried balance again.
        const late = returnedBy.get(typed.data.payoutId);
        if (late === undefined) return;
        returnedBy.delete(typed.data.payoutId);
        paid += late;
        return line(event, 'payment', 0n, late, typed.data.payoutId);
      }
      case 'PayoutFailed': {
        applyToPayoutLedger(ledger, event, event.position);
        const amount = allocatedBy.get(typed.data.payoutId);
        if (typed.data.willRetry || amount === undefined) return;
        allocatedBy.delete(typed.data.payoutId);
        returnedBy.set(typed.data.payoutId, amount);
        inFlight -= amount;
        return line(event, 'returned', 0n, amount, typed.data.payoutId);
      }
    }
    applyToPayoutLedger(ledger, event, event.position);
  };

  await forEachAuditEvent(events, handle);
  const entry = ledger.farmers.get(launcherId);
  totals.paid = paid;
  totals.inFlight = inFlight;
  totals.carried = entry?.carried ?? 0n;
  return { launcherId, lines, totals };
}
