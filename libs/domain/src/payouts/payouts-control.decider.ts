import { type Decider } from '@pool/event-sourcing';
import { DomainError } from '../shared/domain-error';
import type { PayoutsControlEvent, PayoutsPaused } from './payout.events';

type ControlData = PayoutsPaused['data'];

export interface PausePayouts {
  type: 'PausePayouts';
  reason: string;
  by: ControlData['by'];
  now: number;
}

export interface ResumePayouts {
  type: 'ResumePayouts';
  reason: string;
  by: ControlData['by'];
  now: number;
}

export type PayoutsControlCommand = PausePayouts | ResumePayouts;

export interface PayoutsControlState {
  paused: boolean;
  /** The fact that set the current state, for `payouts status`. */
  last: ControlData | null;
}

/**
 * The operator switch in stream `payouts-control`. Pausing a paused ledger (or resuming a running one)
 * records nothing, so the config and the pause file can be re-applied on every loop without flooding the
 * stream; every change needs a reason.
 */
export const payoutsControlDecider: Decider<PayoutsControlCommand, PayoutsControlEvent, PayoutsControlState> = {
  initialState: () => ({ paused: false, last: null }),

  decide(command, state) {
    if (command.reason.trim() === '') throw new DomainError('REQUEST_FAILED', `${command.type} needs a reason`);
    const pause = command.type === 'PausePayouts';
    if (pause === state.paused) return [];
    const data = { reason: command.reason, by: command.by, at: command.now };
    return [pause ? { type: 'PayoutsPaused', data } : { type: 'PayoutsResumed', data }];
  },

  evolve(_state, event) {
    return { paused: event.type === 'PayoutsPaused', last: event.data };
  },
};
