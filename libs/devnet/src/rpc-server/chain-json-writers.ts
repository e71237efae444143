import {
  type AdditionsAndRemovals,
  type BlockchainState,
  type BlockRecord,
  bytesToHex,
  type ChallengeChainSubSlot,
  type ClassgroupElement,
  type CoinRecord,
  coinToJson,
  type EndOfSubSlotBundle,
  type JsonObject,
  type JsonValue,
  type NetworkInfo,
  type RecentSignagePointOrEos,
  type SignagePoint,
  type SubEpochSummary,
  type VDFInfo,
  type VDFProof,
} from '@pool/chia';
import { wireHex } from '@pool/chia';

/**
 * The full node's answers as Chia writes them: snake_case keys, bytes as lowercase `0x` hex, uint64/uint128
 * as bigint (bare JSON numbers on the wire), Optional fields as null. The inverse of the readers in
 * `@pool/chia`'s rpc/chain-json.ts and full-node-rpc.ts; coins, spends and bundles reuse the writers there.
 */

function bytesJson(bytes: Uint8Array): string {
  return `0x${bytesToHex(bytes)}`;
}

function optional<T>(value: T | null, write: (present: T) => JsonValue): JsonValue {
  return value === null ? null : write(value);
}

export function coinRecordToJson(record: CoinRecord): JsonObject {
  return {
    coin: coinToJson(record.coin),
    confirmed_block_index: record.confirmedBlockIndex,
    spent_block_index: record.spentBlockIndex,
    coinbase: record.coinbase,
    timestamp: record.timestamp,
    spent: record.spent,
  };
}

export function classgroupElementToJson(element: ClassgroupElement): JsonObject {
  return { data: bytesJson(element.data) };
}

export function vdfInfoToJson(info: VDFInfo): JsonObject {
  return {
    challenge: bytesJson(info.challenge),
    number_of_iterations: info.numberOfIterations,
    output: classgroupElementToJson(info.output),
  };
}

export function vdfProofToJson(proof: VDFProof): JsonObject {
  return {
    witness_type: proof.witnessType,
    witness: bytesJson(proof.witness),
    normalized_to_identity: proof.normalizedToIdentity,
  };
}

export function subEpochSummaryToJson(summary: SubEpochSummary): JsonObject {
  return {
    prev_subepoch_summary_hash: wireHex(summary.prevSubepochSummaryHash, 'prev_subepoch_summary_hash', 32),
    reward_chain_hash: wireHex(summary.rewardChainHash, 'reward_chain_hash', 32),
    num_blocks_overflow: summary.numBlocksOverflow,
    new_difficulty: summary.newDifficulty,
    new_sub_slot_iters: summary.newSubSlotIters,
  };
}

const hashListJson = (path: string) => (hashes: string[]) => hashes.map((h, i) => wireHex(h, `${path}[${i}]`, 32));

export function blockRecordToJson(block: BlockRecord): JsonObject {
  return {
    header_hash: wireHex(block.headerHash, 'header_hash', 32),
    prev_hash: wireHex(block.prevHash, 'prev_hash', 32),
    height: block.height,
    weight: block.weight,
    total_iters: block.totalIters,
    signage_point_index: block.signagePointIndex,
    challenge_vdf_output: classgroupElementToJson(block.challengeVdfOutput),
    infused_challenge_vdf_output: optional(block.infusedChallengeVdfOutput, classgroupElementToJson),
    reward_infusion_new_challenge: wireHex(block.rewardInfusionNewChallenge, 'reward_infusion_new_challenge', 32),
    challenge_block_info_hash: wireHex(block.challengeBlockInfoHash, 'challenge_block_info_hash', 32),
    sub_slot_iters: block.subSlotIters,
    pool_puzzle_hash: wireHex(block.poolPuzzleHash, 'pool_puzzle_hash', 32),
    farmer_puzzle_hash: wireHex(block.farmerPuzzleHash, 'farmer_puzzle_hash', 32),
    required_iters: block.requiredIters,
    deficit: block.deficit,
    overflow: block.overflow,
    prev_transaction_block_height: block.prevTransactionBlockHeight,
    timestamp: block.timestamp,
    prev_transaction_block_hash: optional(block.prevTransactionBlockHash, (h) =>
      wireHex(h, 'prev_transaction_block_hash', 32),
    ),
    fees: block.fees,
    reward_claims_incorporated: optional(block.rewardClaimsIncorporated, (coins) => coins.map(coinToJson)),
    finished_challenge_slot_hashes: optional(
      block.finishedChallengeSlotHashes,
      hashListJson('finished_challenge_slot_hashes'),
    ),
    finished_infused_challenge_slot_hashes: optional(
      block.finishedInfusedChallengeSlotHashes,
      hashListJson('finished_infused_challenge_slot_hashes'),
    ),
    finished_reward_slot_hashes: optional(block.finishedRewardSlotHashes, hashListJson('finished_reward_slot_hashes')),
    sub_epoch_summary_included: optional(block.subEpochSummaryIncluded, subEpochSummaryToJson),
  };
}

export function blockchainStateToJson(state: BlockchainState): JsonObject {
  return {
    peak: optional(state.peak, blockRecordToJson),
    genesis_challenge_initialized: state.genesisChallengeInitialized,
    sync: {
      sync_mode: state.sync.syncMode,
      synced: state.sync.synced,
      sync_tip_height: state.sync.syncTipHeight,
      sync_progress_height: state.sync.syncProgressHeight,
    },
    difficulty: state.difficulty,
    sub_slot_iters: state.subSlotIters,
    space: state.space,
    average_block_time: state.averageBlockTime,
    mempool_size: state.mempoolSize,
    mempool_cost: state.mempoolCost,
    mempool_fees: state.mempoolFees,
    mempool_max_total_cost: state.mempoolMaxTotalCost,
    block_max_cost: state.blockMaxCost,
    // The one hash Chia writes without `0x`.
    node_id: optional(state.nodeId, (id) => wireHex(id, 'node_id').slice(2)),
  };
}

export function networkInfoToJson(info: NetworkInfo): JsonObject {
  return {
    network_name: info.networkName,
    network_prefix: info.networkPrefix,
    genesis_challenge: optional(info.genesisChallenge, (h) => wireHex(h, 'genesis_challenge', 32)),
  };
}

export function signagePointToJson(point: SignagePoint): JsonObject {
  return {
    cc_vdf: optional(point.ccVdf, vdfInfoToJson),
    cc_proof: optional(point.ccProof, vdfProofToJson),
    rc_vdf: optional(point.rcVdf, vdfInfoToJson),
    rc_proof: optional(point.rcProof, vdfProofToJson),
  };
}

export function challengeChainSubSlotToJson(slot: ChallengeChainSubSlot): JsonObject {
  return {
    challenge_chain_end_of_slot_vdf: vdfInfoToJson(slot.challengeChainEndOfSlotVdf),
    infused_challenge_chain_sub_slot_hash: optional(slot.infusedChallengeChainSubSlotHash, bytesJson),
    subepoch_summary_hash: optional(slot.subepochSummaryHash, bytesJson),
    new_sub_slot_iters: slot.newSubSlotIters,
    new_difficulty: slot.newDifficulty,
  };
}

export function endOfSubSlotBundleToJson(eos: EndOfSubSlotBundle): JsonObject {
  return {
    challenge_chain: challengeChainSubSlotToJson(eos.challengeChain),
    infused_challenge_chain: optional(eos.infusedChallengeChain, (icc) => ({
      infused_challenge_chain_end_of_slot_vdf: vdfInfoToJson(icc.infusedChallengeChainEndOfSlotVdf),
    })),
    reward_chain: {
      end_of_slot_vdf: vdfInfoToJson(eos.rewardChain.endOfSlotVdf),
      challenge_chain_sub_slot_hash: bytesJson(eos.rewardChain.challengeChainSubSlotHash),
      infused_challenge_chain_sub_slot_hash: optional(eos.rewardChain.infusedChallengeChainSubSlotHash, bytesJson),
      deficit: eos.rewardChain.deficit,
    },
    proofs: {
      challenge_chain_slot_proof: vdfProofToJson(eos.proofs.challengeChainSlotProof),
      infused_challenge_chain_slot_proof: optional(eos.proofs.infusedChallengeChainSlotProof, vdfProofToJson),
      reward_chain_slot_proof: vdfProofToJson(eos.proofs.rewardChainSlotProof),
    },
  };
}

/** Chia tells a signage point from an end of sub-slot by which of the two keys it sends. */
export function recentSignagePointOrEosToJson(recent: RecentSignagePointOrEos): JsonObject {
  const common = { time_received: recent.timeReceived, reverted: recent.reverted };
  return recent.kind === 'signage_point'
    ? { signage_point: signagePointToJson(recent.signagePoint), ...common }
    : { eos: endOfSubSlotBundleToJson(recent.eos), ...common };
}

export function additionsAndRemovalsToJson(result: AdditionsAndRemovals): JsonObject {
  return {
    additions: result.additions.map(coinRecordToJson),
    removals: result.removals.map(coinRecordToJson),
  };
}
