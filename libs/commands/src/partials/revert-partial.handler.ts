import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { partialDecider, partialStream, type PartialEvent } from '@pool/domain';
import { type StreamCommandRunner } from '@pool/event-sourcing';
import { COMMAND_RUNNER } from '@pool/runtime';
import { RevertPartialCommand } from './revert-partial.command';

/** One key per settlement (confirm or revert): a retry after a timeout cannot settle the partial twice. */
export const settlementKey = (proofHash: string): string => `settle:${proofHash}`;

@CommandHandler(RevertPartialCommand)
export class RevertPartialHandler implements ICommandHandler<RevertPartialCommand> {
  constructor(@Inject(COMMAND_RUNNER) private readonly runner: StreamCommandRunner) {}

  async execute({ proofHash, reason, now, forkHeight }: RevertPartialCommand): Promise<PartialEvent[]> {
    const { events } = await this.runner.run(
      partialStream(proofHash),
      partialDecider,
      { type: 'RevertPartial', reason, ...(forkHeight === undefined ? {} : { forkHeight }), now },
      // A reorg revert follows a settlement, so it has a key of its own: it must not pass for a retry of the confirm.
      { cache: false, idempotencyKey: reason === 'reorg' ? `reorg:${proofHash}` : settlementKey(proofHash) },
    );
    return events;
  }
}
