import { Command } from '@nestjs/cqrs';
import { type PayoutEvent } from '@pool/domain';

/** A send attempt failed; `maxAttempts` is the workflow's retry decision for this attempt. */
export class RecordPayoutFailedCommand extends Command<PayoutEvent[]> {
  constructor(
    readonly payout: { payoutId: string; sequence: number },
    readonly reason: string,
    /** The attempt that failed (1-based): a retried command for an attempt already recorded records nothing. */
    readonly attempt: number,
    readonly maxAttempts: number,
    /** Unix seconds. */
    readonly now: number,
  ) {
    super();
  }
}
