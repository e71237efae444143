import { Command } from '@nestjs/cqrs';
import { type PayoutEvent, type SignedPayoutTransaction } from '@pool/domain';
import { type PayoutRef } from './payout-step';

/** Sent transactions were signed again with a higher fee: record the new versions before they are pushed. */
export class RecordPayoutFeeBumpedCommand extends Command<PayoutEvent[]> {
  constructor(
    readonly payout: PayoutRef,
    readonly transactions: SignedPayoutTransaction[],
    /** Why, for the operator (how long they waited, the node's estimate). */
    readonly reason: string,
    /** The chain's peak when they were signed again. */
    readonly height: number,
    /** Unix seconds. */
    readonly now: number,
  ) {
    super();
  }
}
