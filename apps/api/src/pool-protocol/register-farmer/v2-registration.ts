import { Inject, Injectable } from '@nestjs/common';
import { bytesToHex, PoolErrorCode, PostFarmerPayloadSchema, rewardPuzzleHash, type BlsBackend, type PostFarmerRequest } from '@pool/chia';
import { BLS } from '@pool/runtime';
import { requireV2SigningKey } from '../authentication/authentication-keys';
import { FarmerRecords } from '../authentication/farmer-records';
import { payoutPuzzleHash } from '../payout-instructions';
import { PoolProtocolError } from '../pool-protocol.error';
import { PlotNftMembership } from './plot-nft-membership';
import { refuseIfRegistered, type RegistrationFacts, type RegistrationVerifier } from './registration';

/** A v2 plot NFT has no p2_singleton delay; the v1 fields of FarmerRegistered carry these neutral values. */
const NO_DELAY_PUZZLE_HASH = '00'.repeat(32);

/**
 * POST /v2/farmer (CHIP-59). Signature first (its key comes from the request, so a forgery costs no node call), then
 * the ledger, then the plot NFT on chain. Unlike pool2-reference: a launcher already registered is refused (11)
 * instead of being overwritten.
 */
@Injectable()
export class V2Registration implements RegistrationVerifier {
  constructor(
    @Inject(BLS) private readonly bls: BlsBackend,
    private readonly records: FarmerRecords,
    private readonly plotNft: PlotNftMembership,
  ) {}

  async verify(request: PostFarmerRequest, launcherId: string): Promise<RegistrationFacts> {
    const { payload } = request;
    const signingKey = requireV2SigningKey(this.bls, payload.authenticationPublicKey);
    if (!this.bls.verify(signingKey, PostFarmerPayloadSchema.hash(payload), request.signature)) {
      throw new PoolProtocolError(PoolErrorCode.INVALID_SIGNATURE, 'the signature does not verify with the 12381-derived key of authentication_public_key');
    }
    await refuseIfRegistered(this.records, launcherId, '/v2/farmer');
    const payoutHash = payoutPuzzleHash(payload.payoutInstructions);
    const authenticationPublicKey = bytesToHex(payload.authenticationPublicKey);
    await this.plotNft.requireV2Member(launcherId, authenticationPublicKey);
    return {
      launcherId,
      authenticationPublicKey,
      // In v2 the authentication key IS the plot NFT owner's synthetic key.
      ownerPublicKey: authenticationPublicKey,
      payoutInstructions: payload.payoutInstructions,
      payoutPuzzleHash: payoutHash,
      p2SingletonPuzzleHash: rewardPuzzleHash(launcherId),
      delayTime: 0,
      delayPuzzleHash: NO_DELAY_PUZZLE_HASH,
      protocolVersion: 2,
    };
  }
}
