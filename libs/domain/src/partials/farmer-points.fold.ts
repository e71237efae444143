import type { PartialEvent } from './partial.events';

/** Per-farmer change in points and partial counts that a run of partial events causes. */
export interface FarmerPointsDelta {
  pendingPoints: bigint;
  confirmedPoints: bigint;
  revertedPoints: bigint;
  submitted: number;
  confirmed: number;
  reverted: number;
  lastPartialAt: number | null;
}

const zero = (): FarmerPointsDelta => ({
  pendingPoints: 0n,
  confirmedPoints: 0n,
  revertedPoints: 0n,
  submitted: 0,
  confirmed: 0,
  reverted: 0,
  lastPartialAt: null,
});

/**
 * Pure fold from partial events to per-farmer deltas: submitted points are pending until confirmed;
 * a revert takes them back from wherever they were. Projections add the deltas to stored balances.
 */
export function foldFarmerPoints(events: readonly PartialEvent[]): Map<string, FarmerPointsDelta> {
  const deltas = new Map<string, FarmerPointsDelta>();
  for (const event of events) {
    const delta = deltas.get(event.data.launcherId) ?? zero();
    deltas.set(event.data.launcherId, delta);
    const points = BigInt(event.data.points);
    switch (event.type) {
      case 'PartialSubmitted':
        delta.pendingPoints += points;
        delta.submitted += 1;
        delta.lastPartialAt = Math.max(delta.lastPartialAt ?? 0, event.data.receivedAt);
        break;
      case 'PartialConfirmed':
        delta.pendingPoints -= points;
        delta.confirmedPoints += points;
        delta.confirmed += 1;
        break;
      case 'PartialReverted':
        if (event.data.wasConfirmed) delta.confirmedPoints -= points;
        else delta.pendingPoints -= points;
        delta.revertedPoints += points;
        delta.reverted += 1;
        break;
    }
  }
  return deltas;
}
