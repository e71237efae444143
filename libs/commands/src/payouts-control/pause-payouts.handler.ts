import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type StreamCommandRunner } from '@pool/event-sourcing';
import { COMMAND_RUNNER } from '@pool/runtime';
import { PausePayoutsCommand } from './pause-payouts.command';
import { switchPayouts, type PayoutsSwitchResult } from './payouts-switch';

@CommandHandler(PausePayoutsCommand)
export class PausePayoutsHandler implements ICommandHandler<PausePayoutsCommand> {
  constructor(@Inject(COMMAND_RUNNER) private readonly runner: StreamCommandRunner) {}

  execute({ reason, by, now }: PausePayoutsCommand): Promise<PayoutsSwitchResult> {
    return switchPayouts(this.runner, { type: 'PausePayouts', reason, by, now });
  }
}
