import { Command } from '@nestjs/cqrs';
import { type PayoutEvent } from '@pool/domain';
import { type PayoutRef } from './payout-step';

/** Every expected coin of the payout is on chain at the confirmation depth. */
export class RecordPayoutConfirmedCommand extends Command<PayoutEvent[]> {
  constructor(
    readonly payout: PayoutRef,
    readonly confirmedHeight: number,
    /** Unix seconds. */
    readonly now: number,
  ) {
    super();
  }
}
