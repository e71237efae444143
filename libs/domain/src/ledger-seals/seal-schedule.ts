import type { SealReason } from './ledger-seal.events';

/** When the sealer seals besides at every payout plan: after this many events, or this many seconds with something new. */
export interface SealSchedule {
  everyEvents: number;
  everySeconds: number;
}

export const DEFAULT_SEAL_SCHEDULE: SealSchedule = Object.freeze({ everyEvents: 10_000, everySeconds: 600 });

/**
 * Whether the event just added to the chain calls for a seal covering it: a PayoutPlanned always (the period a payout
 * closes is sealed through its own plan, so it can be exported and checked), a BooksClosed always (a closing is what
 * later folds start from, so it is sealed as soon as it is recorded), otherwise once the segment holds `everyEvents`
 * events.
 */
export function sealAfterEvent(type: string, segmentLength: number, schedule: SealSchedule): SealReason | null {
  if (type === 'PayoutPlanned') return 'payout';
  if (type === 'BooksClosed') return 'closing';
  return segmentLength >= schedule.everyEvents ? 'interval' : null;
}

/**
 * Whether the sealer, caught up, seals what it has: `everySeconds` passed since the last seal and the segment holds
 * an event other than seals (sealing nothing but the previous seal would seal forever on an idle ledger).
 */
export function sealAfterTime(secondsSinceSeal: number, newEventsOtherThanSeals: number, schedule: SealSchedule): SealReason | null {
  return newEventsOtherThanSeals > 0 && secondsSinceSeal >= schedule.everySeconds ? 'interval' : null;
}
