import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { farmerDecider, farmerStream, type FarmerState } from '@pool/domain';
import { type StreamCommandRunner } from '@pool/event-sourcing';
import { COMMAND_RUNNER } from '@pool/runtime';
import { ApplyDifficultyPolicyCommand } from './apply-difficulty-policy.command';

@CommandHandler(ApplyDifficultyPolicyCommand)
export class ApplyDifficultyPolicyHandler implements ICommandHandler<ApplyDifficultyPolicyCommand> {
  constructor(@Inject(COMMAND_RUNNER) private readonly runner: StreamCommandRunner) {}

  /**
   * No idempotency key: the decider applies the policy to the difficulty in its own state, so a retry after a
   * concurrent change judges again instead of recording the same change twice. Answers the farmer's state after it.
   */
  async execute({ policy }: ApplyDifficultyPolicyCommand): Promise<FarmerState> {
    const { state } = await this.runner.run(farmerStream(policy.launcherId), farmerDecider, { type: 'ApplyDifficultyPolicy', ...policy });
    return state;
  }
}
