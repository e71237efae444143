import {
  PAYOUTS_CONTROL_STREAM,
  type PayoutsControlEvent,
  type PayoutsPaused,
} from '@pool/domain';
import { deterministicEventId, StreamNotFoundError, WrongExpectedRevisionError, type EventStore } from '@pool/event-sourcing';

export type PauseSource = PayoutsPaused['data']['by'];

export interface PauseRecord {
  reason: string;
  at: number;
}

/** Which switches hold payouts now; payouts run only while none does. */
export interface PayoutsControlState {
  paused: boolean;
  /** The switches that are on, each with the reason it was set. */
  pausedBy: Partial<Record<PauseSource, PauseRecord>>;
  /** Revision of the last control event; undefined while the stream does not exist. */
  revision: bigint | undefined;
  /** Every pause and resume, oldest first, for `poolctl payouts status`. */
  history: PayoutsControlEvent[];
}

/**
 * The switches are independent: an operator resume does not lift a pause file, and removing the file does not
 * undo an operator pause. Each source is one flag; the last event of that source wins.
 */
export function foldPayoutsControl(events: readonly PayoutsControlEvent[], revision?: bigint): PayoutsControlState {
  const pausedBy: Partial<Record<PauseSource, PauseRecord>> = {};
  for (const event of events) {
    if (event.type === 'PayoutsPaused') pausedBy[event.data.by] = { reason: event.data.reason, at: event.data.at };
    else delete pausedBy[event.data.by];
  }
  return { paused: Object.keys(pausedBy).length > 0, pausedBy, revision, history: [...events] };
}

export async function readPayoutsControl(store: EventStore): Promise<PayoutsControlState> {
  try {
    const recorded = await store.readStream(PAYOUTS_CONTROL_STREAM);
    const events = recorded
      .filter((e) => e.type === 'PayoutsPaused' || e.type === 'PayoutsResumed')
      .map((e) => ({ type: e.type, data: e.data }) as PayoutsControlEvent);
    return foldPayoutsControl(events, recorded.length === 0 ? undefined : recorded[recorded.length - 1]!.revision);
  } catch (error) {
    if (error instanceof StreamNotFoundError) return foldPayoutsControl([]);
    throw error;
  }
}

export interface SetPausedResult {
  /** False when that source was already in the asked state (nothing appended). */
  changed: boolean;
  state: PayoutsControlState;
}

/**
 * Records an operator's (or the saga's, for config and pause file) pause or resume in `payouts-control`.
 * Setting a switch to the state it already has records nothing, so a retried request cannot stack events;
 * a concurrent writer is handled by reading again and re-deciding.
 */
export async function setPayoutsPaused(
  store: EventStore,
  paused: boolean,
  reason: string,
  by: PauseSource,
  now: number,
): Promise<SetPausedResult> {
  const text = reason.trim();
  if (text.length === 0) throw new Error('a pause or resume needs a reason');
  for (let attempt = 1; ; attempt++) {
    const state = await readPayoutsControl(store);
    if ((state.pausedBy[by] !== undefined) === paused) return { changed: false, state };
    const event: PayoutsControlEvent = paused
      ? { type: 'PayoutsPaused', data: { reason: text, by, at: now } }
      : { type: 'PayoutsResumed', data: { reason: text, by, at: now } };
    const revision = state.revision === undefined ? 0n : state.revision + 1n;
    try {
      await store.append(
        PAYOUTS_CONTROL_STREAM,
        // The id covers the whole fact: a different switch racing for this revision conflicts instead of
        // passing for a retry of this one.
        [{ id: deterministicEventId(PAYOUTS_CONTROL_STREAM, revision.toString(), event.type, by, text, String(now)), type: event.type, data: event.data }],
        { expectedRevision: state.revision ?? 'no_stream' },
      );
      return { changed: true, state: foldPayoutsControl([...state.history, event], revision) };
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError) || attempt >= 5) throw error;
    }
  }
}
