import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { rewardDecider, rewardStream, type RewardEvent } from '@pool/domain';
import { type StreamCommandRunner } from '@pool/event-sourcing';
import { COMMAND_RUNNER } from '@pool/runtime';
import { DetectRewardCommand } from './detect-reward.command';

@CommandHandler(DetectRewardCommand)
export class DetectRewardHandler implements ICommandHandler<DetectRewardCommand> {
  constructor(@Inject(COMMAND_RUNNER) private readonly runner: StreamCommandRunner) {}

  async execute({ reward }: DetectRewardCommand): Promise<RewardEvent[]> {
    const { events } = await this.runner.run(
      rewardStream(reward.coinId),
      rewardDecider,
      { type: 'DetectReward', ...reward },
      // Keyed by the coin and the block that created it: the same coin created again after a reorg is a new fact.
      { cache: false, idempotencyKey: `detect:${reward.coinId}:${reward.confirmedHeight}` },
    );
    return events;
  }
}
