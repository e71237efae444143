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
import { validatePartial, type PartialValidationContext, type ValidatedPartial } from './partial-checks';
import { SignagePointLookups } from './signage-point-lookups';
import { SubmitPartialCommand, type PartialCredentials, type SubmitPartialResult } from './submit-partial.command';

/**
 * How old the farmer's state a partial is first judged by may be (ms): the time another api process's change of it
 * (a difficulty, a key, a plot NFT leaving) takes to reach this one's partials. Changes made here count at once.
 */
export const RECENT_FARMER_STATE_MS = Symbol('RECENT_FARMER_STATE_MS');
export const DEFAULT_RECENT_FARMER_STATE_MS = 1000;

/** Refusals that depend on the farmer's state: its plot NFT's contract, its authentication key, its difficulty. */
function refusedForFarmerState(error: unknown): boolean {
  if (!(error instanceof PoolProtocolError)) return false;
  return [PoolErrorCode.INVALID_P2_SINGLETON_PUZZLE_HASH, PoolErrorCode.INVALID_SIGNATURE, PoolErrorCode.PROOF_NOT_GOOD_ENOUGH].includes(error.code);
}

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
    @Inject(RECENT_FARMER_STATE_MS) private readonly recentFarmerStateMs: number,
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
    const { farmer, valid } = await this.judge(request, credentials, receivedAt, clientAddress);
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

  /**
   * Validates the partial against the farmer's state as this process knew it a moment ago (no store read per
   * partial); a refusal that a newer state could overturn (another api process changed the farmer's difficulty,
   * key or plot NFT meanwhile) is judged again on the state read from the store before it is answered.
   */
  private async judge(
    request: PostPartialRequestLegacy,
    credentials: PartialCredentials,
    receivedAt: number,
    clientAddress: string,
  ): Promise<{ farmer: RegisteredFarmer; valid: ValidatedPartial }> {
    const recent = await this.member(request, credentials, this.recentFarmerStateMs);
    const gate = this.failures.gate(recent.launcherId, clientAddress);
    let failedCrypto = false;
    try {
      // A crypto failure counts against the sender only once the refusal stands.
      const failures = { admit: () => gate.admit(), failed: () => (failedCrypto = true) };
      return { farmer: recent, valid: await validatePartial(request, recent, receivedAt, { ...this.checks, failures }) };
    } catch (error) {
      const current = refusedForFarmerState(error) ? await this.member(request, credentials) : recent;
      if (current === recent) {
        if (failedCrypto) gate.failed();
        throw error;
      }
      return { farmer: current, valid: await validatePartial(request, current, receivedAt, { ...this.checks, failures: gate }) };
    }
  }

  /**
   * v1: token window (12), then the farmer (10); v2: JWT (12), then a farmer registered through v2 (10). Either way
   * still a member. `maxAgeMs`: the farmer's state may be that old, but a refusal is made on the state in the store.
   */
  private async member(request: PostPartialRequestLegacy, credentials: PartialCredentials, maxAgeMs?: number): Promise<RegisteredFarmer> {
    const { launcherId } = request.payload;
    let farmer: RegisteredFarmer;
    if (credentials.edition === 2) {
      farmer = await this.v2.requireFarmer(credentials.jwt, launcherId, maxAgeMs);
    } else {
      this.v1.checkToken(request.payload.authenticationToken);
      farmer = await this.records.known(bytesToHex(launcherId), maxAgeMs);
    }
    if (!farmer.isMember) {
      if (maxAgeMs !== undefined) return this.member(request, credentials);
      throw new PoolProtocolError(PoolErrorCode.INVALID_SINGLETON, `plot NFT ${farmer.launcherId} has left this pool; its partials no longer count`);
    }
    return farmer;
  }
}
