import { exhaustive } from '@pool/event-sourcing';
import { eventTypesOf, type PoolEventOf } from '../ledger/pool-event';
import { applyToPayoutWindow, createPayoutWindow, endWindow, type PayoutWindow } from '../payouts/payout-window.fold';
import type { RecentPartial } from './difficulty.policy';

/**
 * What the write side needs to know about each farmer's partials, folded from the ledger's own events (never
 * from a read model): the recent accepted partials the difficulty policy judges, and the confirmed points of
 * the current payout window that GET /farmer reports as `current_points`, which the payout window fold
 * (payouts/payout-window.fold.ts) computes, so GET /farmer shows what the next payout will count.
 *
 * The fold mutates the activity it is given (it runs once per event on the hot path); replaying the same
 * events into a fresh activity gives the same result.
 */
export interface RecentPartialEntry extends RecentPartial {
  proofHash: string;
}

export interface FarmerActivityEntry {
  /** Accepted (submitted, not reverted) partials, newest first, at most `recentLimit`. */
  recent: RecentPartialEntry[];
}

export interface FarmerActivity {
  readonly recentLimit: number;
  readonly farmers: Map<string, FarmerActivityEntry>;
  /** The points side of the payout window: confirms, reverts and where plans end the window. */
  readonly window: PayoutWindow;
  /** `ledgerPosition` of the newest PayoutPlanned: where the current window began. */
  readonly windowStart: string | undefined;
}

/** Every partial event (a new one must be handled below) and the plans that end a window. */
export const FARMER_ACTIVITY_EVENT_TYPES = [...eventTypesOf('partial'), 'PayoutPlanned' as const];

export type FarmerActivityEvent = PoolEventOf<(typeof FARMER_ACTIVITY_EVENT_TYPES)[number]>;

/** `recentLimit`: how many partials the difficulty policy looks at (its partials target, 300 in the reference). */
export function createFarmerActivity(recentLimit: number): FarmerActivity {
  if (!Number.isInteger(recentLimit) || recentLimit < 1) throw new RangeError(`recentLimit must be a positive integer, got ${recentLimit}`);
  const window = createPayoutWindow();
  return {
    recentLimit,
    farmers: new Map(),
    window,
    get windowStart() {
      return window.propCutoff;
    },
  };
}

function entryOf(activity: FarmerActivity, launcherId: string): FarmerActivityEntry {
  let entry = activity.farmers.get(launcherId);
  if (!entry) {
    entry = { recent: [] };
    activity.farmers.set(launcherId, entry);
  }
  return entry;
}

/**
 * Adds an accepted partial to its farmer's recent window, in receive-time order. Idempotent by proof hash, so
 * the api can record its own partial at once and meet it again when it reads the store.
 */
export function recordAcceptedPartial(activity: FarmerActivity, launcherId: string, partial: RecentPartialEntry): void {
  const { recent } = entryOf(activity, launcherId);
  if (recent.some((p) => p.proofHash === partial.proofHash)) return;
  let at = 0;
  while (at < recent.length && recent[at]!.timestamp > partial.timestamp) at++;
  if (at >= activity.recentLimit) return; // older than everything the window keeps
  recent.splice(at, 0, partial);
  if (recent.length > activity.recentLimit) recent.length = activity.recentLimit;
}

/** Applies one ledger event at its store position (positions are fixed-width strings: string order is store order). */
export function applyToFarmerActivity(activity: FarmerActivity, event: FarmerActivityEvent, position: string): void {
  switch (event.type) {
    case 'PartialSubmitted': {
      const d = event.data;
      recordAcceptedPartial(activity, d.launcherId, { proofHash: d.proofHash, timestamp: d.receivedAt, difficulty: BigInt(d.points) });
      return;
    }
    case 'PartialConfirmed':
      applyToPayoutWindow(activity.window, event, position);
      return;
    case 'PartialReverted': {
      const entry = entryOf(activity, event.data.launcherId);
      const at = entry.recent.findIndex((p) => p.proofHash === event.data.proofHash);
      if (at >= 0) entry.recent.splice(at, 1);
      applyToPayoutWindow(activity.window, event, position);
      return;
    }
    case 'PayoutPlanned':
      // Only the points side: the activity follows no balances, so it keeps no payouts.
      endWindow(activity.window, event.data.ledgerPosition, event.data.sequence);
      return;
    default:
      exhaustive(event);
  }
}

/** The farmer's recent accepted partials, newest first (empty for a farmer with none). */
export function recentPartialsOf(activity: FarmerActivity, launcherId: string): readonly RecentPartialEntry[] {
  return activity.farmers.get(launcherId)?.recent ?? [];
}

/** Confirmed points in the current payout window. */
export function currentPointsOf(activity: FarmerActivity, launcherId: string): bigint {
  return activity.window.farmers.get(launcherId)?.pointsSinceLastPayout ?? 0n;
}
