import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type PayoutEvent } from '@pool/domain';
import { type StreamCommandRunner } from '@pool/event-sourcing';
import { COMMAND_RUNNER } from '@pool/runtime';
import { recordPayoutStep } from './payout-step';
import { RecordPayoutConfirmedCommand } from './record-payout-confirmed.command';

@CommandHandler(RecordPayoutConfirmedCommand)
export class RecordPayoutConfirmedHandler implements ICommandHandler<RecordPayoutConfirmedCommand> {
  constructor(@Inject(COMMAND_RUNNER) private readonly runner: StreamCommandRunner) {}

  execute({ payout, confirmedHeight, now }: RecordPayoutConfirmedCommand): Promise<PayoutEvent[]> {
    return recordPayoutStep(this.runner, payout.sequence, { type: 'ConfirmPayout', payoutId: payout.payoutId, confirmedHeight, now }, `ConfirmPayout-${payout.failedAttempts}`);
  }
}
