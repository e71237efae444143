import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type PayoutEvent } from '@pool/domain';
import { type StreamCommandRunner } from '@pool/event-sourcing';
import { COMMAND_RUNNER } from '@pool/runtime';
import { recordPayoutStep } from './payout-step';
import { RecordPayoutSentCommand } from './record-payout-sent.command';

@CommandHandler(RecordPayoutSentCommand)
export class RecordPayoutSentHandler implements ICommandHandler<RecordPayoutSentCommand> {
  constructor(@Inject(COMMAND_RUNNER) private readonly runner: StreamCommandRunner) {}

  execute({ payout, transactionIds, now, height }: RecordPayoutSentCommand): Promise<PayoutEvent[]> {
    const command = { type: 'RecordPayoutSent' as const, payoutId: payout.payoutId, transactionIds, now, ...(height === undefined ? {} : { height }) };
    return recordPayoutStep(this.runner, payout.sequence, command, `RecordPayoutSent-${payout.failedAttempts}`);
  }
}
