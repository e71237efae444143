import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type PayoutEvent } from '@pool/domain';
import { type StreamCommandRunner } from '@pool/event-sourcing';
import { COMMAND_RUNNER } from '@pool/runtime';
import { recordPayoutStep } from './payout-step';
import { RecordPayoutFeeBumpedCommand } from './record-payout-fee-bumped.command';

/**
 * A payout's fee may be bumped more than once: the key names the new versions (their transaction ids), so a retried
 * append of the same bump records nothing and the decider refuses one that does not outbid the latest version.
 */
@CommandHandler(RecordPayoutFeeBumpedCommand)
export class RecordPayoutFeeBumpedHandler implements ICommandHandler<RecordPayoutFeeBumpedCommand> {
  constructor(@Inject(COMMAND_RUNNER) private readonly runner: StreamCommandRunner) {}

  execute({ payout, transactions, reason, height, now }: RecordPayoutFeeBumpedCommand): Promise<PayoutEvent[]> {
    const key = `RecordPayoutFeeBumped-${transactions.map((tx) => tx.transactionId).join('-')}`;
    return recordPayoutStep(this.runner, payout.sequence, { type: 'RecordPayoutFeeBumped', payoutId: payout.payoutId, transactions, reason, height, now }, key);
  }
}
