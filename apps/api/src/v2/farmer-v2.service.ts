import { Inject, Injectable } from '@nestjs/common';
import {
  bytesToHex,
  CLVM_NIL,
  PoolErrorCode,
  PostFarmerPayloadSchema,
  rewardPuzzleHash,
  type BlsBackend,
  type FullNodeRpc,
  type PlotNftV2Pool,
  type PostFarmerRequest,
  type PutFarmerRequestAnyEdition,
} from '@pool/chia';
import { type PoolConfig } from '@pool/config';
import { POOL_CONFIG } from '@pool/runtime';
import { farmerDecider, farmerStream } from '@pool/domain';
import { FarmerService } from '../farmers/farmer.service';
import { PeakTracker } from '../farmers/peak-tracker';
import { StreamCommandRunner } from '@pool/event-sourcing';
import { PoolProtocolError } from '../protocol/pool-protocol.error';
import { BLS, CHAIN, CLOCK, COMMAND_RUNNER, type Clock } from '@pool/runtime';
import { findPoolingPlotNftV2 } from './plot-nft-v2-membership';
import { V2AuthService, v2SigningKey } from './v2-auth.service';

/** A v2 plot NFT has no p2_singleton delay; the v1 fields of FarmerRegistered carry these neutral values. */
const NO_DELAY_PUZZLE_HASH = '00'.repeat(32);

/** Registration, updates and reads of v2 farmers (pool protocol v2, CHIP-59). */
@Injectable()
export class FarmerV2Service {
  constructor(
    @Inject(COMMAND_RUNNER) private readonly runner: StreamCommandRunner,
    @Inject(CHAIN) private readonly chain: FullNodeRpc,
    @Inject(BLS) private readonly bls: BlsBackend,
    @Inject(POOL_CONFIG) private readonly config: PoolConfig,
    @Inject(CLOCK) private readonly now: Clock,
    private readonly v1Farmers: FarmerService,
    private readonly peak: PeakTracker,
    private readonly auth: V2AuthService,
  ) {}

  /** This pool's identity as v2 plot NFTs commit to it (CHIP-59 PoolConfig); no reward memoization. */
  pool(): PlotNftV2Pool {
    const s = this.config.settings;
    return { poolClaimHash: s.targetPuzzleHash, relativeLockHeight: s.relativeLockHeight, poolMemoization: bytesToHex(CLVM_NIL) };
  }

  /**
   * POST /v2/farmer. Signature first (its key comes from the request, so a forgery costs no node call), then the
   * plot NFT on chain, then the ledger. Unlike pool2-reference: a suggested difficulty below the minimum is not
   * taken, and a launcher already registered is refused (11) instead of being overwritten.
   */
  async register(request: PostFarmerRequest): Promise<{ welcome_message: string }> {
    const { payload } = request;
    const launcherId = bytesToHex(payload.launcherId);
    const signingKey = this.signingKey(payload.authenticationPublicKey);
    if (!this.bls.verify(signingKey, PostFarmerPayloadSchema.hash(payload), request.signature)) {
      throw new PoolProtocolError(PoolErrorCode.INVALID_SIGNATURE, 'the signature does not verify with the 12381-derived key of authentication_public_key');
    }
    const { state } = await this.runner.load(farmerStream(launcherId), farmerDecider);
    if (state.status === 'registered') {
      throw new PoolProtocolError(PoolErrorCode.FARMER_ALREADY_KNOWN, `farmer ${launcherId} is already registered; use PUT /v2/farmer to change it`);
    }
    const payoutPuzzleHash = this.v1Farmers.payoutPuzzleHash(payload.payoutInstructions);
    const authenticationPublicKey = bytesToHex(payload.authenticationPublicKey);
    await this.requireMember(launcherId, authenticationPublicKey);
    const { minimumDifficulty, defaultDifficulty } = this.config.settings;
    const suggested = payload.suggestedDifficulty;
    await this.runner.run(farmerStream(launcherId), farmerDecider, {
      type: 'RegisterFarmer',
      launcherId,
      authenticationPublicKey,
      // In v2 the authentication key IS the plot NFT owner's synthetic key.
      ownerPublicKey: authenticationPublicKey,
      payoutInstructions: payload.payoutInstructions,
      payoutPuzzleHash,
      p2SingletonPuzzleHash: rewardPuzzleHash(launcherId),
      delayTime: 0,
      delayPuzzleHash: NO_DELAY_PUZZLE_HASH,
      difficulty: suggested !== null && suggested >= minimumDifficulty ? suggested : defaultDifficulty,
      protocolVersion: 2,
      now: Math.floor(this.now()),
    });
    return { welcome_message: this.config.settings.welcomeMessage };
  }

  /**
   * PUT /v2/farmer: the JWT authenticates (the farmer sends no signature). Cooldown and minimum difficulty apply as
   * in v1. A new authentication key is taken only if the chain shows the plot NFT pooling here under that key:
   * the key is part of the plot NFT's puzzle, so a token holder cannot swap in a key the plot NFT does not have.
   */
  async update(edition: PutFarmerRequestAnyEdition): Promise<Record<string, boolean>> {
    const { payload } = edition.request;
    const token = edition.edition === 'current' ? edition.request.payload.authenticationTokenV2 : undefined;
    await this.auth.requireJwt(token, payload.launcherId);
    const launcherId = bytesToHex(payload.launcherId);
    const farmer = await this.auth.knownV2(launcherId);
    let authenticationPublicKey: string | undefined;
    if (payload.authenticationPublicKey !== null) {
      this.signingKey(payload.authenticationPublicKey);
      authenticationPublicKey = bytesToHex(payload.authenticationPublicKey);
      if (authenticationPublicKey !== farmer.authenticationPublicKey) await this.requireMember(launcherId, authenticationPublicKey);
    }
    return this.v1Farmers.applyUpdate(launcherId, {
      authenticationPublicKey: authenticationPublicKey ?? null,
      payoutInstructions: payload.payoutInstructions,
      suggestedDifficulty: payload.suggestedDifficulty,
    });
  }

  /** GET /v2/farmer: JWT (12), then the farmer (10). */
  async get(launcherId: Uint8Array, token: string): Promise<object> {
    await this.auth.requireJwt(token, launcherId);
    const farmer = await this.auth.knownV2(bytesToHex(launcherId));
    return {
      authentication_public_key: `0x${farmer.authenticationPublicKey}`,
      payout_instructions: farmer.payoutInstructions,
      current_difficulty: farmer.difficulty,
      // The same confirmed points of the current payout window that GET /farmer (v1) reports.
      current_points: await this.v1Farmers.currentPoints(farmer.launcherId),
    };
  }

  private async requireMember(launcherId: string, authenticationPublicKey: string): Promise<void> {
    await findPoolingPlotNftV2(this.chain, {
      launcherId,
      authenticationPublicKey,
      pool: this.pool(),
      peak: await this.peak.fresh(),
      confirmationSecurityThreshold: this.config.settings.confirmationSecurityThreshold,
    });
  }

  private signingKey(authenticationPublicKey: Uint8Array): Uint8Array {
    try {
      return v2SigningKey(this.bls, authenticationPublicKey);
    } catch {
      throw new PoolProtocolError(PoolErrorCode.SERVER_EXCEPTION, 'invalid request: authentication_public_key is not a valid BLS public key');
    }
  }

}
