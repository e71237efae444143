import { type ClassgroupElement, type VDFInfo, type VDFProof } from '../streamable/chain-objects';

/**
 * Chain objects as the rest of the pool sees them, whoever produced them (the node and wallet RPCs, the puzzle
 * code, simulators in tests).
 *
 * Conventions (the same in every type here):
 * - Field names are camelCase; Chia's snake_case names exist only on the JSON wire (see rpc/chain-json.ts).
 * - Bytes given as text are lowercase hex WITHOUT `0x` (`Hex`), so two values compare equal as strings
 *   whatever form the node or a user sent. `0x` is added only when JSON leaves for a Chia service.
 * - Quantities that are uint64/uint128 in Chia (mojo amounts, fees, weight, space, iterations, difficulty,
 *   cost) are `bigint`. Heights (uint32), indexes, counts and unix timestamps in seconds are `number`.
 * - Chia's Optional fields are `T | null`.
 * - VDF and sub-slot objects are the Streamable ones (`streamable/chain-objects.ts`, raw bytes), so what the
 *   node reports can be encoded and hashed as Chia does (an EOS challenge is `challengeChain`'s hash).
 */

/** Lowercase hex without `0x`. */
export type Hex = string;

export interface Coin {
  parentCoinInfo: Hex;
  puzzleHash: Hex;
  amount: bigint;
}

export interface CoinRecord {
  coin: Coin;
  confirmedBlockIndex: number;
  /** 0 while unspent. */
  spentBlockIndex: number;
  coinbase: boolean;
  /** Unix seconds of the block that created the coin. */
  timestamp: number;
  /** `spentBlockIndex > 0`; the node sends it, and it is derived when absent. */
  spent: boolean;
}

export interface CoinSpend {
  coin: Coin;
  /** Serialized CLVM program. */
  puzzleReveal: Hex;
  /** Serialized CLVM program. */
  solution: Hex;
}

export interface SpendBundle {
  coinSpends: CoinSpend[];
  /** G2 signature, 96 bytes. */
  aggregatedSignature: Hex;
}

/** Compressed G2 identity: the signature of a bundle that needs none (pool absorbs are unsigned). */
export const G2_INFINITY_HEX: Hex = 'c0' + '00'.repeat(95);

export interface SubEpochSummary {
  prevSubepochSummaryHash: Hex;
  rewardChainHash: Hex;
  numBlocksOverflow: number;
  newDifficulty: bigint | null;
  newSubSlotIters: bigint | null;
}

export interface BlockRecord {
  headerHash: Hex;
  prevHash: Hex;
  height: number;
  weight: bigint;
  totalIters: bigint;
  signagePointIndex: number;
  challengeVdfOutput: ClassgroupElement;
  infusedChallengeVdfOutput: ClassgroupElement | null;
  rewardInfusionNewChallenge: Hex;
  challengeBlockInfoHash: Hex;
  subSlotIters: bigint;
  poolPuzzleHash: Hex;
  farmerPuzzleHash: Hex;
  requiredIters: bigint;
  deficit: number;
  overflow: boolean;
  prevTransactionBlockHeight: number;
  /** Set on transaction blocks only. */
  timestamp: number | null;
  prevTransactionBlockHash: Hex | null;
  fees: bigint | null;
  rewardClaimsIncorporated: Coin[] | null;
  finishedChallengeSlotHashes: Hex[] | null;
  finishedInfusedChallengeSlotHashes: Hex[] | null;
  finishedRewardSlotHashes: Hex[] | null;
  subEpochSummaryIncluded: SubEpochSummary | null;
}

export interface SignagePoint {
  ccVdf: VDFInfo | null;
  ccProof: VDFProof | null;
  rcVdf: VDFInfo | null;
  rcProof: VDFProof | null;
}
