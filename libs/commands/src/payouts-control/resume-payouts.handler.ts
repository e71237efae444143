import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type StreamCommandRunner } from '@pool/event-sourcing';
import { COMMAND_RUNNER } from '@pool/runtime';
import { ResumePayoutsCommand } from './resume-payouts.command';
import { switchPayouts, type PayoutsSwitchResult } from './payouts-switch';

@CommandHandler(ResumePayoutsCommand)
export class ResumePayoutsHandler implements ICommandHandler<ResumePayoutsCommand> {
  constructor(@Inject(COMMAND_RUNNER) private readonly runner: StreamCommandRunner) {}

  execute({ reason, by, now }: ResumePayoutsCommand): Promise<PayoutsSwitchResult> {
    return switchPayouts(this.runner, { type: 'ResumePayouts', reason, by, now });
  }
}
