import { Inject, Injectable, Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { type PoolConfig } from '@pool/config';
import { farmerDecider, REFERENCE_DIFFICULTY_POLICY, type DifficultyPolicy, type RegisteredFarmer } from '@pool/domain';
import { POOL_CONFIG } from '@pool/runtime';
import { FarmerActivityCache } from '../farmer-activity/farmer-activity.cache';
import { ApplyDifficultyPolicyCommand } from './apply-difficulty-policy.command';

/** The last step of an accepted partial: the farmer's recent window, and the difficulty policy run over it. */
@Injectable()
export class DifficultyStep {
  private readonly policy: DifficultyPolicy;
  private readonly logger = new Logger('DifficultyStep');

  constructor(
    private readonly commands: CommandBus,
    private readonly activity: FarmerActivityCache,
    @Inject(POOL_CONFIG) private readonly config: PoolConfig,
  ) {
    this.policy = { ...REFERENCE_DIFFICULTY_POLICY, minDifficulty: config.settings.minimumDifficulty };
  }

  /**
   * After `proofHash` was accepted: records it in the farmer's recent window and runs the difficulty policy
   * over the partials before it (as the reference pool does; a partial cannot be its own evidence of a
   * farmer gone quiet). Returns the difficulty now in force.
   */
  async afterAccepted(farmer: RegisteredFarmer, partial: { proofHash: string; receivedAt: number; points: bigint }): Promise<bigint> {
    const launcherId = farmer.launcherId;
    const recent = this.activity.recent(launcherId, partial.proofHash);
    this.activity.recordAccepted(launcherId, { proofHash: partial.proofHash, timestamp: partial.receivedAt, difficulty: partial.points });
    if (!this.activity.ready) return farmer.difficulty;
    const policy = { launcherId, policy: this.policy, recent, graceSeconds: this.config.settings.difficultyGraceSeconds, now: partial.receivedAt };
    // Most partials change nothing: decide on the state already loaded, and only dispatch (load and append) when it changes.
    if (farmerDecider.decide({ type: 'ApplyDifficultyPolicy', ...policy }, farmer).length === 0) return farmer.difficulty;
    try {
      const state = await this.commands.execute(new ApplyDifficultyPolicyCommand(policy));
      return state.status === 'registered' ? state.difficulty : farmer.difficulty;
    } catch (error) {
      // The partial is already recorded: the farmer must hear it was accepted. The policy judges again on
      // its next partial.
      this.logger.warn(`difficulty policy for ${launcherId} not applied: ${(error as Error).message}`);
      return farmer.difficulty;
    }
  }
}
