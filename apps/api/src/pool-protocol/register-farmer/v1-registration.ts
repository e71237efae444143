import { Inject, Injectable } from '@nestjs/common';
import { bytesToHex, hexToBytes, PoolErrorCode, PostFarmerPayloadSchema, type BlsBackend, type PostFarmerRequest } from '@pool/chia';
import { BLS } from '@pool/runtime';
import { requireAuthenticationKey } from '../authentication/authentication-keys';
import { FarmerRecords } from '../authentication/farmer-records';
import { V1Authentication } from '../authentication/v1-authentication';
import { payoutPuzzleHash } from '../payout-instructions';
import { PoolProtocolError } from '../pool-protocol.error';
import { PlotNftMembership } from './plot-nft-membership';
import { refuseIfRegistered, type RegistrationFacts, type RegistrationVerifier } from './registration';

const MIN_DELAY_TIME = 3600n;

/**
 * POST /farmer (v1). Unlike the reference pool, a plot NFT that is not farming to this pool cannot register. Like it,
 * membership is judged on the plot NFT's latest state, and its owner key (the one that signs) is the latest state's.
 */
@Injectable()
export class V1Registration implements RegistrationVerifier {
  constructor(
    @Inject(BLS) private readonly bls: BlsBackend,
    private readonly auth: V1Authentication,
    private readonly records: FarmerRecords,
    private readonly plotNft: PlotNftMembership,
  ) {}

  async verify(request: PostFarmerRequest, launcherId: string): Promise<RegistrationFacts> {
    const { payload } = request;
    requireAuthenticationKey(this.bls, payload.authenticationPublicKey);
    this.auth.checkToken(payload.authenticationToken);
    await refuseIfRegistered(this.records, launcherId, '/farmer');
    const singleton = await this.plotNft.memberSingleton(launcherId);
    const payoutHash = payoutPuzzleHash(payload.payoutInstructions);
    if (!this.bls.verify(hexToBytes(singleton.latestState.ownerPubkey, 48), PostFarmerPayloadSchema.hash(payload), request.signature)) {
      throw new PoolProtocolError(PoolErrorCode.INVALID_SIGNATURE, "the signature does not verify with the plot NFT's owner key");
    }
    if (singleton.delayTime < MIN_DELAY_TIME) {
      throw new PoolProtocolError(PoolErrorCode.DELAY_TIME_TOO_SHORT, `the plot NFT's delay time ${singleton.delayTime} s is below ${MIN_DELAY_TIME} s`);
    }
    return {
      launcherId,
      authenticationPublicKey: bytesToHex(payload.authenticationPublicKey),
      ownerPublicKey: singleton.latestState.ownerPubkey,
      payoutInstructions: payload.payoutInstructions,
      payoutPuzzleHash: payoutHash,
      p2SingletonPuzzleHash: singleton.p2SingletonPuzzleHash,
      delayTime: Number(singleton.delayTime),
      delayPuzzleHash: singleton.delayPuzzleHash,
      protocolVersion: 1,
    };
  }
}
