import { Command } from '@nestjs/cqrs';
import { type PayoutEvent } from '@pool/domain';
import { type PayoutRef } from './payout-step';

/** The node took the payout's transactions (or they are on chain already): record their ids. */
export class RecordPayoutSentCommand extends Command<PayoutEvent[]> {
  constructor(
    readonly payout: PayoutRef,
    readonly transactionIds: string[],
    /** Unix seconds. */
    readonly now: number,
    /** The chain's peak when they were pushed (absent: not known, e.g. found on chain after a crash). */
    readonly height?: number,
  ) {
    super();
  }
}
