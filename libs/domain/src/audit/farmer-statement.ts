import type { FarmerEvent } from '../farmers/farmer.events';
import type { PartialEvent } from '../partials/partial.events';
import type { PayoutEvent } from '../payouts/payout.events';
import { applyToPayoutWindow, createPayoutWindow } from '../payouts/payout-window.fold';
import { ledgerTimeOf } from '../views/ledger-time';
import { forEachAuditEvent, type AuditEvent, type AuditInput } from './payout.audit';

/**
 * One farmer's history from the ledger alone, by one fold with two renderings: the audit statement
 * (`farmerStatement`: `poolctl audit --farmer` and the API) and the step-by-step history (`foldLedgerStatement`:
 * `poolctl ledger show`). Anyone holding the ledger gets the same lines. Points and balances are the payout
 * window's (payouts/payout-window.fold.ts); the statement adds what only a history needs:
 * - Points reverted after the payout that paid them are not taken back: the audit line says
 *   `reversal_after_payout` with 0 points and 0 mojos, and the audit's books (which count mojos, not points)
 *   agree: nothing moved.
 * - An abandoned payout whose coins land afterwards is a `payment` after its `returned` line, and the carried
 *   balance drops by the same amount (it may go negative when the returned balance had been paid again).
 * - A balances-only run (no new points) pays carried balances minus their share of the blockchain fee: its
 *   allocation line has 0 points.
 */
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

export type LedgerStepKind =
  | 'registered'
  | 'updated'
  | 'difficulty'
  | 'left'
  | 'rejoined'
  | 'credit'
  | 'confirm'
  | 'revert'
  | 'planned'
  | 'sent'
  | 'confirmed'
  | 'failed'
  | 'abandoned';

export interface LedgerBalances {
  /** Submitted, neither confirmed nor reverted. */
  pending: bigint;
  /** Confirmed minus reverted-after-confirm, all time. */
  confirmed: bigint;
  /** Confirmed and not yet paid by a plan: what the next PROP plan pays for. */
  unpaid: bigint;
  revertedAfterPayout: bigint;
  /** Mojos: owed and carried to the next plan; allocated by plans; paid by confirmed payouts. */
  carried: bigint;
  allocated: bigint;
  paid: bigint;
}

export interface LedgerStep {
  position: string;
  time: number | undefined;
  kind: LedgerStepKind;
  proofHash?: string;
  /** Points this step moved (signed), where it moved any. */
  points?: bigint;
  /** Mojos this step moved for the farmer (allocation, carry), where it moved any. */
  mojos?: bigint;
  note?: string;
  balances: LedgerBalances;
}

export interface LedgerStatement {
  launcherId: string;
  entries: LedgerStep[];
  balances: LedgerBalances;
  /** Last position folded (the statement is as of it). */
  position: string | undefined;
}

type StatementEvent = (FarmerEvent | PartialEvent | PayoutEvent) & { position: string };

const sum = <T>(items: readonly T[], value: (item: T) => string): bigint => items.reduce((total, item) => total + BigInt(value(item)), 0n);

/** The fold behind both renderings; feed it events in store order (other farmers' events are ignored). */
class FarmerStatementFold {
  readonly entries: LedgerStep[] = [];
  readonly lines: StatementLine[] = [];
  readonly totals = { creditedPoints: 0n, revertedPoints: 0n, allocated: 0n };
  position: string | undefined;
  private readonly window = createPayoutWindow();
  private pending = 0n;
  private confirmed = 0n;
  private inFlight = 0n;
  private readonly submitted = new Set<string>();
  /** Every confirm of the farmer (the window keeps only unpaid ones): a repeated confirm or revert is ignored. */
  private readonly confirms = new Map<string, { points: bigint; reverted: boolean }>();
  /** The farmer's allocation in each payout that names the farmer. */
  private readonly allocations = new Map<string, bigint>();

  constructor(readonly launcherId: string) {}

  get balances(): LedgerBalances {
    const f = this.window.farmers.get(this.launcherId);
    return {
      pending: this.pending,
      confirmed: this.confirmed,
      unpaid: f?.pointsSinceLastPayout ?? 0n,
      revertedAfterPayout: f?.revertedAfterPayout ?? 0n,
      carried: f?.carried ?? 0n,
      allocated: this.totals.allocated,
      paid: f?.paid ?? 0n,
    };
  }

  get totalsNow(): FarmerStatement['totals'] {
    const { carried, paid } = this.balances;
    return { ...this.totals, paid, carried, inFlight: this.inFlight };
  }

  apply(recorded: AuditEvent): void {
    this.position = recorded.position;
    const event = recorded as StatementEvent;
    const at = event.position;
    const own = (event.data as { launcherId?: string }).launcherId === this.launcherId;
    switch (event.type) {
      case 'FarmerRegistered':
        if (own) this.step(event, { kind: 'registered', note: `difficulty ${event.data.difficulty}` });
        return;
      case 'FarmerUpdated':
        if (own) this.step(event, { kind: 'updated', note: event.data.payoutInstructions ? `payout to ${event.data.payoutInstructions}` : undefined });
        return;
      case 'DifficultyChanged':
        if (own) this.step(event, { kind: 'difficulty', note: `${event.data.from} -> ${event.data.to} (${event.data.reason})` });
        return;
      case 'FarmerLeftPool':
        if (own) this.step(event, { kind: 'left', note: event.data.reason });
        return;
      case 'FarmerRejoinedPool':
        if (own) this.step(event, { kind: 'rejoined' });
        return;
      case 'PartialSubmitted': {
        if (!own) return;
        const points = BigInt(event.data.points);
        this.submitted.add(event.data.proofHash);
        this.pending += points;
        this.step(event, { kind: 'credit', proofHash: event.data.proofHash, points });
        return;
      }
      case 'PartialConfirmed': {
        if (!own || this.confirms.has(event.data.proofHash)) return;
        if (applyToPayoutWindow(this.window, event, at)?.type !== 'confirmed') return;
        const points = BigInt(event.data.points);
        this.confirms.set(event.data.proofHash, { points, reverted: false });
        if (this.submitted.has(event.data.proofHash)) this.pending -= points;
        this.confirmed += points;
        this.totals.creditedPoints += points;
        this.step(event, { kind: 'confirm', proofHash: event.data.proofHash, points });
        this.line(event, 'credit', points, 0n);
        return;
      }
      case 'PartialReverted':
        if (own) this.revert(event);
        return;
      case 'PayoutPlanned':
        this.plan(event);
        return;
      case 'PayoutSent':
      case 'PayoutConfirmed':
      case 'PayoutFailed':
        this.settle(event);
        return;
      case 'PayoutResolved':
        this.resolve(event);
        return;
    }
  }

  private revert(event: Extract<StatementEvent, { type: 'PartialReverted' }>): void {
    const points = BigInt(event.data.points);
    let note: string = event.data.reason;
    if (!event.data.wasConfirmed) {
      if (this.submitted.has(event.data.proofHash)) this.pending -= points;
    } else {
      this.confirmed -= points;
      const known = this.confirms.get(event.data.proofHash);
      const change = known?.reverted ? undefined : applyToPayoutWindow(this.window, event, event.position);
      if (change?.type === 'revertedAfterPayout') note += ', already paid: not clawed back';
      if (known !== undefined && change !== undefined) {
        known.reverted = true;
        this.totals.revertedPoints += known.points;
        const afterPayout = change.type === 'revertedAfterPayout';
        this.line(event, afterPayout ? 'reversal_after_payout' : 'reversal', afterPayout ? 0n : -known.points, 0n);
      }
    }
    if (event.data.forkHeight !== undefined) note += ` (fork at ${event.data.forkHeight})`;
    this.step(event, { kind: 'revert', proofHash: event.data.proofHash, points: -points, note });
  }

  private plan(event: Extract<StatementEvent, { type: 'PayoutPlanned' }>): void {
    const plan = event.data;
    const before = this.balances;
    if (applyToPayoutWindow(this.window, event, event.position) === undefined) return; // a repeated plan
    const after = this.balances;
    const mine = plan.allocations.filter((a) => a.launcherId === this.launcherId);
    const allocation = sum(mine, (a) => a.amount);
    const listedCarried = sum(
      plan.carried.filter((c) => c.launcherId === this.launcherId),
      (c) => c.amount,
    );
    if (mine.length > 0) {
      this.allocations.set(plan.payoutId, allocation);
      this.inFlight += allocation;
      this.totals.allocated += allocation;
    }
    if (mine.length > 0 || listedCarried > 0n || before.unpaid !== after.unpaid || before.carried !== after.carried) {
      const points = sum(mine, (a) => a.points);
      const note = `payout ${plan.sequence}: ${points} points -> ${allocation} mojos, carried ${listedCarried}`;
      this.step(event, { kind: 'planned', points: after.unpaid - before.unpaid, mojos: allocation, note });
    }
    if (mine.length > 0) this.line(event, 'allocation', -sum(mine, (a) => a.points), allocation, plan.payoutId);
    else if (after.carried !== before.carried) this.line(event, 'carried', 0n, after.carried - before.carried, plan.payoutId);
  }

  private settle(event: Extract<StatementEvent, { type: 'PayoutSent' | 'PayoutConfirmed' | 'PayoutFailed' }>): void {
    const payoutId = event.data.payoutId;
    const before = this.window.payouts.get(payoutId)?.status;
    const after = applyToPayoutWindow(this.window, event, event.position) === undefined ? before : this.window.payouts.get(payoutId)?.status;
    const amount = this.allocations.get(payoutId);
    if (amount === undefined || before === undefined) return;
    if (event.type === 'PayoutSent') {
      if (before !== 'abandoned') this.step(event, { kind: 'sent', note: event.data.transactionIds.join(',') });
    } else if (event.type === 'PayoutConfirmed') {
      if (after !== 'confirmed' || before === 'confirmed') return;
      // Abandoned, then on chain anyway: paid, and the returned amount leaves the carried balance again.
      if (before !== 'abandoned') this.inFlight -= amount;
      const note = `height ${event.data.confirmedHeight}${before === 'abandoned' ? ', after it was abandoned: the returned balance is taken back' : ''}`;
      this.step(event, { kind: 'confirmed', mojos: amount, note });
      this.line(event, 'payment', 0n, amount, payoutId);
    } else if (event.data.willRetry) {
      this.step(event, { kind: 'failed', note: `${event.data.reason} (attempt ${event.data.attempt}, will retry)` });
    } else if (after === 'abandoned' && before !== 'abandoned') {
      this.inFlight -= amount;
      this.step(event, { kind: 'abandoned', mojos: amount, note: `${event.data.reason}: allocation carried` });
      this.line(event, 'returned', 0n, amount, payoutId);
    }
  }

  /**
   * An operator's decision (`poolctl payouts resolve`): this farmer's allocation was paid when the transactions that
   * landed carry it, else it returns to its carried balance (once: an abandoned payout has returned it already).
   */
  private resolve(event: Extract<StatementEvent, { type: 'PayoutResolved' }>): void {
    const { payoutId, decision, settled, reason } = event.data;
    const before = this.window.payouts.get(payoutId)?.status;
    applyToPayoutWindow(this.window, event, event.position);
    const amount = this.allocations.get(payoutId);
    if (amount === undefined || before === undefined) return;
    if (decision === 'paid-in-part' && settled.launcherIds.includes(this.launcherId)) {
      if (before !== 'abandoned') this.inFlight -= amount;
      const note = `paid in part, by the operator: ${reason}${before === 'abandoned' ? '; the returned balance is taken back' : ''}`;
      this.step(event, { kind: 'confirmed', mojos: amount, note });
      this.line(event, 'payment', 0n, amount, payoutId);
    } else if (before !== 'abandoned') {
      this.inFlight -= amount;
      this.step(event, { kind: 'abandoned', mojos: amount, note: `${decision === 'abandon' ? 'abandoned' : 'not among what landed'}, by the operator: ${reason}: allocation carried` });
      this.line(event, 'returned', 0n, amount, payoutId);
    }
  }

  private step(event: StatementEvent, step: Omit<LedgerStep, 'position' | 'time' | 'balances'>): void {
    this.entries.push({ position: event.position, time: ledgerTimeOf(event), ...step, balances: this.balances });
  }

  private line(event: StatementEvent, kind: StatementKind, points: bigint, mojos: bigint, payoutId?: string): void {
    const b = this.balances;
    this.lines.push({
      position: event.position,
      event: event.type,
      kind,
      points: points.toString(),
      mojos: mojos.toString(),
      pointsBalance: b.unpaid.toString(),
      carried: b.carried.toString(),
      inFlight: this.inFlight.toString(),
      paid: b.paid.toString(),
      ...(payoutId === undefined ? {} : { payoutId }),
    });
  }
}

/**
 * The audit statement of `launcherId`: every confirmed partial (credit), revert (reversal, or a reversal after
 * the payout that already paid it), payout allocation, carried balance, confirmed payment and abandoned payout
 * returned to the balance, with running balances.
 */
export async function farmerStatement(events: AuditInput, launcherId: string): Promise<FarmerStatement> {
  const fold = new FarmerStatementFold(launcherId);
  await forEachAuditEvent(events, (event) => fold.apply(event));
  return { launcherId, lines: fold.lines, totals: fold.totalsNow };
}

/** The step-by-step history of `launcherId` (what `poolctl ledger show` prints), from `events` in store order. */
export function foldLedgerStatement(launcherId: string, events: Iterable<AuditEvent>): LedgerStatement {
  const fold = new FarmerStatementFold(launcherId);
  for (const event of events) fold.apply(event);
  return { launcherId, entries: fold.entries, balances: fold.balances, position: fold.position };
}
