import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type PayoutEvent } from '@pool/domain';
import { type StreamCommandRunner } from '@pool/event-sourcing';
import { COMMAND_RUNNER } from '@pool/runtime';
import { recordPayoutStep } from './payout-step';
import { ResolvePayoutCommand } from './resolve-payout.command';

/** The key names the decision, so a retried append of the same one records nothing; the decider refuses a contradicting one. */
@CommandHandler(ResolvePayoutCommand)
export class ResolvePayoutHandler implements ICommandHandler<ResolvePayoutCommand> {
  constructor(@Inject(COMMAND_RUNNER) private readonly runner: StreamCommandRunner) {}

  execute({ payoutId, sequence, decision, landedTransactions, reason, now }: ResolvePayoutCommand): Promise<PayoutEvent[]> {
    const key = `resolve-${decision}-${[...landedTransactions].sort((a, b) => a - b).join(',')}`;
    return recordPayoutStep(this.runner, sequence, { type: 'ResolvePayout', payoutId, decision, landedTransactions, reason, now }, key);
  }
}
