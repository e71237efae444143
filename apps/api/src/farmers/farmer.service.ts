import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import {
  AddressError,
  bytesToHex,
  PoolErrorCode,
  PostFarmerPayloadSchema,
  PutFarmerPayloadLegacySchema,
  PutFarmerPayloadSchema,
  type BlsBackend,
  type FullNodeRpc,
  type PostFarmerRequest,
  type PutFarmerRequestAnyEdition,
  payoutInstructionsToPuzzleHash,
  validateAuthenticationToken,
  AuthenticationPayloadSchema,
  hexToBytes,
} from '@pool/chia';
import { type PoolConfig } from '@pool/config';
import { EVENT_STORE, POOL_CONFIG } from '@pool/runtime';
import { farmerDecider, farmerStream, REFERENCE_DIFFICULTY_POLICY, type DifficultyPolicy, type FarmerState, type RegisteredFarmer } from '@pool/domain';
import { type EventStore } from '@pool/event-sourcing';
import { StreamCommandRunner } from '@pool/event-sourcing';
import { PoolProtocolError } from '../protocol/pool-protocol.error';
import { BLS, CHAIN, CLOCK, COMMAND_RUNNER, type Clock } from '@pool/runtime';
import { FarmerActivityCache } from './farmer-activity.cache';
import { PeakTracker } from './peak-tracker';
import { isPoolMember, readSingletonState, type SingletonState } from '@pool/chia';

const MIN_DELAY_TIME = 3600n;

/** What the owner key signs for PUT /farmer: the payload hash in the edition the farmer sent (5 or 6 fields). */
export function putFarmerSignedMessage(edition: PutFarmerRequestAnyEdition): Uint8Array {
  return edition.edition === 'current' ? PutFarmerPayloadSchema.hash(edition.request.payload) : PutFarmerPayloadLegacySchema.hash(edition.request.payload);
}

/**
 * Registration, updates and authenticated reads of farmers: the farmer stream's command side, and the
 * difficulty policy run after each accepted partial.
 */
/** The fields of a farmer update, hex for the key; null = not sent. */
export interface FarmerUpdateRequest {
  authenticationPublicKey: string | null;
  payoutInstructions: string | null;
  suggestedDifficulty: bigint | null;
}

@Injectable()
export class FarmerService implements OnApplicationBootstrap, OnApplicationShutdown {
  /** Every farmer's recent partials and current-window points, from the ledger (see FarmerActivityCache). */
  readonly activity: FarmerActivityCache;
  private readonly policy: DifficultyPolicy;
  private readonly logger = new Logger('FarmerService');

  constructor(
    @Inject(COMMAND_RUNNER) private readonly runner: StreamCommandRunner,
    @Inject(CHAIN) private readonly chain: FullNodeRpc,
    @Inject(BLS) private readonly bls: BlsBackend,
    @Inject(POOL_CONFIG) private readonly config: PoolConfig,
    @Inject(CLOCK) private readonly now: Clock,
    private readonly peak: PeakTracker,
    @Inject(EVENT_STORE) store: EventStore,
  ) {
    this.policy = { ...REFERENCE_DIFFICULTY_POLICY, minDifficulty: config.settings.minimumDifficulty };
    this.activity = new FarmerActivityCache(store, this.policy.partialsTarget);
  }

  /** The api serves once the activity has caught up with the ledger, so its first difficulty decisions are sound. */
  onApplicationBootstrap(): Promise<void> {
    return this.activity.start();
  }

  onApplicationShutdown(): void {
    this.activity.stop();
  }

  /**
   * After `proofHash` was accepted: records it in the farmer's recent window and runs the difficulty policy
   * over the partials before it (as the reference pool does; a partial cannot be its own evidence of a
   * farmer gone quiet). Returns the difficulty now in force.
   */
  async afterAcceptedPartial(farmer: RegisteredFarmer, partial: { proofHash: string; receivedAt: number; points: bigint }): Promise<bigint> {
    const launcherId = farmer.launcherId;
    const recent = this.activity.recent(launcherId, partial.proofHash);
    this.activity.recordAccepted(launcherId, { proofHash: partial.proofHash, timestamp: partial.receivedAt, difficulty: partial.points });
    if (!this.activity.ready) return farmer.difficulty;
    const command = {
      type: 'ApplyDifficultyPolicy',
      launcherId,
      policy: this.policy,
      recent,
      graceSeconds: this.config.settings.difficultyGraceSeconds,
      now: partial.receivedAt,
    } as const;
    // Most partials change nothing: decide on the state already loaded, and only load and append when it changes.
    if (farmerDecider.decide(command, farmer).length === 0) return farmer.difficulty;
    try {
      const { state } = await this.runner.run(farmerStream(launcherId), farmerDecider, command);
      return state.status === 'registered' ? state.difficulty : farmer.difficulty;
    } catch (error) {
      // The partial is already recorded: the farmer must hear it was accepted. The policy judges again on
      // its next partial.
      this.logger.warn(`difficulty policy for ${launcherId} not applied: ${(error as Error).message}`);
      return farmer.difficulty;
    }
  }

  /** Confirmed points of the current payout window, as of every event committed before the call. */
  async currentPoints(launcherId: string): Promise<bigint> {
    await this.activity.fresh();
    return this.activity.currentPoints(launcherId);
  }

  /** The farmer's newest accepted partials as the reference pool lists them: [timestamp, difficulty], newest first. */
  async recentPartials(launcherId: string, limit = 20): Promise<[number, bigint][]> {
    await this.activity.fresh();
    return this.activity
      .recent(launcherId)
      .slice(0, limit)
      .map((p): [number, bigint] => [p.timestamp, p.difficulty]);
  }

  async state(launcherId: string): Promise<FarmerState> {
    return (await this.runner.load(farmerStream(launcherId), farmerDecider)).state;
  }

  async known(launcherId: string): Promise<RegisteredFarmer> {
    const state = await this.state(launcherId);
    if (state.status !== 'registered') {
      throw new PoolProtocolError(PoolErrorCode.FARMER_NOT_KNOWN, `farmer ${launcherId} is not registered with this pool; POST /farmer first`);
    }
    return state;
  }

  checkToken(token: bigint): void {
    const timeout = this.config.settings.authenticationTokenTimeout;
    if (!validateAuthenticationToken(token, timeout, Math.floor(this.now()))) {
      throw new PoolProtocolError(
        PoolErrorCode.INVALID_AUTHENTICATION_TOKEN,
        `authentication token ${token} is outside the accepted window (timeout ${timeout} min); check your clock`,
      );
    }
  }

  /** GET /farmer and GET /login: token window, known farmer, signature by its authentication key. */
  async authenticate(method: 'get_farmer' | 'get_login', launcherId: string, token: bigint, signature: Uint8Array): Promise<RegisteredFarmer> {
    this.checkToken(token);
    const farmer = await this.known(launcherId);
    const message = AuthenticationPayloadSchema.hash({
      methodName: method,
      launcherId: hexToBytes(launcherId, 32),
      targetPuzzleHash: hexToBytes(this.config.settings.targetPuzzleHash, 32),
      authenticationToken: token,
    });
    if (!this.bls.verify(hexToBytes(farmer.authenticationPublicKey, 48), message, signature)) {
      throw new PoolProtocolError(PoolErrorCode.INVALID_SIGNATURE, 'the signature does not verify with your registered authentication key');
    }
    return farmer;
  }

  /** POST /farmer. Unlike the reference pool, a plot NFT that is not farming to this pool cannot register. */
  async register(request: PostFarmerRequest): Promise<{ welcome_message: string }> {
    const { payload } = request;
    const launcherId = bytesToHex(payload.launcherId);
    this.requirePublicKey(payload.authenticationPublicKey);
    this.checkToken(payload.authenticationToken);
    if ((await this.state(launcherId)).status === 'registered') {
      throw new PoolProtocolError(PoolErrorCode.FARMER_ALREADY_KNOWN, `farmer ${launcherId} is already registered; use PUT /farmer to change it`);
    }
    const singleton = await this.memberSingleton(launcherId);
    const payoutPuzzleHash = this.payoutPuzzleHash(payload.payoutInstructions);
    if (!this.bls.verify(hexToBytes(singleton.buriedState!.ownerPubkey, 48), PostFarmerPayloadSchema.hash(payload), request.signature)) {
      throw new PoolProtocolError(PoolErrorCode.INVALID_SIGNATURE, "the signature does not verify with the plot NFT's owner key");
    }
    if (singleton.delayTime < MIN_DELAY_TIME) {
      throw new PoolProtocolError(PoolErrorCode.DELAY_TIME_TOO_SHORT, `the plot NFT's delay time ${singleton.delayTime} s is below ${MIN_DELAY_TIME} s`);
    }
    const { minimumDifficulty, defaultDifficulty } = this.config.settings;
    const suggested = payload.suggestedDifficulty;
    await this.runner.run(farmerStream(launcherId), farmerDecider, {
      type: 'RegisterFarmer',
      launcherId,
      authenticationPublicKey: bytesToHex(payload.authenticationPublicKey),
      ownerPublicKey: singleton.buriedState!.ownerPubkey,
      payoutInstructions: payload.payoutInstructions,
      payoutPuzzleHash,
      p2SingletonPuzzleHash: singleton.p2SingletonPuzzleHash,
      delayTime: Number(singleton.delayTime),
      delayPuzzleHash: singleton.delayPuzzleHash,
      difficulty: suggested !== null && suggested >= minimumDifficulty ? suggested : defaultDifficulty,
      protocolVersion: 1,
      now: Math.floor(this.now()),
    });
    return { welcome_message: this.config.settings.welcomeMessage };
  }

  /** PUT /farmer: answers, for each field sent, whether it changed. */
  async update(edition: PutFarmerRequestAnyEdition): Promise<Record<string, boolean>> {
    const { request } = edition;
    const { payload } = request;
    const launcherId = bytesToHex(payload.launcherId);
    if (payload.authenticationPublicKey !== null) this.requirePublicKey(payload.authenticationPublicKey);
    this.checkToken(payload.authenticationToken);
    await this.known(launcherId);
    const singleton = await this.readSingleton(launcherId);
    const message = putFarmerSignedMessage(edition);
    if (!request.signature || !this.bls.verify(hexToBytes(singleton.buriedState!.ownerPubkey, 48), message, request.signature)) {
      throw new PoolProtocolError(PoolErrorCode.INVALID_SIGNATURE, "the signature does not verify with the plot NFT's owner key");
    }
    return this.applyUpdate(launcherId, {
      authenticationPublicKey: payload.authenticationPublicKey === null ? null : bytesToHex(payload.authenticationPublicKey),
      payoutInstructions: payload.payoutInstructions,
      suggestedDifficulty: payload.suggestedDifficulty,
    });
  }

  /**
   * Records an update that its route (PUT /farmer or PUT /v2/farmer) has already authenticated. The cooldown and the
   * minimum difficulty apply alike to both; answers, for each field sent (non-null), whether it changed.
   */
  async applyUpdate(launcherId: string, change: FarmerUpdateRequest): Promise<Record<string, boolean>> {
    const payoutPuzzleHash = change.payoutInstructions === null ? undefined : this.payoutPuzzleHash(change.payoutInstructions);
    const settings = this.config.settings;
    const { events } = await this.runner.run(farmerStream(launcherId), farmerDecider, {
      type: 'UpdateFarmer',
      launcherId,
      ...(change.authenticationPublicKey !== null ? { authenticationPublicKey: change.authenticationPublicKey } : {}),
      ...(change.payoutInstructions !== null ? { payoutInstructions: change.payoutInstructions, payoutPuzzleHash } : {}),
      ...(change.suggestedDifficulty !== null ? { suggestedDifficulty: change.suggestedDifficulty } : {}),
      minDifficulty: settings.minimumDifficulty,
      cooldownSeconds: settings.farmerUpdateCooldown,
      graceSeconds: settings.difficultyGraceSeconds,
      now: Math.floor(this.now()),
    });
    const updated = events.find((e) => e.type === 'FarmerUpdated')?.data as Record<string, unknown> | undefined;
    const answer: Record<string, boolean> = {};
    if (change.authenticationPublicKey !== null) answer.authentication_public_key = updated?.authenticationPublicKey !== undefined;
    if (change.payoutInstructions !== null) answer.payout_instructions = updated?.payoutInstructions !== undefined;
    if (change.suggestedDifficulty !== null) answer.suggested_difficulty = events.some((e) => e.type === 'DifficultyChanged');
    return answer;
  }

  /**
   * 48 bytes that are not a G1 point would be stored and then fail every later signature check, locking the
   * farmer out; Chia refuses such a key when it parses the request, so this answers as for a malformed one.
   */
  private requirePublicKey(key: Uint8Array): void {
    try {
      this.bls.deriveChildPkUnhardened(key, 0); // throws on bytes that are not a point of G1
    } catch {
      throw new PoolProtocolError(PoolErrorCode.SERVER_EXCEPTION, 'invalid request: authentication_public_key is not a valid BLS public key');
    }
  }

  /** The puzzle hash payouts go to, from an address or a puzzle hash (error 15 otherwise). */
  payoutPuzzleHash(instructions: string): string {
    try {
      return bytesToHex(payoutInstructionsToPuzzleHash(instructions));
    } catch (error) {
      const why = error instanceof AddressError || error instanceof Error ? error.message : String(error);
      throw new PoolProtocolError(PoolErrorCode.INVALID_PAYOUT_INSTRUCTIONS, `payout instructions must be an address or a 32-byte puzzle hash: ${why}`);
    }
  }

  private async readSingleton(launcherId: string): Promise<SingletonState & { peak: number }> {
    const peak = await this.peak.fresh();
    let singleton: SingletonState | null;
    try {
      singleton = await readSingletonState(this.chain, launcherId, peak, this.config.settings.confirmationSecurityThreshold);
    } catch (error) {
      throw new PoolProtocolError(PoolErrorCode.INVALID_SINGLETON, `could not follow plot NFT ${launcherId}: ${(error as Error).message}`);
    }
    if (!singleton) throw new PoolProtocolError(PoolErrorCode.INVALID_SINGLETON, `${launcherId} is not a plot NFT on this chain`);
    if (!singleton.buriedState) {
      throw new PoolProtocolError(
        PoolErrorCode.INVALID_SINGLETON,
        `plot NFT ${launcherId} is not yet buried by ${this.config.settings.confirmationSecurityThreshold} blocks; try again later`,
      );
    }
    return { ...singleton, peak };
  }

  private async memberSingleton(launcherId: string): Promise<SingletonState> {
    const singleton = await this.readSingleton(launcherId);
    const settings = this.config.settings;
    const pool = { targetPuzzleHash: settings.targetPuzzleHash, relativeLockHeight: settings.relativeLockHeight };
    if (!isPoolMember(singleton.buriedState!, singleton.buriedStateHeight!, singleton.peak, pool)) {
      throw new PoolProtocolError(PoolErrorCode.INVALID_SINGLETON, `plot NFT ${launcherId} is not farming to this pool`);
    }
    return singleton;
  }
}
