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
  verifyProof,
  type BlsBackend,
  type FullNodeRpc,
  type PosConsensusConstants,
  type PostPartialRequestLegacy,
} from '@pool/chia';
import { acceptedDifficulties, type RegisteredFarmer } from '@pool/domain';
import { PoolProtocolError } from '../protocol/pool-protocol.error';

export interface PartialValidationContext {
  bls: Pick<BlsBackend, 'aggregateVerify'>;
  chain: Pick<FullNodeRpc, 'getRecentSignagePointOrEos'>;
  constants: PosConsensusConstants;
  /** Seconds a partial may arrive after the node saw its signage point. */
  partialTimeLimit: number;
  /** Height of the next block (peak + 1): the plot filter in force. */
  nextHeight(): Promise<number>;
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
}

const fail = (code: PoolErrorCode, message: string): never => {
  throw new PoolProtocolError(code, message);
};

/**
 * The checks a partial must pass, in the reference pool's order (signature, pool contract, signage point,
 * time, proof, quality), each failing with the protocol's code and a message the farmer can act on.
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

  const message = PostPartialPayloadSchema.hash(payload);
  const authPk = Buffer.from(farmer.authenticationPublicKey, 'hex');
  if (!ctx.bls.aggregateVerify([pos.plotPublicKey, authPk], [message, message], request.aggregateSignature)) {
    fail(PoolErrorCode.INVALID_SIGNATURE, 'the aggregate signature does not verify for the plot key and your registered authentication key');
  }

  const contract = pos.poolContractPuzzleHash;
  if (contract === null || bytesToHex(contract) !== farmer.p2SingletonPuzzleHash) {
    fail(
      PoolErrorCode.INVALID_P2_SINGLETON_PUZZLE_HASH,
      `the plot's pool contract puzzle hash ${contract ? bytesToHex(contract) : '(none: a pool public key plot)'} is not your plot NFT's (${farmer.p2SingletonPuzzleHash})`,
    );
  }

  const spHash = bytesToHex(payload.spHash);
  const seen = await ctx.chain.getRecentSignagePointOrEos(payload.endOfSubSlot ? { challengeHash: spHash } : { spHash });
  if (seen === null) fail(PoolErrorCode.NOT_FOUND, `the node does not know ${payload.endOfSubSlot ? 'end of sub-slot' : 'signage point'} ${spHash}`);
  if (seen!.reverted) fail(PoolErrorCode.REVERTED_SIGNAGE_POINT, `signage point ${spHash} was reverted by the chain`);
  const late = receivedAt - seen!.timeReceived;
  if (late > ctx.partialTimeLimit) {
    fail(PoolErrorCode.TOO_LATE, `the partial arrived ${late.toFixed(1)} s after the signage point; the limit is ${ctx.partialTimeLimit} s`);
  }
  let challengeHash: Uint8Array;
  if (seen!.kind === 'eos') {
    challengeHash = ChallengeChainSubSlotSchema.hash(seen!.eos.challengeChain);
  } else {
    const vdf = seen!.signagePoint.ccVdf;
    if (!vdf) return fail(PoolErrorCode.NOT_FOUND, `signage point ${spHash} has no challenge-chain VDF yet`);
    challengeHash = vdf.challenge;
  }

  if (pos.version !== 0) fail(PoolErrorCode.INVALID_PROOF, 'v2 proofs of space are not active on this network');
  if (pos.poolPublicKey !== null) fail(PoolErrorCode.INVALID_PROOF, 'a pool partial carries a pool contract puzzle hash, not a pool public key');
  if (!isPlotSizeAllowedV1(pos.size, ctx.constants)) {
    fail(PoolErrorCode.INVALID_PROOF, `plot size k=${pos.size} is outside ${ctx.constants.minPlotSizeV1}..${ctx.constants.maxPlotSizeV1}`);
  }
  const plotId = plotIdFromPoolContractPuzzleHash(contract!, pos.plotPublicKey);
  if (Buffer.compare(Buffer.from(posChallenge(plotId, challengeHash, payload.spHash)), Buffer.from(pos.challenge)) !== 0) {
    fail(PoolErrorCode.INVALID_PROOF, 'the proof challenge does not match this plot and signage point');
  }
  const filterBits = plotFilterBitsForHeight(await ctx.nextHeight(), ctx.constants);
  if (!passesPlotFilter(plotId, challengeHash, payload.spHash, filterBits)) {
    fail(PoolErrorCode.INVALID_PROOF, `the plot does not pass the ${filterBits}-bit plot filter for this signage point`);
  }
  const verdict = verifyProof(pos.size, plotId, pos.challenge, pos.proof);
  if (!verdict.valid) return fail(PoolErrorCode.INVALID_PROOF, `invalid proof of space: ${verdict.reason}`);

  const limit = ctx.constants.poolSubSlotIters / BigInt(ctx.constants.numSpsSubSlot);
  const credited = acceptedDifficulties(farmer, receivedAt).find(
    (difficulty) => requiredIterations(verdict.quality, payload.spHash, pos.size, difficulty, ctx.constants.difficultyConstantFactor) < limit,
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
    quality: bytesToHex(verdict.quality),
  };
}
