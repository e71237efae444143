import {
  type BlockRecord,
  type Coin,
  type CoinRecord,
  type CoinSpend,
  type SignagePoint,
  type SpendBundle,
  type SubEpochSummary,
} from '../chain/chain-types';
import {
  type ChallengeChainSubSlot,
  type ClassgroupElement,
  type EndOfSubSlotBundle,
  type VDFInfo,
  type VDFProof,
} from '../streamable/chain-objects';
import { type JsonObject, type JsonValue } from '../util/json-bigint';
import { JsonReader, normalizeHex, wireHex } from './json-reader';

/**
 * The one mapping between Chia's RPC JSON (snake_case, `0x` hex) and the shared chain types (camelCase, hex
 * without `0x`, bigint amounts). Readers validate every field and name the one that is wrong
 * (`$.coin_spends[0].coin.amount`); writers validate hex before it leaves.
 */

export function readCoin(r: JsonReader): Coin {
  return {
    parentCoinInfo: r.bytes32('parent_coin_info'),
    puzzleHash: r.bytes32('puzzle_hash'),
    amount: r.uint64('amount'),
  };
}

export function readCoinRecord(r: JsonReader): CoinRecord {
  const spentBlockIndex = r.uint32('spent_block_index');
  return {
    coin: readCoin(r.child('coin')),
    confirmedBlockIndex: r.uint32('confirmed_block_index'),
    spentBlockIndex,
    coinbase: r.bool('coinbase'),
    timestamp: r.safeUint('timestamp'),
    spent: r.has('spent') ? r.bool('spent') : spentBlockIndex > 0,
  };
}

export function readCoinSpend(r: JsonReader): CoinSpend {
  return { coin: readCoin(r.child('coin')), puzzleReveal: r.hex('puzzle_reveal'), solution: r.hex('solution') };
}

export function readSpendBundle(r: JsonReader): SpendBundle {
  return {
    coinSpends: r.objects('coin_spends', readCoinSpend),
    aggregatedSignature: r.hex('aggregated_signature', 96),
  };
}

export function readClassgroupElement(r: JsonReader): ClassgroupElement {
  return { data: r.bytes('data', 100) };
}

export function readVdfInfo(r: JsonReader): VDFInfo {
  return {
    challenge: r.bytes('challenge', 32),
    numberOfIterations: r.uint64('number_of_iterations'),
    output: readClassgroupElement(r.child('output')),
  };
}

export function readVdfProof(r: JsonReader): VDFProof {
  return {
    witnessType: r.uint32('witness_type'),
    witness: r.bytes('witness'),
    normalizedToIdentity: r.bool('normalized_to_identity'),
  };
}

export function readSubEpochSummary(r: JsonReader): SubEpochSummary {
  return {
    prevSubepochSummaryHash: r.bytes32('prev_subepoch_summary_hash'),
    rewardChainHash: r.bytes32('reward_chain_hash'),
    numBlocksOverflow: r.uint32('num_blocks_overflow'),
    newDifficulty: r.optional('new_difficulty', (x, k) => x.uint64(k)),
    newSubSlotIters: r.optional('new_sub_slot_iters', (x, k) => x.uint64(k)),
  };
}

const hashList = (x: JsonReader, k: string) => x.array(k, (item, path) => normalizeHex(item, path, 32));
const optionalHash = (x: JsonReader, k: string) => x.bytes32(k);
const optionalHashBytes = (x: JsonReader, k: string) => x.bytes(k, 32);

export function readBlockRecord(r: JsonReader): BlockRecord {
  return {
    headerHash: r.bytes32('header_hash'),
    prevHash: r.bytes32('prev_hash'),
    height: r.uint32('height'),
    weight: r.uint128('weight'),
    totalIters: r.uint128('total_iters'),
    signagePointIndex: r.uint32('signage_point_index'),
    challengeVdfOutput: readClassgroupElement(r.child('challenge_vdf_output')),
    infusedChallengeVdfOutput: r.optional('infused_challenge_vdf_output', (x, k) => readClassgroupElement(x.child(k))),
    rewardInfusionNewChallenge: r.bytes32('reward_infusion_new_challenge'),
    challengeBlockInfoHash: r.bytes32('challenge_block_info_hash'),
    subSlotIters: r.uint64('sub_slot_iters'),
    poolPuzzleHash: r.bytes32('pool_puzzle_hash'),
    farmerPuzzleHash: r.bytes32('farmer_puzzle_hash'),
    requiredIters: r.uint64('required_iters'),
    deficit: r.uint32('deficit'),
    overflow: r.bool('overflow'),
    prevTransactionBlockHeight: r.uint32('prev_transaction_block_height'),
    timestamp: r.optional('timestamp', (x, k) => x.safeUint(k)),
    prevTransactionBlockHash: r.optional('prev_transaction_block_hash', optionalHash),
    fees: r.optional('fees', (x, k) => x.uint64(k)),
    rewardClaimsIncorporated: r.optional('reward_claims_incorporated', (x, k) => x.objects(k, readCoin)),
    finishedChallengeSlotHashes: r.optional('finished_challenge_slot_hashes', hashList),
    finishedInfusedChallengeSlotHashes: r.optional('finished_infused_challenge_slot_hashes', hashList),
    finishedRewardSlotHashes: r.optional('finished_reward_slot_hashes', hashList),
    subEpochSummaryIncluded: r.optional('sub_epoch_summary_included', (x, k) => readSubEpochSummary(x.child(k))),
  };
}

export function readSignagePoint(r: JsonReader): SignagePoint {
  return {
    ccVdf: r.optional('cc_vdf', (x, k) => readVdfInfo(x.child(k))),
    ccProof: r.optional('cc_proof', (x, k) => readVdfProof(x.child(k))),
    rcVdf: r.optional('rc_vdf', (x, k) => readVdfInfo(x.child(k))),
    rcProof: r.optional('rc_proof', (x, k) => readVdfProof(x.child(k))),
  };
}

export function readChallengeChainSubSlot(r: JsonReader): ChallengeChainSubSlot {
  return {
    challengeChainEndOfSlotVdf: readVdfInfo(r.child('challenge_chain_end_of_slot_vdf')),
    infusedChallengeChainSubSlotHash: r.optional('infused_challenge_chain_sub_slot_hash', optionalHashBytes),
    subepochSummaryHash: r.optional('subepoch_summary_hash', optionalHashBytes),
    newSubSlotIters: r.optional('new_sub_slot_iters', (x, k) => x.uint64(k)),
    newDifficulty: r.optional('new_difficulty', (x, k) => x.uint64(k)),
  };
}

export function readEndOfSubSlotBundle(r: JsonReader): EndOfSubSlotBundle {
  const reward = r.child('reward_chain');
  const proofs = r.child('proofs');
  return {
    challengeChain: readChallengeChainSubSlot(r.child('challenge_chain')),
    infusedChallengeChain: r.optional('infused_challenge_chain', (x, k) => ({
      infusedChallengeChainEndOfSlotVdf: readVdfInfo(x.child(k).child('infused_challenge_chain_end_of_slot_vdf')),
    })),
    rewardChain: {
      endOfSlotVdf: readVdfInfo(reward.child('end_of_slot_vdf')),
      challengeChainSubSlotHash: reward.bytes('challenge_chain_sub_slot_hash', 32),
      infusedChallengeChainSubSlotHash: reward.optional('infused_challenge_chain_sub_slot_hash', optionalHashBytes),
      deficit: reward.uint32('deficit'),
    },
    proofs: {
      challengeChainSlotProof: readVdfProof(proofs.child('challenge_chain_slot_proof')),
      infusedChallengeChainSlotProof: proofs.optional('infused_challenge_chain_slot_proof', (x, k) =>
        readVdfProof(x.child(k)),
      ),
      rewardChainSlotProof: readVdfProof(proofs.child('reward_chain_slot_proof')),
    },
  };
}

/** Reads an item of a JSON array as an object. */
export function itemReader<T>(read: (r: JsonReader) => T): (item: JsonValue, path: string) => T {
  return (item, path) => read(JsonReader.of(item, path));
}

/** Chia's JSON for a coin; the amount stays a bigint for the RPC client's exact serializer. */
export function coinToJson(coin: Coin): JsonObject {
  return {
    parent_coin_info: wireHex(coin.parentCoinInfo, 'coin.parent_coin_info', 32),
    puzzle_hash: wireHex(coin.puzzleHash, 'coin.puzzle_hash', 32),
    amount: coin.amount,
  };
}

export function coinSpendToJson(spend: CoinSpend): JsonObject {
  return {
    coin: coinToJson(spend.coin),
    puzzle_reveal: wireHex(spend.puzzleReveal, 'coin_spend.puzzle_reveal'),
    solution: wireHex(spend.solution, 'coin_spend.solution'),
  };
}

export function spendBundleToJson(bundle: SpendBundle): JsonObject {
  return {
    coin_spends: bundle.coinSpends.map(coinSpendToJson),
    aggregated_signature: wireHex(bundle.aggregatedSignature, 'spend_bundle.aggregated_signature', 96),
  };
}
