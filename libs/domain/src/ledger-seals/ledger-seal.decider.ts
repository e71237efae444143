import { type Decider } from '@pool/event-sourcing';
import { DomainError } from '../shared/domain-error';
import { LEDGER_ENCODING_VERSION } from './ledger-encoding';
import type { LedgerEvent, LedgerSealed, SealReason } from './ledger-seal.events';

export interface SealLedger {
  type: 'SealLedger';
  /** The covered position of the seal this one continues (null: the first seal); the chain was computed from there. */
  previousPosition: string | null;
  coveredPosition: string;
  eventCount: number;
  hash: string;
  eventDigests: string;
  reason: SealReason;
  payoutId: string | null;
  now: number;
}

export type LedgerSealCommand = SealLedger;

export interface LedgerSealState {
  /** The newest seal, or null before the first. */
  last: LedgerSealed['data'] | null;
}

/**
 * The `ledger-seals` stream. A seal continues the newest one: a sealer whose chain started from an older seal (another
 * worker sealed in between) is refused, and re-reads the stream; a seal of what is already sealed records nothing, so
 * a retried seal (or two sealers at one point) appends once.
 */
export const ledgerSealDecider: Decider<LedgerSealCommand, LedgerEvent, LedgerSealState> = {
  initialState: () => ({ last: null }),

  decide(command, state) {
    const last = state.last;
    if (last !== null && command.coveredPosition <= last.coveredPosition) return [];
    if ((last?.coveredPosition ?? null) !== command.previousPosition) {
      throw new DomainError(
        'INVALID_STATE',
        `seal after ${command.previousPosition ?? 'the start'}: the newest seal covers ${last?.coveredPosition ?? 'nothing'}; start the chain again from it`,
      );
    }
    if (!Number.isSafeInteger(command.eventCount) || command.eventCount <= (last?.eventCount ?? 0)) {
      throw new DomainError('REQUEST_FAILED', `seal event count ${command.eventCount} does not pass the previous seal's ${last?.eventCount ?? 0}`);
    }
    if (!/^[0-9a-f]{64}$/.test(command.hash)) throw new DomainError('REQUEST_FAILED', `seal hash ${command.hash} is not 32 bytes of hex`);
    return [
      {
        type: 'LedgerSealed',
        data: {
          sequence: (last?.sequence ?? 0) + 1,
          encoding: LEDGER_ENCODING_VERSION,
          reason: command.reason,
          payoutId: command.payoutId,
          previousPosition: command.previousPosition,
          coveredPosition: command.coveredPosition,
          eventCount: command.eventCount,
          hash: command.hash,
          eventDigests: command.eventDigests,
          sealedAt: command.now,
        },
      },
    ];
  },

  evolve(_state, event) {
    return { last: event.data };
  },
};
