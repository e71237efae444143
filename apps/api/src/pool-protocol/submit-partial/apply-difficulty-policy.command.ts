import { Command } from '@nestjs/cqrs';
import { type ApplyDifficultyPolicy, type FarmerState } from '@pool/domain';

/** The difficulty policy's verdict after an accepted partial, to be recorded on the farmer's stream if it changes anything. */
export class ApplyDifficultyPolicyCommand extends Command<FarmerState> {
  constructor(readonly policy: Omit<ApplyDifficultyPolicy, 'type'>) {
    super();
  }
}
