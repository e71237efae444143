import { bool, bytes, bytes100, bytes32, g1Element, optional, str, uint32, uint64, uint8 } from './field-codecs';
import { defineStreamable, field, type StreamableSchema } from './streamable-schema';

/**
 * The v1 pool singleton's state, stored under key "p" in launcher and travel spends, as a Streamable schema
 * (bytes + JSON). `puzzles/` owns the domain-facing `PoolState` (hex fields, state enum); this one has raw
 * bytes and is named apart so both can be exported from the package root. `state`: 1 SELF_POOLING,
 * 2 LEAVING_POOL, 3 FARMING_TO_POOL.
 */
export interface StreamablePoolState {
  version: number;
  state: number;
  targetPuzzleHash: Uint8Array;
  ownerPubkey: Uint8Array;
  poolUrl: string | null;
  relativeLockHeight: number;
}
export const PoolStateSchema: StreamableSchema<StreamablePoolState> = defineStreamable('PoolState', [
  field('version', uint8),
  field('state', uint8),
  field('targetPuzzleHash', bytes32),
  field('ownerPubkey', g1Element),
  field('poolUrl', optional(str)),
  field('relativeLockHeight', uint32),
]);

export interface ClassgroupElement {
  data: Uint8Array;
}
export const ClassgroupElementSchema: StreamableSchema<ClassgroupElement> = defineStreamable('ClassgroupElement', [
  field('data', bytes100),
]);

export interface VDFInfo {
  challenge: Uint8Array;
  numberOfIterations: bigint;
  output: ClassgroupElement;
}
export const VDFInfoSchema: StreamableSchema<VDFInfo> = defineStreamable('VDFInfo', [
  field('challenge', bytes32),
  field('numberOfIterations', uint64),
  field('output', ClassgroupElementSchema),
]);

/**
 * The challenge chain part of an end-of-sub-slot bundle. Its hash is the challenge of an EOS partial
 * (`end_of_sub_slot.challenge_chain.get_hash()`).
 */
export interface ChallengeChainSubSlot {
  challengeChainEndOfSlotVdf: VDFInfo;
  infusedChallengeChainSubSlotHash: Uint8Array | null;
  subepochSummaryHash: Uint8Array | null;
  newSubSlotIters: bigint | null;
  newDifficulty: bigint | null;
}
export const ChallengeChainSubSlotSchema: StreamableSchema<ChallengeChainSubSlot> = defineStreamable(
  'ChallengeChainSubSlot',
  [
    field('challengeChainEndOfSlotVdf', VDFInfoSchema),
    field('infusedChallengeChainSubSlotHash', optional(bytes32)),
    field('subepochSummaryHash', optional(bytes32)),
    field('newSubSlotIters', optional(uint64)),
    field('newDifficulty', optional(uint64)),
  ],
);

export interface VDFProof {
  witnessType: number;
  witness: Uint8Array;
  normalizedToIdentity: boolean;
}
export const VDFProofSchema: StreamableSchema<VDFProof> = defineStreamable('VDFProof', [
  field('witnessType', uint8),
  field('witness', bytes),
  field('normalizedToIdentity', bool),
]);

export interface InfusedChallengeChainSubSlot {
  infusedChallengeChainEndOfSlotVdf: VDFInfo;
}
export const InfusedChallengeChainSubSlotSchema: StreamableSchema<InfusedChallengeChainSubSlot> = defineStreamable(
  'InfusedChallengeChainSubSlot',
  [field('infusedChallengeChainEndOfSlotVdf', VDFInfoSchema)],
);

export interface RewardChainSubSlot {
  endOfSlotVdf: VDFInfo;
  challengeChainSubSlotHash: Uint8Array;
  infusedChallengeChainSubSlotHash: Uint8Array | null;
  deficit: number;
}
export const RewardChainSubSlotSchema: StreamableSchema<RewardChainSubSlot> = defineStreamable('RewardChainSubSlot', [
  field('endOfSlotVdf', VDFInfoSchema),
  field('challengeChainSubSlotHash', bytes32),
  field('infusedChallengeChainSubSlotHash', optional(bytes32)),
  field('deficit', uint8),
]);

export interface SubSlotProofs {
  challengeChainSlotProof: VDFProof;
  infusedChallengeChainSlotProof: VDFProof | null;
  rewardChainSlotProof: VDFProof;
}
export const SubSlotProofsSchema: StreamableSchema<SubSlotProofs> = defineStreamable('SubSlotProofs', [
  field('challengeChainSlotProof', VDFProofSchema),
  field('infusedChallengeChainSlotProof', optional(VDFProofSchema)),
  field('rewardChainSlotProof', VDFProofSchema),
]);

/** A finished sub-slot as the node announces it (`get_recent_signage_point_or_eos` → `eos`). */
export interface EndOfSubSlotBundle {
  challengeChain: ChallengeChainSubSlot;
  infusedChallengeChain: InfusedChallengeChainSubSlot | null;
  rewardChain: RewardChainSubSlot;
  proofs: SubSlotProofs;
}
export const EndOfSubSlotBundleSchema: StreamableSchema<EndOfSubSlotBundle> = defineStreamable('EndOfSubSlotBundle', [
  field('challengeChain', ChallengeChainSubSlotSchema),
  field('infusedChallengeChain', optional(InfusedChallengeChainSubSlotSchema)),
  field('rewardChain', RewardChainSubSlotSchema),
  field('proofs', SubSlotProofsSchema),
]);
