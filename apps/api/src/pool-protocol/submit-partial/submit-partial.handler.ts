import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { bytesToHex, PoolErrorCode, type PosConsensusConstants, type PostPartialRequestLegacy } from '@pool/chia';
import { type PoolConfig } from '@pool/config';
import { partialDecider, partialStream, type RegisteredFarmer } from '@pool/domain';
import { type StreamCommandRunner } from '@pool/event-sourcing';
import { CLOCK, COMMAND_RUNNER, POOL_CONFIG, POS_CONSTANTS, type Clock } from '@pool/runtime';
import { FarmerRecords } from '../authentication/farmer-records';
import { V1Authentication } from '../authentication/v1-authentication';
import { V2Authentication } from '../authentication/v2-authentication';
import { PeakTracker } from '../peak-tracker';
import { PoolProtocolError } from '../pool-protocol.error';
import { BoundedPartialCrypto } from './crypto/bounded-partial-crypto';
import { PARTIAL_CRYPTO, type PartialCryptoVerifier } from './crypto/partial-crypto';
import { CryptoFailureBudget, DEFAULT_CRYPTO_FAILURE_BUDGET } from './crypto-failure-budget';
import { DifficultyStep } from './difficulty.step';
import { validatePartial, type PartialValidationContext } from './partial-checks';
import { SignagePointLookups } from './signage-point-lookups';
import { SubmitPartialCommand, type PartialCredentials, type SubmitPartialResult } from './submit-partial.command';

/** Validate, then record `PartialSubmitted` in a stream that can only be created once; then the difficulty step. */
@CommandHandler(SubmitPartialCommand)
export class SubmitPartialHandler implements ICommandHandler<SubmitPartialCommand> {
  private readonly checks: PartialValidationContext;
  private readonly failures: CryptoFailureBudget;

  constructor(
    @Inject(COMMAND_RUNNER) private readonly runner: StreamCommandRunner,
    @Inject(POOL_CONFIG) config: PoolConfig,
    @Inject(PARTIAL_CRYPTO) crypto: PartialCryptoVerifier,
    @Inject(POS_CONSTANTS) constants: PosConsensusConstants,
    private readonly records: FarmerRecords,
    private readonly v1: V1Authentication,
    private readonly v2: V2Authentication,
    private readonly difficulty: DifficultyStep,
    peak: PeakTracker,
    lookups: SignagePointLookups,
    @Inject(CLOCK) now: Clock,
  ) {
    this.failures = new CryptoFailureBudget({ ...DEFAULT_CRYPTO_FAILURE_BUDGET, now: () => now() * 1000 });
    this.checks = {
      // Bounded here, in front of whichever verifier the app was given: a flood is refused, never queued without limit.
      crypto: new BoundedPartialCrypto(crypto),
      chain: lookups,
      constants,
      partialTimeLimit: config.settings.partialTimeLimit,
      nextHeight: async () => (await peak.height()) + 1,
    };
  }

  /**
   * No idempotency key: each request is a new command. The partial's stream is created with "no stream", so a
   * proof is credited once however often (and by however many replicas) it is sent; a replay is told so.
   */
  async execute({ request, credentials, receivedAt, headers, clientAddress }: SubmitPartialCommand): Promise<SubmitPartialResult> {
    const farmer = await this.member(request, credentials);
    const failures = this.failures.gate(farmer.launcherId, clientAddress);
    const valid = await validatePartial(request, farmer, receivedAt, { ...this.checks, failures });
    await this.runner.run(
      partialStream(valid.proofHash),
      partialDecider,
      {
        type: 'SubmitPartial',
        launcherId: valid.launcherId,
        proofHash: valid.proofHash,
        points: valid.points.toString(),
        signagePointHash: valid.signagePointHash,
        receivedAt: Math.floor(receivedAt),
        plotSize: valid.plotSize,
        // Everything else the farmer sent and signed: kept from schema 2 on (nothing else can recover it later).
        harvesterId: bytesToHex(request.payload.harvesterId),
        plotPublicKey: valid.plotPublicKey,
        plotId: valid.plotId,
        endOfSubSlot: request.payload.endOfSubSlot,
        ...headers,
      },
      { cache: false, expectNew: true },
    );
    const difficulty = await this.difficulty.afterAccepted(farmer, { proofHash: valid.proofHash, receivedAt: Math.floor(receivedAt), points: valid.points });
    return { new_difficulty: difficulty };
  }

  /** v1: token window (12), then the farmer (10); v2: JWT (12), then a farmer registered through v2 (10). Either way still a member. */
  private async member(request: PostPartialRequestLegacy, credentials: PartialCredentials): Promise<RegisteredFarmer> {
    const { launcherId } = request.payload;
    let farmer: RegisteredFarmer;
    if (credentials.edition === 2) {
      farmer = await this.v2.requireFarmer(credentials.jwt, launcherId);
    } else {
      this.v1.checkToken(request.payload.authenticationToken);
      farmer = await this.records.known(bytesToHex(launcherId));
    }
    if (!farmer.isMember) {
      throw new PoolProtocolError(PoolErrorCode.INVALID_SINGLETON, `plot NFT ${farmer.launcherId} has left this pool; its partials no longer count`);
    }
    return farmer;
  }
}
