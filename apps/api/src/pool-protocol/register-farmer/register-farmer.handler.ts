import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { bytesToHex } from '@pool/chia';
import { type PoolConfig } from '@pool/config';
import { farmerDecider, farmerStream } from '@pool/domain';
import { type StreamCommandRunner } from '@pool/event-sourcing';
import { CLOCK, COMMAND_RUNNER, POOL_CONFIG, type Clock } from '@pool/runtime';
import { RegisterFarmerCommand, type RegisterFarmerResult } from './register-farmer.command';
import { type RegistrationVerifier } from './registration';
import { V1Registration } from './v1-registration';
import { V2Registration } from './v2-registration';

/** Each edition checks the request its own way; what a registration records, and the difficulty it starts at, is one rule. */
@CommandHandler(RegisterFarmerCommand)
export class RegisterFarmerHandler implements ICommandHandler<RegisterFarmerCommand> {
  private readonly editions: Record<1 | 2, RegistrationVerifier>;

  constructor(
    @Inject(COMMAND_RUNNER) private readonly runner: StreamCommandRunner,
    @Inject(POOL_CONFIG) private readonly config: PoolConfig,
    @Inject(CLOCK) private readonly now: Clock,
    v1: V1Registration,
    v2: V2Registration,
  ) {
    this.editions = { 1: v1, 2: v2 };
  }

  /**
   * No idempotency key: the decider refuses a second registration of a launcher (11), so a retry or a race between
   * two requests records one FarmerRegistered. Unlike the reference pools, a suggested difficulty below the minimum
   * is not taken.
   */
  async execute({ request, edition }: RegisterFarmerCommand): Promise<RegisterFarmerResult> {
    const launcherId = bytesToHex(request.payload.launcherId);
    const facts = await this.editions[edition].verify(request, launcherId);
    const { minimumDifficulty, defaultDifficulty, welcomeMessage } = this.config.settings;
    const suggested = request.payload.suggestedDifficulty;
    await this.runner.run(farmerStream(launcherId), farmerDecider, {
      type: 'RegisterFarmer',
      ...facts,
      difficulty: suggested !== null && suggested >= minimumDifficulty ? suggested : defaultDifficulty,
      now: Math.floor(this.now()),
    });
    return { welcome_message: welcomeMessage };
  }
}
