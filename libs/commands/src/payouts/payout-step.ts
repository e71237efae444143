import { payoutDecider, payoutStream, type PayoutCommand, type PayoutEvent } from '@pool/domain';
import { type StreamCommandRunner } from '@pool/event-sourcing';

/** Which payout a step is for, and how many attempts of it had failed when the step was taken. */
export interface PayoutRef {
  payoutId: string;
  sequence: number;
  /** Failed attempts recorded so far: part of the idempotency key of a sent or confirmed step. */
  failedAttempts: number;
}

/**
 * Records one step of payout `payout-<sequence>` through the payout decider (which refuses a step the stream's
 * facts contradict). The idempotency key names the step, so a retried append of the same step cannot record it twice.
 */
export async function recordPayoutStep(runner: StreamCommandRunner, sequence: number, command: Exclude<PayoutCommand, { type: 'PlanPayout' }>, idempotencyKey: string): Promise<PayoutEvent[]> {
  const { events } = await runner.run(payoutStream(sequence), payoutDecider, command, { cache: false, idempotencyKey });
  return events;
}
