import type { FarmerEvent } from '../farmers/farmer.events';
import type { PartialEvent } from '../partials/partial.events';
import type { RewardEvent } from '../rewards/reward.events';
import type { PayoutEvent, PayoutsControlEvent } from './payout.events';

/**
 * The money side of the ledger as one incremental fold, shared by the payout saga (what to plan next), the
 * audit (the state a recorded plan was computed from) and farmer statements.
 *
 * Positions are the store's global positions (fixed-width strings, so string order is store order).
 *
 * Rules this fold states (planPayout relies on them):
 * - PROP points are the confirmed points of partials confirmed after the last plan's `ledgerPosition`. A
 *   partial confirmed at or before it was paid for by that plan, even if its PartialConfirmed event reached the
 *   store after the plan started, so a confirmed partial is paid exactly once.
 * - A confirmed partial reverted after the plan that paid it is not clawed back: the revert is counted in
 *   `revertedAfterPayout` (for statements) and leaves points untouched.
 * - PPLNS windows read `partials` (confirmed, not reverted, in ledger order); paying does not consume them.
 * - An absorbed reward is undistributed until a plan names it. If a reorg reverts it before that, it simply
 *   leaves; if it had already been distributed, its amount becomes `rewardDeficit`, which the next plan
 *   recovers from its distributable amount before anything else. A reverted reward absorbed again (the new
 *   chain re-created the same coin) is undistributed again: whatever deficit its revert left is recovered as
 *   usual, and the re-absorbed mojos are distributed as a new reward, so the two cancel out.
 * - A payout abandoned (PayoutFailed with willRetry=false) returns each allocation to that farmer's carried
 *   balance; its unspent pool fee and blockchain fee return to the pot (`returnedFunds`) for the next plan.
 * - A payout confirmed after it was abandoned (its transactions landed anyway: PayoutConfirmed after the final
 *   PayoutFailed) takes all of that back: each allocation leaves the farmer's carried balance and the fees
 *   leave `returnedFunds`. If a later plan already used that money, the balance (or `returnedFunds`) goes
 *   negative: the farmer was paid twice and the excess is netted against what they earn next (a negative
 *   `returnedFunds` is recovered from the next distributable amount, like a reward deficit).
 * - A reward is distributed at its full amount: the blockchain fee of its absorb (RewardAbsorbed.fee) is paid
 *   by a separate wallet spend, out of the pool's own funds (its fee income), not out of the farmers' share.
 * - Farmers who left the pool keep what they earned before leaving: membership is tracked for statements
 *   and read models, not used to forfeit points or balances.
 */
export interface FarmerLedgerEntry {
  launcherId: string;
  /** Payout puzzle hash from FarmerRegistered / FarmerUpdated; null while unknown (then balances are carried). */
  puzzleHash: string | null;
  member: boolean;
  /** PROP basis: confirmed points since the last plan's ledger position. */
  pointsSinceLastPayout: bigint;
  /**
   * Mojos owed to the farmer and not yet allocated to a payout. Negative only after a payout landed after it
   * was abandoned and its returned balance had already been paid again: the overpayment nets against new shares.
   */
  carried: bigint;
  /** Confirmed points reverted after a plan had already paid for them (informational, never clawed back). */
  revertedAfterPayout: bigint;
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

export interface LedgerPayout {
  payoutId: string;
  sequence: number;
  allocations: { launcherId: string; amount: bigint }[];
  poolFee: bigint;
  blockchainFee: bigint;
  status: 'planned' | 'sent' | 'confirmed' | 'abandoned';
}

export interface PayoutLedger {
  /** Position of the last event applied (undefined before the first). */
  position: string | undefined;
  farmers: Map<string, FarmerLedgerEntry>;
  /** Confirmed partials in ledger order (PPLNS windows); reverted ones stay, flagged, so indexes never move. */
  partials: ConfirmedPartial[];
  partialIndex: Map<string, number>;
  rewards: Map<string, LedgerReward>;
  /** Absorbed rewards reverted after a plan distributed them; recovered by the next plan. */
  rewardDeficit: bigint;
  /** Pool and blockchain fees of abandoned payouts, back in the pot (negative after a late landing, see above). */
  returnedFunds: bigint;
  /** `ledgerPosition` of the last plan: PROP counts partials confirmed after it. */
  propCutoff: string | undefined;
  lastPayoutSequence: number;
  payouts: Map<string, LedgerPayout>;
  /**
   * Allocations returned to balances by abandoned payouts since the last plan's position (see applyPlan), and
   * taken back (negative) by payouts that landed after being abandoned.
   */
  returns: { position: string; launcherId: string; amount: bigint }[];
  paused: boolean;
}

/** Anything the fold reads; other event types are ignored, so callers can feed it the whole store. */
export type PayoutLedgerEvent = FarmerEvent | PartialEvent | RewardEvent | PayoutEvent | PayoutsControlEvent;

/**
 * The event types the fold reads. A reader may ask the store for only these (PartialSubmitted, RewardDetected
 * and DifficultyChanged, about half of a pool's events, move no points or money until a later event does).
 */
export const PAYOUT_LEDGER_EVENT_TYPES = [
  'FarmerRegistered',
  'FarmerUpdated',
  'FarmerLeftPool',
  'FarmerRejoinedPool',
  'PartialConfirmed',
  'PartialReverted',
  'RewardAbsorbed',
  'RewardReverted',
  'PayoutPlanned',
  'PayoutSent',
  'PayoutConfirmed',
  'PayoutFailed',
  'PayoutsPaused',
  'PayoutsResumed',
] as const;

export function createPayoutLedger(): PayoutLedger {
  return {
    position: undefined,
    farmers: new Map(),
    partials: [],
    partialIndex: new Map(),
    rewards: new Map(),
    rewardDeficit: 0n,
    returnedFunds: 0n,
    propCutoff: undefined,
    lastPayoutSequence: 0,
    payouts: new Map(),
    returns: [],
    paused: false,
  };
}

function farmer(ledger: PayoutLedger, launcherId: string): FarmerLedgerEntry {
  let entry = ledger.farmers.get(launcherId);
  if (entry === undefined) {
    // A partial can name a farmer whose registration this reader has not seen (a filtered read): track it.
    entry = { launcherId, puzzleHash: null, member: true, pointsSinceLastPayout: 0n, carried: 0n, revertedAfterPayout: 0n };
    ledger.farmers.set(launcherId, entry);
  }
  return entry;
}

const afterCutoff = (ledger: PayoutLedger, position: string): boolean => ledger.propCutoff === undefined || position > ledger.propCutoff;

/**
 * Applies one event to the ledger IN PLACE and returns the same object: a replay of millions of events
 * cannot afford a copy per event. Callers that need an earlier state keep their own (see auditLedger).
 * `position` is the event's store position; events must arrive in store order.
 */
export function applyToPayoutLedger(ledger: PayoutLedger, event: { type: string; data: unknown }, position: string): PayoutLedger {
  ledger.position = position;
  const e = event as PayoutLedgerEvent;
  switch (e.type) {
    case 'FarmerRegistered': {
      const entry = farmer(ledger, e.data.launcherId);
      entry.puzzleHash = e.data.payoutPuzzleHash;
      entry.member = true;
      break;
    }
    case 'FarmerUpdated':
      if (e.data.payoutPuzzleHash !== undefined) farmer(ledger, e.data.launcherId).puzzleHash = e.data.payoutPuzzleHash;
      break;
    case 'FarmerLeftPool':
      farmer(ledger, e.data.launcherId).member = false;
      break;
    case 'FarmerRejoinedPool':
      farmer(ledger, e.data.launcherId).member = true;
      break;
    case 'PartialConfirmed': {
      if (ledger.partialIndex.has(e.data.proofHash)) break; // the partial decider forbids it; a replay must not double-count
      const points = BigInt(e.data.points);
      ledger.partialIndex.set(e.data.proofHash, ledger.partials.length);
      const entry = farmer(ledger, e.data.launcherId);
      // The farmer entry's launcher id, not the event's copy: a replay holds every confirmed partial, and one shared
      // string per farmer instead of one per partial is about a fifth of that memory.
      ledger.partials.push({ proofHash: e.data.proofHash, launcherId: entry.launcherId, points, confirmedAt: e.data.confirmedAt, position, reverted: false });
      entry.pointsSinceLastPayout += points;
      break;
    }
    case 'PartialReverted': {
      if (!e.data.wasConfirmed) break;
      const index = ledger.partialIndex.get(e.data.proofHash);
      const partial = index === undefined ? undefined : ledger.partials[index];
      if (partial === undefined || partial.reverted) break;
      partial.reverted = true;
      const entry = farmer(ledger, partial.launcherId);
      if (afterCutoff(ledger, partial.position)) entry.pointsSinceLastPayout -= partial.points;
      else entry.revertedAfterPayout += partial.points;
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
      applyPlan(ledger, e.data);
      break;
    case 'PayoutSent': {
      const payout = ledger.payouts.get(e.data.payoutId);
      if (payout !== undefined && (payout.status === 'planned' || payout.status === 'sent')) payout.status = 'sent';
      break;
    }
    case 'PayoutConfirmed': {
      const payout = ledger.payouts.get(e.data.payoutId);
      if (payout === undefined || payout.status === 'confirmed') break;
      if (payout.status === 'abandoned') {
        // The coins are on chain after all: the money the abandonment returned was paid by this payout.
        for (const allocation of payout.allocations) {
          farmer(ledger, allocation.launcherId).carried -= allocation.amount;
          ledger.returns.push({ position, launcherId: allocation.launcherId, amount: -allocation.amount });
        }
        ledger.returnedFunds -= payout.poolFee + payout.blockchainFee;
      }
      payout.status = 'confirmed';
      break;
    }
    case 'PayoutFailed': {
      const payout = ledger.payouts.get(e.data.payoutId);
      if (e.data.willRetry && payout !== undefined && payout.status === 'sent') payout.status = 'planned';
      if (e.data.willRetry || payout === undefined || payout.status === 'abandoned' || payout.status === 'confirmed') break;
      payout.status = 'abandoned';
      for (const allocation of payout.allocations) {
        farmer(ledger, allocation.launcherId).carried += allocation.amount;
        ledger.returns.push({ position, launcherId: allocation.launcherId, amount: allocation.amount });
      }
      ledger.returnedFunds += payout.poolFee + payout.blockchainFee;
      break;
    }
    case 'PayoutsPaused':
      ledger.paused = true;
      break;
    case 'PayoutsResumed':
      ledger.paused = false;
      break;
  }
  return ledger;
}

function applyPlan(ledger: PayoutLedger, data: Extract<PayoutEvent, { type: 'PayoutPlanned' }>['data']): void {
  if (ledger.payouts.has(data.payoutId)) return;
  for (const coinId of data.rewardCoinIds) {
    const reward = ledger.rewards.get(coinId);
    if (reward === undefined) continue;
    // Reverted between the plan's ledger position and now: the plan paid it out anyway, so it is a deficit. It
    // stays reverted (it is not in the wallet), so the books count it once, as the deficit.
    if (reward.state === 'reverted') ledger.rewardDeficit += reward.amount;
    else reward.state = 'distributed';
  }
  ledger.rewardDeficit -= BigInt(data.deficitRecovered ?? '0');
  ledger.returnedFunds -= BigInt(data.returnedFunds ?? '0');

  // The plan recorded every balance after the run (absolute), so anyone not listed carries nothing; money an
  // abandoned payout returned after the plan's position was not in that picture and is added back on top.
  for (const entry of ledger.farmers.values()) entry.carried = 0n;
  for (const c of data.carried) farmer(ledger, c.launcherId).carried = BigInt(c.amount);
  const later = ledger.returns.filter((r) => r.position > data.ledgerPosition);
  for (const r of later) farmer(ledger, r.launcherId).carried += r.amount;
  ledger.returns = later;

  // PROP: points confirmed at or before the plan's position are paid; later ones (appended while the plan was
  // being made) start the next period. They sit at the end of `partials`, so only that tail is walked.
  if (ledger.propCutoff === undefined || data.ledgerPosition > ledger.propCutoff) {
    for (const entry of ledger.farmers.values()) entry.pointsSinceLastPayout = 0n;
    for (let i = ledger.partials.length - 1; i >= 0; i--) {
      const partial = ledger.partials[i]!;
      if (partial.position <= data.ledgerPosition) break;
      if (!partial.reverted) farmer(ledger, partial.launcherId).pointsSinceLastPayout += partial.points;
    }
    ledger.propCutoff = data.ledgerPosition;
  }

  ledger.lastPayoutSequence = Math.max(ledger.lastPayoutSequence, data.sequence);
  ledger.payouts.set(data.payoutId, {
    payoutId: data.payoutId,
    sequence: data.sequence,
    allocations: data.allocations.map((a) => ({ launcherId: a.launcherId, amount: BigInt(a.amount) })),
    poolFee: BigInt(data.poolFee.amount),
    blockchainFee: BigInt(data.blockchainFee),
    status: 'planned',
  });
}

/** Rewards a plan would distribute now, in coin id order (the order plans record them in). */
export function undistributedRewards(ledger: PayoutLedger): LedgerReward[] {
  const rewards: LedgerReward[] = [];
  for (const reward of ledger.rewards.values()) if (reward.state === 'undistributed') rewards.push(reward);
  return rewards.sort((a, b) => (a.coinId < b.coinId ? -1 : a.coinId > b.coinId ? 1 : 0));
}

/** A payout planned or sent and neither confirmed nor abandoned: the saga must resolve it before planning again. */
export function unresolvedPayouts(ledger: PayoutLedger): LedgerPayout[] {
  return [...ledger.payouts.values()].filter((p) => p.status === 'planned' || p.status === 'sent').sort((a, b) => a.sequence - b.sequence);
}
