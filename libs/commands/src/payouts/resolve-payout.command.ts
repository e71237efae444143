import { Command } from '@nestjs/cqrs';
import { type PayoutEvent, type PayoutResolved } from '@pool/domain';

/** An operator's decision on a payout the saga leaves to a person (`poolctl payouts resolve`). */
export class ResolvePayoutCommand extends Command<PayoutEvent[]> {
  constructor(
    readonly payoutId: string,
    /** The payout's sequence: its stream is `payout-<sequence>`. */
    readonly sequence: number,
    readonly decision: PayoutResolved['data']['decision'],
    /** paid-in-part: indices of the planned transactions whose coins are on chain. */
    readonly landedTransactions: number[],
    readonly reason: string,
    /** Unix seconds. */
    readonly now: number,
  ) {
    super();
  }
}
