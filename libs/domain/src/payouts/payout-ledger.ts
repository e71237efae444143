import { exhaustive } from '@pool/event-sourcing';
import { eventTypesExcept, type PoolEventOf } from '../ledger/pool-event';
import type { PayoutEvent } from './payout.events';
import { payoutsControlDecider, type PayoutsControlState } from './payouts-control.decider';
import { ConfirmedPartials } from './confirmed-partials';
import { applyToPayoutWindow, createPayoutWindow, newWindowFarmer, windowFarmer, type LedgerPayout, type PayoutWindow, type WindowFarmer } from './payout-window.fold';

/**
 * The money side of the ledger as one incremental fold, shared by the payout saga (what to plan next), the
 * audit (the state a recorded plan was computed from) and the planner.
 *
 * Positions are the store's global positions (fixed-width strings, so string order is store order).
 *
 * The points window and the balances (PROP basis, reverts after payout, carried balances, abandoned and late
 * payouts, returned fees) are the payout window's rules (payout-window.fold.ts). This fold adds:
 * - PPLNS windows read `partials` (confirmed, not reverted, in ledger order); paying does not consume them.
 * - An absorbed reward is undistributed until a plan names it. If a reorg reverts it before that, it simply
 *   leaves; if it had already been distributed, its amount becomes `rewardDeficit`, which the next plan
 *   recovers from its distributable amount before anything else. A reverted reward absorbed again (the new
 *   chain re-created the same coin) is undistributed again: whatever deficit its revert left is recovered as
 *   usual, and the re-absorbed mojos are distributed as a new reward, so the two cancel out.
 * - A reward is distributed at its full amount: the blockchain fee of its absorb (RewardAbsorbed.fee) is paid
 *   by a separate wallet spend, out of the pool's own funds (its fee income), not out of the farmers' share.
 * - Farmers who left the pool keep what they earned before leaving: membership is tracked for statements
 *   and read models, not used to forfeit points or balances.
 */
export interface FarmerLedgerEntry extends WindowFarmer {
  /** Payout puzzle hash from FarmerRegistered / FarmerUpdated; null while unknown (then balances are carried). */
  puzzleHash: string | null;
  member: boolean;
  /** The farmer's own minimum payout (FarmerMinimumPayoutSet); null: the pool's. The planner pays at the larger one. */
  minimumPayout: bigint | null;
}

export interface ConfirmedPartial {
  proofHash: string;
  launcherId: string;
  points: bigint;
  confirmedAt: number;
  position: string;
  reverted: boolean;
}

export interface LedgerReward {
  coinId: string;
  launcherId: string;
  amount: bigint;
  state: 'undistributed' | 'distributed' | 'reverted';
}

/** What the settled payouts (confirmed, or paid in part) put in the books, summed: their allocations and fees. */
export interface SettledPayouts {
  count: number;
  allocated: bigint;
  poolFees: bigint;
  blockchainFees: bigint;
}

export const noneSettled = (): SettledPayouts => ({ count: 0, allocated: 0n, poolFees: 0n, blockchainFees: 0n });

export interface PayoutLedger extends PayoutWindow<FarmerLedgerEntry> {
  /**
   * A payout leaves `payouts` when it settles, and only its sums stay here. Confirmed and part-paid are final in the
   * window's rules: no later event reads such a payout again, and a pool's thousands of payouts, each listing its
   * hundreds of farmers, would otherwise stay in every reader's memory and in every books closing.
   */
  settled: SettledPayouts;
  /** Position of the last event applied (undefined before the first). */
  position: string | undefined;
  /**
   * Confirmed partials in ledger order (PPLNS windows), found by proof hash too; reverted ones stay, flagged, so
   * indexes never move. Kept in columns (confirmed-partials.ts): the fold holds every one of them.
   */
  partials: ConfirmedPartials;
  rewards: Map<string, LedgerReward>;
  /** Absorbed rewards reverted after a plan distributed them; recovered by the next plan. */
  rewardDeficit: bigint;
  /** The payout switches (payouts-control.decider), as the saga holds them. */
  control: PayoutsControlState;
  /** No plan while any switch is on. */
  readonly paused: boolean;
  /**
   * Set on a ledger restored from a books closing (books-closing/) that kept only the confirmed partials after this
   * position: a revert of a confirm it does not hold is then one of an older confirm, which a plan already paid for.
   */
  partialsKeptAfter?: string;
}

/**
 * The event types the fold reads: every event of the capabilities that move points or money, but the three that
 * move none until a later event does (PartialSubmitted, RewardDetected and DifficultyChanged: about half of a pool's
 * events, which a reader need not ask the store for) and a farmer's display name, which moves nothing at all. A new event of these capabilities joins the list, and the
 * fold's exhaustive switch does not compile until it says what the event does to the ledger.
 */
export const PAYOUT_LEDGER_EVENT_TYPES = eventTypesExcept(['farmer', 'partial', 'reward', 'payout', 'payoutsControl'], [
  'DifficultyChanged',
  'PartialSubmitted',
  'RewardDetected',
  'FarmerDisplayNameSet',
]);

/** Anything the fold reads; other event types are ignored, so callers can feed it the whole store. */
export type PayoutLedgerEvent = PoolEventOf<(typeof PAYOUT_LEDGER_EVENT_TYPES)[number]>;

const LEDGER_TYPES: ReadonlySet<string> = new Set(PAYOUT_LEDGER_EVENT_TYPES);

// A partial can name a farmer whose registration this reader has not seen (a filtered read): track it.
const newLedgerFarmer = (launcherId: string): FarmerLedgerEntry => ({ ...newWindowFarmer(launcherId), puzzleHash: null, member: true, minimumPayout: null });

export function createPayoutLedger(): PayoutLedger {
  return {
    ...createPayoutWindow(newLedgerFarmer),
    settled: noneSettled(),
    position: undefined,
    partials: new ConfirmedPartials(),
    rewards: new Map(),
    rewardDeficit: 0n,
    control: payoutsControlDecider.initialState(),
    get paused() {
      return this.control.paused;
    },
  };
}

/**
 * Applies one event to the ledger IN PLACE and returns the same object: a replay of millions of events
 * cannot afford a copy per event. Callers that need an earlier state keep their own (see auditLedger).
 * `position` is the event's store position; events must arrive in store order.
 */
export function applyToPayoutLedger(ledger: PayoutLedger, event: { type: string; data: unknown }, position: string): PayoutLedger {
  ledger.position = position;
  if (!LEDGER_TYPES.has(event.type)) return ledger;
  const e = event as PayoutLedgerEvent;
  switch (e.type) {
    case 'FarmerRegistered': {
      const entry = windowFarmer(ledger, e.data.launcherId);
      entry.puzzleHash = e.data.payoutPuzzleHash;
      entry.member = true;
      break;
    }
    case 'FarmerUpdated':
      if (e.data.payoutPuzzleHash !== undefined) windowFarmer(ledger, e.data.launcherId).puzzleHash = e.data.payoutPuzzleHash;
      break;
    case 'FarmerLeftPool':
      windowFarmer(ledger, e.data.launcherId).member = false;
      break;
    case 'FarmerRejoinedPool':
      windowFarmer(ledger, e.data.launcherId).member = true;
      break;
    case 'FarmerMinimumPayoutSet':
      windowFarmer(ledger, e.data.launcherId).minimumPayout = e.data.minimumPayout === null ? null : BigInt(e.data.minimumPayout);
      break;
    case 'PartialConfirmed': {
      // The partial decider forbids a second confirmation; a replay must not double-count one, held or filed.
      if (ledger.partials.find(e.data.proofHash) !== undefined) break;
      const change = applyToPayoutWindow(ledger, e, position);
      if (change?.type !== 'confirmed') break;
      const { confirm } = change;
      ledger.partials.push({ proofHash: confirm.proofHash, launcherId: confirm.launcherId, points: confirm.points, confirmedAt: e.data.confirmedAt, position, reverted: false });
      break;
    }
    case 'PartialReverted': {
      if (!e.data.wasConfirmed) break;
      const confirmed = ledger.partials.find(e.data.proofHash);
      // The window cannot tell a paid partial from one it never saw confirmed; this ledger keeps every confirm, held or
      // filed (or, restored from a closing, every confirm after partialsKeptAfter: an older one was paid).
      if (confirmed === undefined ? ledger.partialsKeptAfter === undefined : confirmed.reverted) break;
      if (confirmed !== undefined) ledger.partials.revert(e.data.proofHash);
      applyToPayoutWindow(ledger, e, position);
      break;
    }
    case 'RewardAbsorbed': {
      // A repeated absorb of a held reward is a replay; an absorb after a revert is the coin back on the new chain.
      const known = ledger.rewards.get(e.data.coinId);
      if (known === undefined || known.state === 'reverted') {
        ledger.rewards.set(e.data.coinId, { coinId: e.data.coinId, launcherId: e.data.launcherId, amount: BigInt(e.data.amount), state: 'undistributed' });
      }
      break;
    }
    case 'RewardReverted': {
      const reward = ledger.rewards.get(e.data.coinId);
      if (!e.data.wasAbsorbed || reward === undefined) break;
      if (reward.state === 'distributed') ledger.rewardDeficit += reward.amount;
      reward.state = 'reverted';
      break;
    }
    case 'PayoutPlanned':
      // Only payouts not settled yet are held here: a plan repeated after its payout settled is refused by the payout
      // stream's decider, and the audit names it ('planned twice').
      if (ledger.payouts.has(e.data.payoutId)) break;
      distributeRewards(ledger, e.data);
      applyToPayoutWindow(ledger, e, position);
      break;
    case 'PayoutSigned':
    case 'PayoutSent':
    case 'PayoutFeeBumped':
    case 'PayoutFailed':
      applyToPayoutWindow(ledger, e, position);
      break;
    case 'PayoutConfirmed':
    case 'PayoutResolved': {
      const change = applyToPayoutWindow(ledger, e, position);
      if (change?.type === 'payoutStatus') settle(ledger, change.payout);
      break;
    }
    case 'PayoutsPaused':
    case 'PayoutsResumed':
      // The one payouts-control rule: a switch per source, paused while any is on.
      ledger.control = payoutsControlDecider.evolve(ledger.control, e);
      break;
    default:
      exhaustive(e);
  }
  return ledger;
}

/** Confirmed and paid in part are final in the window's rules: no later event changes or reads such a payout. */
export const isSettled = (status: LedgerPayout['status']): boolean => status === 'confirmed' || status === 'part-paid';

/** Adds a settled payout's allocations and fees to the sums. */
export function addSettled(settled: SettledPayouts, payout: Pick<LedgerPayout, 'allocations' | 'poolFee' | 'blockchainFee'>): void {
  settled.count++;
  for (const allocation of payout.allocations) settled.allocated += allocation.amount;
  settled.poolFees += payout.poolFee;
  settled.blockchainFees += payout.blockchainFee;
}

/** A payout that reached a final status leaves the ledger's payouts for its sums. */
function settle(ledger: PayoutLedger, payout: LedgerPayout): void {
  if (!isSettled(payout.status)) return;
  ledger.payouts.delete(payout.payoutId);
  addSettled(ledger.settled, payout);
}

function distributeRewards(ledger: PayoutLedger, data: Extract<PayoutEvent, { type: 'PayoutPlanned' }>['data']): void {
  for (const coinId of data.rewardCoinIds) {
    const reward = ledger.rewards.get(coinId);
    if (reward === undefined) continue;
    // Reverted between the plan's ledger position and now: the plan paid it out anyway, so it is a deficit. It
    // stays reverted (it is not in the wallet), so the books count it once, as the deficit.
    if (reward.state === 'reverted') ledger.rewardDeficit += reward.amount;
    else reward.state = 'distributed';
  }
  ledger.rewardDeficit -= BigInt(data.deficitRecovered ?? '0');
}

/** Rewards a plan would distribute now, in coin id order (the order plans record them in). */
export function undistributedRewards(ledger: PayoutLedger): LedgerReward[] {
  const rewards: LedgerReward[] = [];
  for (const reward of ledger.rewards.values()) if (reward.state === 'undistributed') rewards.push(reward);
  return rewards.sort((a, b) => (a.coinId < b.coinId ? -1 : a.coinId > b.coinId ? 1 : 0));
}
