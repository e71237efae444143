import {
  type EndOfSubSlotBundle,
  type Hex,
  type SignagePoint,
  type VDFInfo,
  type VDFProof,
  ChallengeChainSubSlotSchema,
} from '@pool/chia';
import { type NetworkConstants, signagePointIntervalIters, signagePointIntervalMs } from '../network';
import { seededBytes, seededHash } from './seeded-hash';
import { bytesToHex, hexToBytes, sha256 } from '@pool/chia';

/**
 * One signage point of the simulated challenge chain. Index 0 of every sub-slot is the end-of-sub-slot bundle
 * that opens it (the farmer treats it as signage point 0), indexes 1..63 are plain signage points.
 */
export interface TimelineEntry {
  /** Position since genesis: subSlot * numSpsSubSlot + index. */
  seq: number;
  subSlot: number;
  index: number;
  /** Which fork produced it: 0 for the original chain, then one more per reorg. */
  branch: number;
  /**
   * The hash a farmer names in a partial or block: for index > 0 `sha256(cc_vdf.output)`, for index 0 the
   * challenge chain sub-slot hash (`eos.challenge_chain.get_hash()`), which is also the new sub-slot's challenge.
   */
  hash: Hex;
  /** The challenge the proof of space answers: `cc_vdf.challenge`, or `hash` itself for an EOS. */
  challenge: Hex;
  /** Nominal time of the signage point on the simulated clock (ms). */
  timeMs: number;
  /** Unix seconds (float) when the simulated node first saw it. */
  timeReceived: number;
  signagePoint: SignagePoint | null;
  eos: EndOfSubSlotBundle | null;
}

const EMPTY_PROOF: VDFProof = { witnessType: 0, witness: new Uint8Array(0), normalizedToIdentity: true };

function vdf(challenge: Uint8Array, iterations: bigint, output: Uint8Array): VDFInfo {
  return { challenge, numberOfIterations: iterations, output: { data: output } };
}

/**
 * Builds the entry at `seq` on `branch`. Everything comes from the seed, the branch and the position, plus the
 * previous sub-slot's challenge (so sub-slots chain like Chia's: a sub-slot's challenge is the hash of the
 * challenge chain part of the EOS that ends the one before).
 */
export function buildTimelineEntry(
  network: NetworkConstants,
  seed: string,
  seq: number,
  branch: number,
  previousSubSlotChallenge: Hex,
  currentSubSlotChallenge: Hex | null,
  startMs: number,
  receivedMs: number,
): TimelineEntry {
  const subSlot = Math.floor(seq / network.numSpsSubSlot);
  const index = seq % network.numSpsSubSlot;
  const timeMs = startMs + seq * signagePointIntervalMs(network);
  const common = { seq, subSlot, index, branch, timeMs, timeReceived: receivedMs / 1000 };
  if (index === 0) {
    const challengeChain = {
      challengeChainEndOfSlotVdf: vdf(
        hexToBytes(previousSubSlotChallenge),
        network.subSlotIters,
        seededBytes(100, seed, 'cc-eos', branch, seq),
      ),
      infusedChallengeChainSubSlotHash: null,
      subepochSummaryHash: null,
      newSubSlotIters: null,
      newDifficulty: null,
    };
    const hash = bytesToHex(ChallengeChainSubSlotSchema.hash(challengeChain));
    const eos: EndOfSubSlotBundle = {
      challengeChain,
      infusedChallengeChain: null,
      rewardChain: {
        endOfSlotVdf: vdf(seededHash(seed, 'rc-eos-challenge', branch, seq), network.subSlotIters, seededBytes(100, seed, 'rc-eos', branch, seq)),
        challengeChainSubSlotHash: hexToBytes(hash),
        infusedChallengeChainSubSlotHash: null,
        deficit: 16,
      },
      proofs: { challengeChainSlotProof: EMPTY_PROOF, infusedChallengeChainSlotProof: null, rewardChainSlotProof: EMPTY_PROOF },
    };
    return { ...common, hash, challenge: hash, signagePoint: null, eos };
  }
  if (currentSubSlotChallenge === null) throw new Error('a signage point needs its sub-slot challenge');
  const iterations = BigInt(index) * signagePointIntervalIters(network);
  const ccOutput = seededBytes(100, seed, 'cc-sp', branch, seq);
  const signagePoint: SignagePoint = {
    ccVdf: vdf(hexToBytes(currentSubSlotChallenge), iterations, ccOutput),
    ccProof: EMPTY_PROOF,
    rcVdf: vdf(seededHash(seed, 'rc-sp-challenge', branch, subSlot), iterations, seededBytes(100, seed, 'rc-sp', branch, seq)),
    rcProof: EMPTY_PROOF,
  };
  return {
    ...common,
    hash: bytesToHex(sha256(ccOutput)),
    challenge: currentSubSlotChallenge,
    signagePoint,
    eos: null,
  };
}
