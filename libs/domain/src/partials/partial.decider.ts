import { type Decider } from '@pool/event-sourcing';
import { currentSchemaVersion } from '../ledger/pool-event';
import { DomainError } from '../shared/domain-error';
import { boundedHeader } from './partial-submitted.schema';
import type { PartialEvent, PartialRevertReason, PartialSubmitted } from './partial.events';

export type SubmitPartial = { type: 'SubmitPartial' } & PartialSubmitted['data'];

export interface ConfirmPartial {
  type: 'ConfirmPartial';
  now: number;
}

export interface RevertPartial {
  type: 'RevertPartial';
  reason: PartialRevertReason;
  forkHeight?: number;
  now: number;
}

export type PartialCommand = SubmitPartial | ConfirmPartial | RevertPartial;

export type PartialState =
  | { status: 'none' }
  | { status: 'submitted' | 'confirmed' | 'reverted'; launcherId: string; proofHash: string; points: string };

/**
 * One partial's life: submitted once (the stream is created with "no stream", so a proof can never be
 * credited twice, whichever api instance sees it), then confirmed or reverted; a confirmed partial can
 * still be reverted by a reorg. Confirming or reverting a settled partial again changes nothing.
 */
export const partialDecider: Decider<PartialCommand, PartialEvent, PartialState> = {
  initialState: () => ({ status: 'none' }),

  decide(command, state) {
    switch (command.type) {
      case 'SubmitPartial': {
        if (state.status !== 'none') {
          throw new DomainError('DUPLICATE_PARTIAL', `proof ${command.proofHash} was already submitted; a proof is credited once`);
        }
        const { type: _type, ...data } = command;
        // The headers are the farmer's free text: bounded here, so no caller can let one bloat the ledger.
        return [
          {
            type: 'PartialSubmitted',
            data: {
              ...data,
              farmerVersion: boundedHeader(data.farmerVersion),
              harvesterVersion: boundedHeader(data.harvesterVersion),
              userAgent: boundedHeader(data.userAgent),
            },
          },
        ];
      }
      case 'ConfirmPartial':
        if (state.status === 'none') throw new DomainError('INVALID_STATE', 'cannot confirm a partial that was never submitted');
        if (state.status !== 'submitted') return [];
        return [
          { type: 'PartialConfirmed', data: { launcherId: state.launcherId, proofHash: state.proofHash, points: state.points, confirmedAt: command.now } },
        ];
      case 'RevertPartial':
        if (state.status === 'none') throw new DomainError('INVALID_STATE', 'cannot revert a partial that was never submitted');
        if (state.status === 'reverted') return [];
        return [
          {
            type: 'PartialReverted',
            data: {
              launcherId: state.launcherId,
              proofHash: state.proofHash,
              points: state.points,
              reason: command.reason,
              wasConfirmed: state.status === 'confirmed',
              revertedAt: command.now,
              ...(command.forkHeight !== undefined ? { forkHeight: command.forkHeight } : {}),
            },
          },
        ];
    }
  },

  schemaVersion: (event) => currentSchemaVersion(event.type),

  evolve(state, event) {
    switch (event.type) {
      case 'PartialSubmitted':
        return { status: 'submitted', launcherId: event.data.launcherId, proofHash: event.data.proofHash, points: event.data.points };
      case 'PartialConfirmed':
        return state.status === 'none' ? state : { ...state, status: 'confirmed' };
      case 'PartialReverted':
        return state.status === 'none' ? state : { ...state, status: 'reverted' };
    }
  },
};
