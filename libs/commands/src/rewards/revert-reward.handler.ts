import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { rewardDecider, rewardStream, type RewardEvent } from '@pool/domain';
import { type StreamCommandRunner } from '@pool/event-sourcing';
import { COMMAND_RUNNER } from '@pool/runtime';
import { RevertRewardCommand } from './revert-reward.command';

@CommandHandler(RevertRewardCommand)
export class RevertRewardHandler implements ICommandHandler<RevertRewardCommand> {
  constructor(@Inject(COMMAND_RUNNER) private readonly runner: StreamCommandRunner) {}

  async execute({ coinId, forkHeight, now }: RevertRewardCommand): Promise<RewardEvent[]> {
    const { events } = await this.runner.run(
      rewardStream(coinId),
      rewardDecider,
      { type: 'RevertReward', forkHeight, now },
      // Keyed by the fork: a coin detected again after one reorg can be reverted by a later one.
      { cache: false, idempotencyKey: `revert:${coinId}:${forkHeight}` },
    );
    return events;
  }
}
