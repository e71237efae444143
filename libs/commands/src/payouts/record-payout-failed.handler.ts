import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type PayoutEvent } from '@pool/domain';
import { type StreamCommandRunner } from '@pool/event-sourcing';
import { COMMAND_RUNNER } from '@pool/runtime';
import { recordPayoutStep } from './payout-step';
import { RecordPayoutFailedCommand } from './record-payout-failed.command';

@CommandHandler(RecordPayoutFailedCommand)
export class RecordPayoutFailedHandler implements ICommandHandler<RecordPayoutFailedCommand> {
  constructor(@Inject(COMMAND_RUNNER) private readonly runner: StreamCommandRunner) {}

  execute({ payout, reason, attempt, maxAttempts, now }: RecordPayoutFailedCommand): Promise<PayoutEvent[]> {
    return recordPayoutStep(this.runner, payout.sequence, { type: 'FailPayout', payoutId: payout.payoutId, reason, attempt, maxAttempts, now }, `fail-${attempt}`);
  }
}
