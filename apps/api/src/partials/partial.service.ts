import { Inject, Injectable } from '@nestjs/common';
import { bytesToHex, PoolErrorCode, type FullNodeRpc, type PosConsensusConstants, type PostPartialRequestLegacy } from '@pool/chia';
import { type PoolConfig } from '@pool/config';
import { POOL_CONFIG } from '@pool/runtime';
import { PARTIAL_CRYPTO } from '../crypto/partial-crypto';
import { partialDecider, partialStream } from '@pool/domain';
import { FarmerService } from '../farmers/farmer.service';
import { PeakTracker } from '../farmers/peak-tracker';
import { StreamCommandRunner } from '@pool/event-sourcing';
import { PoolProtocolError } from '../protocol/pool-protocol.error';
import { type PartialCryptoVerifier } from '../crypto/partial-crypto';
import { CHAIN, CLOCK, COMMAND_RUNNER, POS_CONSTANTS, type Clock } from '@pool/runtime';
import { validatePartial, type PartialValidationContext } from './partial-validation';

/**
 * Concurrent lookups of the same signage point share one RPC call: every farmer's partials for a signage point
 * arrive within seconds of each other, and each answer is as fresh as a call made for that partial alone
 * (nothing is kept once the call settles).
 */
function coalescingSignagePointLookups(chain: Pick<FullNodeRpc, 'getRecentSignagePointOrEos'>): Pick<FullNodeRpc, 'getRecentSignagePointOrEos'> {
  const inFlight = new Map<string, ReturnType<FullNodeRpc['getRecentSignagePointOrEos']>>();
  return {
    getRecentSignagePointOrEos(query) {
      const key = 'spHash' in query ? `sp:${query.spHash}` : `eos:${query.challengeHash}`;
      let pending = inFlight.get(key);
      if (pending === undefined) {
        pending = chain.getRecentSignagePointOrEos(query);
        inFlight.set(key, pending);
        const forget = (): void => void inFlight.delete(key);
        pending.then(forget, forget);
      }
      return pending;
    },
  };
}

/** POST /partial: validate, then record `PartialSubmitted` in a stream that can only be created once. */
@Injectable()
export class PartialService {
  private readonly validation: PartialValidationContext;

  constructor(
    @Inject(COMMAND_RUNNER) private readonly runner: StreamCommandRunner,
    @Inject(CLOCK) private readonly now: Clock,
    @Inject(POOL_CONFIG) config: PoolConfig,
    @Inject(CHAIN) chain: FullNodeRpc,
    @Inject(PARTIAL_CRYPTO) crypto: PartialCryptoVerifier,
    @Inject(POS_CONSTANTS) constants: PosConsensusConstants,
    private readonly farmers: FarmerService,
    peak: PeakTracker,
  ) {
    this.validation = {
      crypto,
      chain: coalescingSignagePointLookups(chain),
      constants,
      partialTimeLimit: config.settings.partialTimeLimit,
      nextHeight: async () => (await peak.height()) + 1,
    };
  }

  /**
   * `authenticated` is for /v2/partial, whose caller has already checked the JWT: the payload's v1 time token
   * is then not checked (a v2 farmer still sends one, but pool2-reference ignores it).
   */
  async submit(request: PostPartialRequestLegacy, authenticated: 'v1-token' | 'v2-jwt' = 'v1-token'): Promise<{ new_difficulty: bigint }> {
    const receivedAt = this.now();
    if (authenticated === 'v1-token') this.farmers.checkToken(request.payload.authenticationToken);
    const launcherId = bytesToHex(request.payload.launcherId);
    const farmer = await this.farmers.known(launcherId);
    if (!farmer.isMember) {
      throw new PoolProtocolError(PoolErrorCode.INVALID_SINGLETON, `plot NFT ${launcherId} has left this pool; its partials no longer count`);
    }
    const valid = await validatePartial(request, farmer, receivedAt, this.validation);
    await this.runner.run(
      partialStream(valid.proofHash),
      partialDecider,
      {
        type: 'SubmitPartial',
        launcherId,
        proofHash: valid.proofHash,
        points: valid.points.toString(),
        signagePointHash: valid.signagePointHash,
        receivedAt: Math.floor(receivedAt),
        plotSize: valid.plotSize,
      },
      { cache: false, expectNew: true },
    );
    const difficulty = await this.farmers.afterAcceptedPartial(farmer, { proofHash: valid.proofHash, receivedAt: Math.floor(receivedAt), points: valid.points });
    return { new_difficulty: difficulty };
  }
}
