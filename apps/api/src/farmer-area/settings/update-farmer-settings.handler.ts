import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type PoolConfig } from '@pool/config';
import { checkFarmerMinimumPayout, farmerDecider, farmerStream, normalizeDisplayName } from '@pool/domain';
import { type StreamCommandRunner } from '@pool/event-sourcing';
import { CLOCK, COMMAND_RUNNER, POOL_CONFIG, type Clock } from '@pool/runtime';
import { UpdateFarmerSettingsCommand } from './update-farmer-settings.command';

/**
 * Each setting is its own decision on the farmer's stream (FarmerDisplayNameSet, FarmerMinimumPayoutSet), judged by
 * the farmer decider against the pool's minimum payout of the moment. A setting that does not change records nothing.
 */
@CommandHandler(UpdateFarmerSettingsCommand)
export class UpdateFarmerSettingsHandler implements ICommandHandler<UpdateFarmerSettingsCommand> {
  constructor(
    @Inject(COMMAND_RUNNER) private readonly runner: StreamCommandRunner,
    @Inject(POOL_CONFIG) private readonly config: PoolConfig,
    @Inject(CLOCK) private readonly now: Clock,
  ) {}

  async execute({ launcherId, change }: UpdateFarmerSettingsCommand): Promise<void> {
    const now = Math.floor(this.now());
    const stream = farmerStream(launcherId);
    const poolMinimumPayout = this.config.settings.payouts.minimumPayout;
    // Both checked before either is recorded: a refused field leaves the other unchanged too.
    if (change.displayName !== undefined) normalizeDisplayName(change.displayName);
    if (change.minimumPayout !== undefined) checkFarmerMinimumPayout(change.minimumPayout, poolMinimumPayout);
    if (change.displayName !== undefined) {
      await this.runner.run(stream, farmerDecider, { type: 'SetDisplayName', launcherId, displayName: change.displayName, now });
    }
    if (change.minimumPayout !== undefined) {
      await this.runner.run(stream, farmerDecider, { type: 'SetMinimumPayout', launcherId, minimumPayout: change.minimumPayout, poolMinimumPayout, now });
    }
  }
}
