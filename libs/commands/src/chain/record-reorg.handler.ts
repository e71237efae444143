import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { chainReorgDecider, CHAIN_REORGS_STREAM, type ChainEvent } from '@pool/domain';
import { type StreamCommandRunner } from '@pool/event-sourcing';
import { COMMAND_RUNNER } from '@pool/runtime';
import { RecordReorgCommand } from './record-reorg.command';

@CommandHandler(RecordReorgCommand)
export class RecordReorgHandler implements ICommandHandler<RecordReorgCommand> {
  constructor(@Inject(COMMAND_RUNNER) private readonly runner: StreamCommandRunner) {}

  async execute({ reorg }: RecordReorgCommand): Promise<ChainEvent[]> {
    const { events } = await this.runner.run(
      CHAIN_REORGS_STREAM,
      chainReorgDecider,
      { type: 'RecordReorg', ...reorg },
      // Keyed by the reorg itself: a second instance (or a retry) appending the same fact is a no-op.
      { idempotencyKey: `reorg:${reorg.forkHeight}:${reorg.firstOrphanedHash}` },
    );
    return events;
  }
}
