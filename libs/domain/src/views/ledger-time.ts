/**
 * Ledger time: the time an event itself records (unix seconds, chosen by the command that produced it). Views
 * that depend on "now" (the last 24 h, retention) use the newest ledger time seen instead of the wall clock,
 * so replaying the same events always gives the same tables.
 */
const TIME_FIELD: Readonly<Record<string, string>> = {
  PartialSubmitted: 'receivedAt',
  PartialConfirmed: 'confirmedAt',
  PartialReverted: 'revertedAt',
  FarmerRegistered: 'registeredAt',
  FarmerUpdated: 'updatedAt',
  DifficultyChanged: 'changedAt',
  FarmerLeftPool: 'at',
  FarmerRejoinedPool: 'at',
  FarmerDisplayNameSet: 'setAt',
  FarmerMinimumPayoutSet: 'setAt',
  RewardDetected: 'detectedAt',
  RewardAbsorbed: 'absorbedAt',
  RewardReverted: 'revertedAt',
  PayoutPlanned: 'plannedAt',
  PayoutSent: 'sentAt',
  PayoutConfirmed: 'confirmedAt',
  PayoutFailed: 'failedAt',
  PayoutsPaused: 'at',
  PayoutsResumed: 'at',
};

export const SECONDS_PER_HOUR = 3600;
export const SECONDS_PER_DAY = 86_400;

/** Whole unix seconds the event records, or undefined for an event type without a time. */
export function ledgerTimeOf(event: { type: string; data: unknown }): number | undefined {
  // The hot path of every projection: partial events first, without the generic lookup.
  const data = event.data as Record<string, unknown>;
  let value: unknown;
  switch (event.type) {
    case 'PartialSubmitted':
      value = data.receivedAt;
      break;
    case 'PartialConfirmed':
      value = data.confirmedAt;
      break;
    case 'PartialReverted':
      value = data.revertedAt;
      break;
    default: {
      const field = TIME_FIELD[event.type];
      if (field === undefined) return undefined;
      value = data[field];
    }
  }
  return typeof value === 'number' && Number.isFinite(value) ? Math.floor(value) : undefined;
}

/** Start of the UTC hour containing `t` (unix seconds). */
export function hourOf(t: number): number {
  return Math.floor(t / SECONDS_PER_HOUR) * SECONDS_PER_HOUR;
}

/** Start of the UTC day containing `t` (unix seconds). */
export function dayOf(t: number): number {
  return Math.floor(t / SECONDS_PER_DAY) * SECONDS_PER_DAY;
}
