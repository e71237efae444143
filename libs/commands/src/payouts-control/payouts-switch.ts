import { PAYOUTS_CONTROL_STREAM, payoutsControlDecider, type PayoutsControlCommand, type PayoutsControlState } from '@pool/domain';
import { type StreamCommandRunner } from '@pool/event-sourcing';

export interface PayoutsSwitchResult {
  /** False when that source was already in the asked state (nothing appended). */
  changed: boolean;
  state: PayoutsControlState;
}

/**
 * Records a pause or resume in `payouts-control` through the per-source decider. A concurrent writer (the api, a
 * worker, poolctl) is handled by the runner: it reads again and re-decides.
 */
export async function switchPayouts(runner: StreamCommandRunner, command: PayoutsControlCommand): Promise<PayoutsSwitchResult> {
  const event = command.type === 'PausePayouts' ? 'PayoutsPaused' : 'PayoutsResumed';
  const { events, state } = await runner.run(PAYOUTS_CONTROL_STREAM, payoutsControlDecider, command, {
    cache: false,
    // The key covers the whole fact (the runner adds stream and revision: the same id as before the command seam),
    // so a different switch racing for this revision conflicts instead of passing for a retry of this one.
    idempotencyKey: [event, command.by, command.reason.trim(), String(command.now)].join('\u001f'),
  });
  return { changed: events.length > 0, state };
}
