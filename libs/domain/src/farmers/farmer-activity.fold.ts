import type { PartialEvent } from '../partials/partial.events';
import type { PayoutPlanned } from '../payouts/payout.events';
import type { RecentPartial } from './difficulty.policy';

/**
 * What the write side needs to know about each farmer's partials, folded from the ledger's own events (never
 * from a read model): the recent accepted partials the difficulty policy judges, and the confirmed points of
 * the current payout window that GET /farmer reports as `current_points`.
 *
 * Payout window: a PayoutPlanned considered every event up to its `ledgerPosition`, so it ends the window
 * there for every farmer. A farmer's `current_points` = points of its partials confirmed after that position
 * and not reverted since: exactly the PROP basis the payout ledger (payouts/payout-ledger.ts,
 * `pointsSinceLastPayout`) computes, so GET /farmer shows what the next payout will count. A partial reverted
 * after a payout already paid for it is not taken back from the new window (the payout ledger's rule).
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
  /** Partials confirmed after the current window began and not reverted, by proof hash, in position order. */
  window: Map<string, { position: string; points: bigint }>;
  currentPoints: bigint;
}

export interface FarmerActivity {
  readonly recentLimit: number;
  readonly farmers: Map<string, FarmerActivityEntry>;
  /** `ledgerPosition` of the newest PayoutPlanned: where the current window began. */
  windowStart: string | undefined;
}

export type FarmerActivityEvent = PartialEvent | PayoutPlanned;

export const FARMER_ACTIVITY_EVENT_TYPES = ['PartialSubmitted', 'PartialConfirmed', 'PartialReverted', 'PayoutPlanned'] as const;

/** `recentLimit`: how many partials the difficulty policy looks at (its partials target, 300 in the reference). */
export function createFarmerActivity(recentLimit: number): FarmerActivity {
  if (!Number.isInteger(recentLimit) || recentLimit < 1) throw new RangeError(`recentLimit must be a positive integer, got ${recentLimit}`);
  return { recentLimit, farmers: new Map(), windowStart: undefined };
}

function entryOf(activity: FarmerActivity, launcherId: string): FarmerActivityEntry {
  let entry = activity.farmers.get(launcherId);
  if (!entry) {
    entry = { recent: [], window: new Map(), currentPoints: 0n };
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
    case 'PartialConfirmed': {
      const entry = entryOf(activity, event.data.launcherId);
      // An event at or before the window start belongs to a payout already planned; a second confirmation
      // of one partial (the partial decider forbids it) must not count twice.
      if (activity.windowStart !== undefined && position <= activity.windowStart) return;
      if (entry.window.has(event.data.proofHash)) return;
      const points = BigInt(event.data.points);
      entry.window.set(event.data.proofHash, { position, points });
      entry.currentPoints += points;
      return;
    }
    case 'PartialReverted': {
      const entry = entryOf(activity, event.data.launcherId);
      const at = entry.recent.findIndex((p) => p.proofHash === event.data.proofHash);
      if (at >= 0) entry.recent.splice(at, 1);
      if (!event.data.wasConfirmed) return;
      const confirmed = entry.window.get(event.data.proofHash);
      if (confirmed === undefined) return; // confirmed in a window a payout has already paid for
      entry.currentPoints -= confirmed.points;
      entry.window.delete(event.data.proofHash);
      return;
    }
    case 'PayoutPlanned': {
      const end = event.data.ledgerPosition;
      if (activity.windowStart !== undefined && end <= activity.windowStart) return;
      activity.windowStart = end;
      for (const entry of activity.farmers.values()) {
        // Insertion order is position order: the paid-for partials are a prefix.
        for (const [proofHash, confirmed] of entry.window) {
          if (confirmed.position > end) break;
          entry.currentPoints -= confirmed.points;
          entry.window.delete(proofHash);
        }
      }
      return;
    }
  }
}

/** The farmer's recent accepted partials, newest first (empty for a farmer with none). */
export function recentPartialsOf(activity: FarmerActivity, launcherId: string): readonly RecentPartialEntry[] {
  return activity.farmers.get(launcherId)?.recent ?? [];
}

/** Confirmed points in the current payout window. */
export function currentPointsOf(activity: FarmerActivity, launcherId: string): bigint {
  return activity.farmers.get(launcherId)?.currentPoints ?? 0n;
}
