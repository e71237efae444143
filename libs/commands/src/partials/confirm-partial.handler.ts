import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { partialDecider, partialStream, type PartialEvent } from '@pool/domain';
import { type StreamCommandRunner } from '@pool/event-sourcing';
import { COMMAND_RUNNER } from '@pool/runtime';
import { ConfirmPartialCommand } from './confirm-partial.command';
import { settlementKey } from './revert-partial.handler';

@CommandHandler(ConfirmPartialCommand)
export class ConfirmPartialHandler implements ICommandHandler<ConfirmPartialCommand> {
  constructor(@Inject(COMMAND_RUNNER) private readonly runner: StreamCommandRunner) {}

  async execute({ proofHash, now }: ConfirmPartialCommand): Promise<PartialEvent[]> {
    const { events } = await this.runner.run(
      partialStream(proofHash),
      partialDecider,
      { type: 'ConfirmPartial', now },
      { cache: false, idempotencyKey: settlementKey(proofHash) },
    );
    return events;
  }
}
