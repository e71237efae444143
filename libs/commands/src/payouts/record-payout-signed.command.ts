import { Command } from '@nestjs/cqrs';
import { type PayoutCommitment, type PayoutEvent, type SignedPayoutTransaction } from '@pool/domain';
import { type PayoutRef } from './payout-step';

/** The wallet signed the payout's transactions without pushing them: record the bundles before any push. */
export class RecordPayoutSignedCommand extends Command<PayoutEvent[]> {
  constructor(
    readonly payout: PayoutRef,
    readonly transactions: SignedPayoutTransaction[],
    /** Unix seconds. */
    readonly now: number,
    /** What the transactions carry on chain (absent: a plan signed without one, e.g. a legacy plan's landed coins). */
    readonly commitment?: PayoutCommitment,
  ) {
    super();
  }
}
