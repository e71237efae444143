import { type Decider } from '@pool/event-sourcing';
import { DomainError } from '../shared/domain-error';
import type { PayoutsControlEvent, PayoutsPaused } from './payout.events';

/** Who holds payouts: an operator (api, poolctl), `payouts.paused` in the config, or the pause file. */
export type PauseSource = PayoutsPaused['data']['by'];

export interface PausePayouts {
  type: 'PausePayouts';
  reason: string;
  by: PauseSource;
  now: number;
}

export interface ResumePayouts {
  type: 'ResumePayouts';
  reason: string;
  by: PauseSource;
  now: number;
}

export type PayoutsControlCommand = PausePayouts | ResumePayouts;

export interface PauseRecord {
  reason: string;
  at: number;
}

/** Which switches hold payouts now; payouts run only while none does. */
export interface PayoutsControlState {
  paused: boolean;
  /** The switches that are on, each with the reason it was set. */
  pausedBy: Partial<Record<PauseSource, PauseRecord>>;
  /** Every pause and resume, oldest first, for `poolctl payouts status` and the operator endpoints. */
  history: PayoutsControlEvent[];
}

/**
 * The payout switches in stream `payouts-control`, one per source. The switches are independent: an operator
 * resume does not lift a pause file, and removing the file does not undo an operator pause; the last event of a
 * source sets its switch. Setting a switch to the state it already has records nothing, so the config and the pause
 * file can be re-applied on every run (and a request retried) without stacking events; every change needs a reason.
 */
export const payoutsControlDecider: Decider<PayoutsControlCommand, PayoutsControlEvent, PayoutsControlState> = {
  initialState: () => ({ paused: false, pausedBy: {}, history: [] }),

  decide(command, state) {
    const reason = command.reason.trim();
    if (reason === '') throw new DomainError('REQUEST_FAILED', `${command.type} needs a reason`);
    const pause = command.type === 'PausePayouts';
    if ((state.pausedBy[command.by] !== undefined) === pause) return [];
    const data = { reason, by: command.by, at: command.now };
    return [pause ? { type: 'PayoutsPaused', data } : { type: 'PayoutsResumed', data }];
  },

  evolve(state, event) {
    const pausedBy = { ...state.pausedBy };
    if (event.type === 'PayoutsPaused') pausedBy[event.data.by] = { reason: event.data.reason, at: event.data.at };
    else delete pausedBy[event.data.by];
    return { paused: Object.keys(pausedBy).length > 0, pausedBy, history: [...state.history, event] };
  },
};
