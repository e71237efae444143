import { Inject, Injectable } from '@nestjs/common';
import { bytesToHex, PoolErrorCode, type BlsBackend, type FullNodeRpc, type PosConsensusConstants, type PostPartialRequestLegacy } from '@pool/chia';
import { POOL_CONFIG, type PoolConfig } from '@pool/config';
import { partialDecider, partialStream } from '@pool/domain';
import { FarmerService } from '../farmers/farmer.service';
import { PeakTracker } from '../farmers/peak-tracker';
import { StreamCommandRunner } from '../ledger/stream-command-runner';
import { PoolProtocolError } from '../protocol/pool-protocol.error';
import { BLS, CHAIN, CLOCK, COMMAND_RUNNER, POS_CONSTANTS, type Clock } from '../tokens';
import { validatePartial, type PartialValidationContext } from './partial-validation';

/** POST /partial: validate, then record `PartialSubmitted` in a stream that can only be created once. */
@Injectable()
export class PartialService {
  private readonly validation: PartialValidationContext;

  constructor(
    @Inject(COMMAND_RUNNER) private readonly runner: StreamCommandRunner,
    @Inject(CLOCK) private readonly now: Clock,
    @Inject(POOL_CONFIG) config: PoolConfig,
    @Inject(CHAIN) chain: FullNodeRpc,
    @Inject(BLS) bls: BlsBackend,
    @Inject(POS_CONSTANTS) constants: PosConsensusConstants,
    private readonly farmers: FarmerService,
    peak: PeakTracker,
  ) {
    this.validation = {
      bls,
      chain,
      constants,
      partialTimeLimit: config.settings.partialTimeLimit,
      nextHeight: async () => (await peak.height()) + 1,
    };
  }

  async submit(request: PostPartialRequestLegacy): Promise<{ new_difficulty: bigint }> {
    const receivedAt = this.now();
    this.farmers.checkToken(request.payload.authenticationToken);
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
      { cache: false },
    );
    return { new_difficulty: farmer.difficulty };
  }
}
