import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { rewardDecider, rewardStream, type RewardEvent } from '@pool/domain';
import { type StreamCommandRunner } from '@pool/event-sourcing';
import { COMMAND_RUNNER } from '@pool/runtime';
import { AbsorbRewardCommand } from './absorb-reward.command';

@CommandHandler(AbsorbRewardCommand)
export class AbsorbRewardHandler implements ICommandHandler<AbsorbRewardCommand> {
  constructor(@Inject(COMMAND_RUNNER) private readonly runner: StreamCommandRunner) {}

  async execute({ coinId, absorb }: AbsorbRewardCommand): Promise<RewardEvent[]> {
    const { events } = await this.runner.run(rewardStream(coinId), rewardDecider, { type: 'AbsorbReward', ...absorb }, { cache: false, idempotencyKey: `absorb:${coinId}` });
    return events;
  }
}
