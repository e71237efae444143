import { Command } from '@nestjs/cqrs';
import { type AbsorbReward, type RewardEvent } from '@pool/domain';

/** The absorb of a detected reward is on chain: the reward coin is spent into the pool's coin. */
export class AbsorbRewardCommand extends Command<RewardEvent[]> {
  constructor(
    readonly coinId: string,
    readonly absorb: Omit<AbsorbReward, 'type'>,
  ) {
    super();
  }
}
