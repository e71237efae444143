import { Command } from '@nestjs/cqrs';
import { type RewardEvent } from '@pool/domain';

/** A reorg back to `forkHeight` took the reward coin's block away (absorbed or not). */
export class RevertRewardCommand extends Command<RewardEvent[]> {
  constructor(
    readonly coinId: string,
    readonly forkHeight: number,
    /** Unix seconds on the chain's clock. */
    readonly now: number,
  ) {
    super();
  }
}
