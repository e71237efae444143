import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type PayoutEvent } from '@pool/domain';
import { type StreamCommandRunner } from '@pool/event-sourcing';
import { COMMAND_RUNNER } from '@pool/runtime';
import { recordPayoutStep } from './payout-step';
import { RecordPayoutSignedCommand } from './record-payout-signed.command';

/** A payout is signed once: the key is the step's alone, and the decider refuses a second, different signing. */
@CommandHandler(RecordPayoutSignedCommand)
export class RecordPayoutSignedHandler implements ICommandHandler<RecordPayoutSignedCommand> {
  constructor(@Inject(COMMAND_RUNNER) private readonly runner: StreamCommandRunner) {}

  execute({ payout, transactions, now, commitment }: RecordPayoutSignedCommand): Promise<PayoutEvent[]> {
    const command = { type: 'RecordPayoutSigned' as const, payoutId: payout.payoutId, transactions, now, ...(commitment === undefined ? {} : { commitment }) };
    return recordPayoutStep(this.runner, payout.sequence, command, 'RecordPayoutSigned');
  }
}
