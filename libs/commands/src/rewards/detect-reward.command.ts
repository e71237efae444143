import { Command } from '@nestjs/cqrs';
import { type DetectReward, type RewardEvent } from '@pool/domain';

/** A pool reward coin found on chain at a registered farmer's reward puzzle hash. */
export class DetectRewardCommand extends Command<RewardEvent[]> {
  constructor(readonly reward: Omit<DetectReward, 'type'>) {
    super();
  }
}
