import { exhaustive } from '@pool/event-sourcing';
import { eventTypesExcept, type PoolEventOf } from '../ledger/pool-event';
import type { PayoutEvent, PayoutSettled } from './payout.events';
import type { PayoutStatus } from './payout.workflow';

/**
 * THE payout window and balance rules, as one incremental fold. The payout ledger (what the planner plans
 * from, what the audit checks), the farmer activity (GET /farmer `current_points`), the farmer statements and
 * the farmer_view projection all run this fold, so what a farmer is shown is what the next plan pays.
 *
 * Positions are the store's global positions (fixed-width strings, so string order is store order).
 *
 * - PROP points (`pointsSinceLastPayout`) are the points of partials confirmed after the last plan's
 *   `ledgerPosition`. A plan pays every confirm at or before its ledger position, even one whose
 *   PartialConfirmed event reached the store after the plan started, so a confirmed partial is paid exactly
 *   once; confirms after that position (appended while the plan was being made) stay for the next plan.
 *   Window N is the one payout sequence N pays; the window before the first plan is 1.
 * - A confirmed partial reverted while unpaid leaves its window. One reverted after the plan that paid it is
 *   not clawed back: it is counted in `revertedAfterPayout` and leaves the points untouched.
 * - Carried balances are absolute per plan: the plan recorded every balance after its run, so anyone it does
 *   not list carries nothing; money an abandoned payout returned after the plan's position was not in that
 *   picture and is added back on top.
 * - A payout abandoned (PayoutFailed with willRetry=false) returns each allocation to that farmer's carried
 *   balance; its unspent pool fee and blockchain fee return to the pot (`returnedFunds`) for the next plan.
 * - A payout confirmed after it was abandoned (its transactions landed anyway) takes all of that back: each
 *   allocation leaves the farmer's carried balance and the fees leave `returnedFunds`. If a later plan already
 *   used that money, the balance (or `returnedFunds`) goes negative: the farmer was paid twice and the excess
 *   is netted against what they earn next (a negative `returnedFunds` is recovered from the next
 *   distributable amount, like a reward deficit).
 * - A confirmed payout adds its allocations to the farmers' `paid` (also when it lands after being abandoned).
 *
 * Guards are the caller's where its own state knows more: the fold ignores a second confirm of an unpaid
 * partial, but it cannot tell a revert of a paid partial from one of a partial it never saw confirmed (the
 * payout ledger, which keeps every confirm, filters those out first).
 *
 * The fold mutates the window it is given (a replay of millions of events cannot afford a copy per event), and
 * works on a partial window too: a farmer or an unpaid confirm that is not in the maps counts as zero / as paid,
 * so a projection can load only the rows a batch touches (every non-zero balance and the unpaid confirms after
 * the first plan's position when the batch holds a plan).
 */
export interface WindowFarmer {
  readonly launcherId: string;
  /** PROP basis: confirmed points since the last plan's ledger position. */
  pointsSinceLastPayout: bigint;
  /**
   * Mojos owed to the farmer and not yet allocated to a payout. Negative only after a payout landed after it
   * was abandoned and its returned balance had already been paid again: the overpayment nets against new shares.
   */
  carried: bigint;
  /** Confirmed points reverted after a plan had already paid for them (informational, never clawed back). */
  revertedAfterPayout: bigint;
  /** Mojos of confirmed payouts. */
  paid: bigint;
}

/** A confirmed partial no plan has paid yet. */
export interface UnpaidConfirm {
  proofHash: string;
  launcherId: string;
  points: bigint;
  position: string;
  /** The payout sequence expected to pay it (the open window when it was confirmed, or later). */
  window: number;
}

export interface LedgerPayout {
  payoutId: string;
  sequence: number;
  /** Never changed in place, only replaced (a payment in part keeps what it paid). */
  allocations: readonly { readonly launcherId: string; readonly amount: bigint }[];
  poolFee: bigint;
  blockchainFee: bigint;
  status: PayoutStatus;
}

/** An allocation an abandoned payout returned (positive) or a late landing took back (negative). */
export interface BalanceReturn {
  position: string;
  launcherId: string;
  amount: bigint;
}

export interface PayoutWindow<F extends WindowFarmer = WindowFarmer> {
  /** Makes the entry of a farmer the window meets first (callers keep more per farmer than the window does). */
  readonly newFarmer: (launcherId: string) => F;
  farmers: Map<string, F>;
  /** Confirms no plan has paid yet, by proof hash, in position order. */
  unpaid: Map<string, UnpaidConfirm>;
  /** `ledgerPosition` of the last plan: PROP counts partials confirmed after it. */
  propCutoff: string | undefined;
  /** The window confirms join now: the payout sequence after the newest plan (1 before any plan). */
  openWindow: number;
  lastPayoutSequence: number;
  payouts: Map<string, LedgerPayout>;
  /** Allocations returned since the last plan's position (see the carried rule), and taken back by late landings. */
  returns: BalanceReturn[];
  /** Pool and blockchain fees of abandoned payouts, back in the pot (negative after a late landing). */
  returnedFunds: bigint;
}

/**
 * The event types the window reads (other types are ignored): every payout event, and the partials' confirms and
 * reverts. A new payout event joins the list, and the exhaustive switch below does not compile until it is handled.
 */
export const PAYOUT_WINDOW_EVENT_TYPES = eventTypesExcept(['partial', 'payout'], ['PartialSubmitted']);
const WINDOW_TYPES: ReadonlySet<string> = new Set(PAYOUT_WINDOW_EVENT_TYPES);

export type PayoutWindowEvent = PoolEventOf<(typeof PAYOUT_WINDOW_EVENT_TYPES)[number]>;

/** What an event did to the window, for callers that keep more than the window (statements, projections). */
export type PayoutWindowChange =
  | { type: 'confirmed'; confirm: UnpaidConfirm }
  /** An unpaid confirm was reverted and left its window. */
  | { type: 'reverted'; confirm: UnpaidConfirm }
  | { type: 'revertedAfterPayout'; launcherId: string; points: bigint }
  /** `movedOn`: unpaid confirms after the plan's position, now in the window after it (`from` their old one). */
  | { type: 'planned'; payout: LedgerPayout; movedOn: { confirm: UnpaidConfirm; from: number }[] }
  | { type: 'payoutStatus'; payout: LedgerPayout; from: LedgerPayout['status'] };

/** The payout sequence that pays the points confirmed before any payout was planned. */
export const FIRST_WINDOW = 1;

export const newWindowFarmer = (launcherId: string): WindowFarmer => ({ launcherId, pointsSinceLastPayout: 0n, carried: 0n, revertedAfterPayout: 0n, paid: 0n });

export function createPayoutWindow<F extends WindowFarmer = WindowFarmer>(newFarmer: (launcherId: string) => F = newWindowFarmer as (launcherId: string) => F): PayoutWindow<F> {
  return {
    newFarmer,
    farmers: new Map(),
    unpaid: new Map(),
    propCutoff: undefined,
    openWindow: FIRST_WINDOW,
    lastPayoutSequence: 0,
    payouts: new Map(),
    returns: [],
    returnedFunds: 0n,
  };
}

/** The farmer's entry, created when the window meets the farmer first. */
export function windowFarmer<F extends WindowFarmer>(window: PayoutWindow<F>, launcherId: string): F {
  let entry = window.farmers.get(launcherId);
  if (entry === undefined) {
    entry = window.newFarmer(launcherId);
    window.farmers.set(launcherId, entry);
  }
  return entry;
}

/**
 * Applies one event IN PLACE at its store position (events in store order) and says what it changed;
 * undefined when the event changed nothing.
 */
export function applyToPayoutWindow<F extends WindowFarmer>(window: PayoutWindow<F>, event: { type: string; data: unknown }, position: string): PayoutWindowChange | undefined {
  if (!WINDOW_TYPES.has(event.type)) return undefined;
  const e = event as PayoutWindowEvent;
  switch (e.type) {
    case 'PartialConfirmed': {
      // The partial decider forbids a second confirm; a replay must not count one twice.
      if (window.unpaid.has(e.data.proofHash)) return undefined;
      const entry = windowFarmer(window, e.data.launcherId);
      // The farmer entry's launcher id, not the event's copy: one shared string per farmer, not one per partial.
      const confirm: UnpaidConfirm = { proofHash: e.data.proofHash, launcherId: entry.launcherId, points: BigInt(e.data.points), position, window: window.openWindow };
      window.unpaid.set(confirm.proofHash, confirm);
      entry.pointsSinceLastPayout += confirm.points;
      return { type: 'confirmed', confirm };
    }
    case 'PartialReverted': {
      if (!e.data.wasConfirmed) return undefined;
      const confirm = window.unpaid.get(e.data.proofHash);
      if (confirm === undefined) {
        const points = BigInt(e.data.points);
        windowFarmer(window, e.data.launcherId).revertedAfterPayout += points;
        return { type: 'revertedAfterPayout', launcherId: e.data.launcherId, points };
      }
      window.unpaid.delete(confirm.proofHash);
      windowFarmer(window, confirm.launcherId).pointsSinceLastPayout -= confirm.points;
      return { type: 'reverted', confirm };
    }
    case 'PayoutPlanned':
      return applyPlan(window, e.data);
    case 'PayoutSigned':
    case 'PayoutFeeBumped':
      // Which coins the wallet chose, or a higher fee out of its change, moves no farmer's money: the balances change
      // when the payout lands or is abandoned.
      return undefined;
    case 'PayoutSent':
      return setStatus(window, e.data.payoutId, (status) => (status === 'planned' || status === 'sent' ? 'sent' : status));
    case 'PayoutConfirmed':
      return setStatus(window, e.data.payoutId, (status, payout) => {
        // Paid in part is final: the operator settled it (the decider refuses a later confirmation).
        if (status === 'confirmed' || status === 'part-paid') return status;
        for (const allocation of payout.allocations) {
          const entry = windowFarmer(window, allocation.launcherId);
          entry.paid += allocation.amount;
          if (status !== 'abandoned') continue;
          // The coins are on chain after all: the money the abandonment returned was paid by this payout.
          entry.carried -= allocation.amount;
          window.returns.push({ position, launcherId: allocation.launcherId, amount: -allocation.amount });
        }
        if (status === 'abandoned') window.returnedFunds -= payout.poolFee + payout.blockchainFee;
        return 'confirmed';
      });
    case 'PayoutFailed':
      return setStatus(window, e.data.payoutId, (status, payout) => {
        if (e.data.willRetry) return status === 'sent' ? 'planned' : status;
        return abandon(window, status, payout, position);
      });
    case 'PayoutResolved': {
      const { settled } = e.data;
      if (e.data.decision === 'abandon') return setStatus(window, e.data.payoutId, (status, payout) => abandon(window, status, payout, position));
      return setStatus(window, e.data.payoutId, (status, payout) => payInPart(window, status, payout, settled, position));
    }
    default:
      return exhaustive(e);
  }
}

/** A final failure or an operator's abandonment: each allocation returns to its farmer, the fees to the pot. */
function abandon<F extends WindowFarmer>(window: PayoutWindow<F>, status: PayoutStatus, payout: LedgerPayout, position: string): PayoutStatus {
  if (status !== 'planned' && status !== 'sent') return status;
  for (const allocation of payout.allocations) {
    windowFarmer(window, allocation.launcherId).carried += allocation.amount;
    window.returns.push({ position, launcherId: allocation.launcherId, amount: allocation.amount });
  }
  window.returnedFunds += payout.poolFee + payout.blockchainFee;
  return 'abandoned';
}

/**
 * An operator's paid-in-part: the allocations of `settled` are paid; every other one is returned, as an
 * abandonment returns it. From a planned or sent payout that returns the rest; from an abandoned one (everything
 * already returned) it takes the paid part back, as a late landing does. The payout then holds only what it paid,
 * so the books count it as paid money from here on.
 */
function payInPart<F extends WindowFarmer>(window: PayoutWindow<F>, status: PayoutStatus, payout: LedgerPayout, settled: PayoutSettled, position: string): PayoutStatus {
  if (status !== 'planned' && status !== 'sent' && status !== 'abandoned') return status;
  const paidIds = new Set(settled.launcherIds);
  const keptFees = BigInt(settled.poolFee) + BigInt(settled.blockchainFee);
  const allFees = payout.poolFee + payout.blockchainFee;
  const paid: LedgerPayout['allocations'][number][] = [];
  for (const allocation of payout.allocations) {
    const entry = windowFarmer(window, allocation.launcherId);
    if (paidIds.has(allocation.launcherId)) {
      paid.push(allocation);
      entry.paid += allocation.amount;
      if (status !== 'abandoned') continue;
      entry.carried -= allocation.amount;
      window.returns.push({ position, launcherId: allocation.launcherId, amount: -allocation.amount });
    } else if (status !== 'abandoned') {
      entry.carried += allocation.amount;
      window.returns.push({ position, launcherId: allocation.launcherId, amount: allocation.amount });
    }
  }
  payout.allocations = paid;
  // A reader that loads payouts without their fees (a projection) moves only the balances.
  if (allFees > 0n) {
    window.returnedFunds += status === 'abandoned' ? -keptFees : allFees - keptFees;
    payout.poolFee = BigInt(settled.poolFee);
    payout.blockchainFee = BigInt(settled.blockchainFee);
  }
  return 'part-paid';
}

function setStatus<F extends WindowFarmer>(
  window: PayoutWindow<F>,
  payoutId: string,
  next: (status: LedgerPayout['status'], payout: LedgerPayout) => LedgerPayout['status'],
): PayoutWindowChange | undefined {
  const payout = window.payouts.get(payoutId);
  if (payout === undefined) return undefined;
  const from = payout.status;
  payout.status = next(from, payout);
  return payout.status === from ? undefined : { type: 'payoutStatus', payout, from };
}

function applyPlan<F extends WindowFarmer>(window: PayoutWindow<F>, data: Extract<PayoutEvent, { type: 'PayoutPlanned' }>['data']): PayoutWindowChange | undefined {
  if (window.payouts.has(data.payoutId)) return undefined;
  window.returnedFunds -= BigInt(data.returnedFunds ?? '0');

  for (const entry of window.farmers.values()) entry.carried = 0n;
  for (const c of data.carried) windowFarmer(window, c.launcherId).carried = BigInt(c.amount);
  const later = window.returns.filter((r) => r.position > data.ledgerPosition);
  for (const r of later) windowFarmer(window, r.launcherId).carried += r.amount;
  window.returns = later;

  const movedOn = endWindow(window, data.ledgerPosition, data.sequence);

  window.lastPayoutSequence = Math.max(window.lastPayoutSequence, data.sequence);
  const payout: LedgerPayout = {
    payoutId: data.payoutId,
    sequence: data.sequence,
    // The farmer's own launcher id string where the window knows it: every payout is kept, and a pool's thousands of
    // them would otherwise each hold their own copy of every farmer's id (~17 MB per 1,000 payouts of 220 farmers).
    allocations: data.allocations.map((a) => ({ launcherId: window.farmers.get(a.launcherId)?.launcherId ?? a.launcherId, amount: BigInt(a.amount) })),
    poolFee: BigInt(data.poolFee.amount),
    blockchainFee: BigInt(data.blockchainFee),
    status: 'planned',
  };
  window.payouts.set(data.payoutId, payout);
  return { type: 'planned', payout, movedOn };
}

/**
 * The points side of a plan: it pays every unpaid confirm at or before `ledgerPosition` and opens the window
 * of payout `sequence + 1`; the later confirms move on to it. Returns those. Readers that follow only the
 * points (the farmer activity) call this for each PayoutPlanned instead of applying the whole plan.
 */
export function endWindow<F extends WindowFarmer>(window: PayoutWindow<F>, ledgerPosition: string, sequence: number): { confirm: UnpaidConfirm; from: number }[] {
  const movedOn: { confirm: UnpaidConfirm; from: number }[] = [];
  if (window.propCutoff === undefined || ledgerPosition > window.propCutoff) {
    for (const entry of window.farmers.values()) entry.pointsSinceLastPayout = 0n;
    // In position order: the paid confirms are a prefix, the later ones (usually a handful) move on.
    for (const confirm of window.unpaid.values()) {
      if (confirm.position <= ledgerPosition) {
        window.unpaid.delete(confirm.proofHash);
        continue;
      }
      movedOn.push({ confirm, from: confirm.window });
      confirm.window = sequence + 1;
      windowFarmer(window, confirm.launcherId).pointsSinceLastPayout += confirm.points;
    }
    window.propCutoff = ledgerPosition;
  }
  window.openWindow = Math.max(window.openWindow, sequence + 1);
  return movedOn;
}

/** A payout planned or sent and neither confirmed nor abandoned: the saga must resolve it before planning again. */
export function unresolvedPayouts(window: Pick<PayoutWindow, 'payouts'>): LedgerPayout[] {
  return [...window.payouts.values()].filter((p) => p.status === 'planned' || p.status === 'sent').sort((a, b) => a.sequence - b.sequence);
}
