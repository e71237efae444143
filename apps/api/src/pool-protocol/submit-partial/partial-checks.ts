import {
  bytesToHex,
  ChallengeChainSubSlotSchema,
  isPlotSizeAllowedV1,
  passesPlotFilter,
  plotFilterBitsForHeight,
  plotIdFromPoolContractPuzzleHash,
  PoolErrorCode,
  posChallenge,
  PostPartialPayloadSchema,
  ProofOfSpaceSchema,
  requiredIterations,
  rewardPuzzleHash,
  type FullNodeRpc,
  type PosConsensusConstants,
  type PostPartialRequestLegacy,
} from '@pool/chia';
import { acceptedDifficulties, type RegisteredFarmer } from '@pool/domain';
import { PartialCryptoBusyError } from './crypto/bounded-partial-crypto';
import { type PartialCryptoJob, type PartialCryptoResult, type PartialCryptoVerifier } from './crypto/partial-crypto';
import { type CryptoFailureGate } from './crypto-failure-budget';
import { PoolProtocolError } from '../pool-protocol.error';

export interface PartialValidationContext {
  /** Signature and proof of space, off the event loop when this is the worker pool (reached last). */
  crypto: Pick<PartialCryptoVerifier, 'verify'>;
  /**
   * The node's signage points; null once it still does not know the point after waiting for it
   * (SignagePointLookups: the farmer may have heard of it before the pool's node).
   */
  chain: Pick<FullNodeRpc, 'getRecentSignagePointOrEos'>;
  constants: PosConsensusConstants;
  /** Seconds a partial may arrive after the node saw its signage point. */
  partialTimeLimit: number;
  /** Height of the next block (peak + 1): the plot filter in force. */
  nextHeight(): Promise<number>;
  /** The sender's budget of crypto failures for this launcher (CryptoFailureBudget); none = unlimited. */
  failures?: CryptoFailureGate;
}

/** What a valid partial is worth, for the SubmitPartial command. */
export interface ValidatedPartial {
  launcherId: string;
  proofHash: string;
  /** The difficulty it was checked against and is credited at. */
  points: bigint;
  signagePointHash: string;
  plotSize: number;
  quality: string;
  /** The plot's public key (G1 hex) and its plot id (hex), kept with the partial to tell plots apart. */
  plotPublicKey: string;
  plotId: string;
}

/**
 * The plot's pool contract puzzle hash a farmer's partials must carry: v1 plots pay the p2_singleton_or_delayed
 * puzzle recorded at registration; v2 plots pay RewardPuzzle(launcher_id), which depends on nothing else.
 */
export function expectedPoolContract(farmer: RegisteredFarmer, launcherId: string): string {
  return farmer.protocolVersion === 2 ? rewardPuzzleHash(launcherId) : farmer.p2SingletonPuzzleHash;
}

const fail = (code: PoolErrorCode, message: string): never => {
  throw new PoolProtocolError(code, message);
};

/** The crypto job of a partial: its aggregate signature (plot key + the farmer's authentication key) and its proof. */
export function partialCryptoJob(request: PostPartialRequestLegacy, farmer: RegisteredFarmer): PartialCryptoJob {
  const pos = request.payload.proofOfSpace;
  const contract = pos.poolContractPuzzleHash;
  return {
    kind: 'partial',
    pks: [pos.plotPublicKey, Buffer.from(farmer.authenticationPublicKey, 'hex')],
    message: PostPartialPayloadSchema.hash(request.payload),
    signature: request.aggregateSignature,
    k: pos.size,
    plotId: contract === null ? null : plotIdFromPoolContractPuzzleHash(contract, pos.plotPublicKey),
    challenge: pos.challenge,
    proof: pos.proof,
  };
}

/**
 * The checks a partial must pass, each failing with the protocol's code and a message the farmer can act on,
 * cheapest first: the sender's failure budget (a map lookup), the pool contract (a comparison), the proof's shape,
 * the signage point (the node, which may wait for a point it does not know yet, but costs no CPU), the proof's
 * challenge and the plot filter (a few hashes), and only then the signature and the proof of space (about 3.5 ms of
 * a worker thread), then the quality. A forged partial thus costs the pool a worker's time only once it carries
 * this farmer's pool contract, a live signage point and a plot passing the filter; the reference pool checks the
 * signature first, so a partial failing several checks may be answered with a different one of them here.
 * `receivedAt` is unix seconds (fractional) when the request arrived.
 */
export async function validatePartial(
  request: PostPartialRequestLegacy,
  farmer: RegisteredFarmer,
  receivedAt: number,
  ctx: PartialValidationContext,
): Promise<ValidatedPartial> {
  const { payload } = request;
  const pos = payload.proofOfSpace;
  const launcherId = bytesToHex(payload.launcherId);
  const v2 = farmer.protocolVersion === 2;

  ctx.failures?.admit();

  const contract = pos.poolContractPuzzleHash;
  const expectedContract = expectedPoolContract(farmer, launcherId);
  if (contract === null || bytesToHex(contract) !== expectedContract) {
    return fail(
      PoolErrorCode.INVALID_P2_SINGLETON_PUZZLE_HASH,
      `the plot's pool contract puzzle hash ${contract ? bytesToHex(contract) : '(none: a pool public key plot)'} is not your plot NFT's (${v2 ? 'RewardPuzzle' : 'p2_singleton'} ${expectedContract})`,
    );
  }
  const plotId = plotIdFromPoolContractPuzzleHash(contract, pos.plotPublicKey);

  if (pos.version !== 0) fail(PoolErrorCode.INVALID_PROOF, 'v2 proofs of space are not active on this network');
  if (pos.poolPublicKey !== null) fail(PoolErrorCode.INVALID_PROOF, 'a pool partial carries a pool contract puzzle hash, not a pool public key');
  if (!isPlotSizeAllowedV1(pos.size, ctx.constants)) {
    fail(PoolErrorCode.INVALID_PROOF, `plot size k=${pos.size} is outside ${ctx.constants.minPlotSizeV1}..${ctx.constants.maxPlotSizeV1}`);
  }

  const spHash = bytesToHex(payload.spHash);
  const seen = await ctx.chain.getRecentSignagePointOrEos(payload.endOfSubSlot ? { challengeHash: spHash } : { spHash });
  if (seen === null) {
    return fail(PoolErrorCode.NOT_FOUND, `the node does not know ${payload.endOfSubSlot ? 'end of sub-slot' : 'signage point'} ${spHash}, even after waiting for it`);
  }
  if (seen.reverted) fail(PoolErrorCode.REVERTED_SIGNAGE_POINT, `signage point ${spHash} was reverted by the chain`);
  // From the node's own receive time to the request's, never to now: waiting for the point is not lateness.
  const late = receivedAt - seen.timeReceived;
  if (late > ctx.partialTimeLimit) {
    fail(PoolErrorCode.TOO_LATE, `the partial arrived ${late.toFixed(1)} s after the signage point; the limit is ${ctx.partialTimeLimit} s`);
  }
  let challengeHash: Uint8Array;
  if (seen.kind === 'eos') {
    challengeHash = ChallengeChainSubSlotSchema.hash(seen.eos.challengeChain);
  } else {
    const vdf = seen.signagePoint.ccVdf;
    if (!vdf) return fail(PoolErrorCode.NOT_FOUND, `signage point ${spHash} has no challenge-chain VDF yet`);
    challengeHash = vdf.challenge;
  }

  if (Buffer.compare(Buffer.from(posChallenge(plotId, challengeHash, payload.spHash)), Buffer.from(pos.challenge)) !== 0) {
    fail(PoolErrorCode.INVALID_PROOF, 'the proof challenge does not match this plot and signage point');
  }
  const filterBits = plotFilterBitsForHeight(await ctx.nextHeight(), ctx.constants);
  if (!passesPlotFilter(plotId, challengeHash, payload.spHash, filterBits)) {
    fail(PoolErrorCode.INVALID_PROOF, `the plot does not pass the ${filterBits}-bit plot filter for this signage point`);
  }

  const verdict = await verifyCrypto(request, farmer, ctx);
  if (!verdict.signatureValid) {
    ctx.failures?.failed();
    fail(
      PoolErrorCode.INVALID_SIGNATURE,
      v2
        ? "the aggregate signature does not verify for the plot key and your plot NFT's authentication (synthetic) key"
        : 'the aggregate signature does not verify for the plot key and your registered authentication key',
    );
  }
  const proof = verdict.proof;
  if (!proof.valid) {
    ctx.failures?.failed();
    return fail(PoolErrorCode.INVALID_PROOF, `invalid proof of space: ${proof.reason}`);
  }

  const limit = ctx.constants.poolSubSlotIters / BigInt(ctx.constants.numSpsSubSlot);
  const credited = acceptedDifficulties(farmer, receivedAt).find(
    (difficulty) => requiredIterations(proof.quality, payload.spHash, pos.size, difficulty, ctx.constants.difficultyConstantFactor) < limit,
  );
  if (credited === undefined) {
    fail(PoolErrorCode.PROOF_NOT_GOOD_ENOUGH, `the proof's quality does not meet your difficulty ${farmer.difficulty}`);
  }

  return {
    launcherId,
    proofHash: bytesToHex(ProofOfSpaceSchema.hash(pos)),
    points: credited!,
    signagePointHash: spHash,
    plotSize: pos.size,
    quality: bytesToHex(proof.quality),
    plotPublicKey: bytesToHex(pos.plotPublicKey),
    plotId: bytesToHex(plotId),
  };
}

/**
 * The signature and proof, on the verifier; a verifier at its bound (BoundedPartialCrypto) refuses with 16, the code
 * this pool sheds load with (as its rate limits do): the partial was not judged, and the farmer did nothing wrong.
 * Not 8: this pool answers 8 for a request it cannot read, and farmers' dashboards say so.
 */
async function verifyCrypto(request: PostPartialRequestLegacy, farmer: RegisteredFarmer, ctx: PartialValidationContext): Promise<PartialCryptoResult> {
  try {
    return await ctx.crypto.verify(partialCryptoJob(request, farmer));
  } catch (error) {
    if (!(error instanceof PartialCryptoBusyError)) throw error;
    return fail(
      PoolErrorCode.REQUEST_FAILED,
      `the pool is busy: ${error.outstanding} partials are already waiting for their signature and proof check; this one was not checked, nothing counts against you`,
    );
  }
}
