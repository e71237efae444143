import { type Program } from 'clvm-lib';
import { type Hex } from '../chain/chain-types';
import { parseBytes32, parseHex, toHex } from '../puzzles/bytes-hex';
import { atomTreeHash, pairTreeHash } from '../puzzles/curry-tree-hash';
import { deserializeProgram } from '../puzzles/embedded-program';
import {
  ADD_DPUZ_WRAPPER,
  BLS_WITH_TAPROOT_MEMBER,
  CLAIM_POOL_REWARDS_DPUZ,
  DELEGATED_PUZZLE_FEEDER,
  ENFORCE_DPUZ_WRAPPERS,
  FIXED_CREATE_COIN_DESTINATIONS,
  FIXED_PUZZLE_MEMBER,
  FORWARD_TO_POOL_PUZZLE_HASH_DPUZ,
  HEIGHTLOCK,
  INDEX_WRAPPER,
  ONE_OF_N,
  RESTRICTIONS,
  SEND_MESSAGE_BANNED,
  SINGLETON_TOP_LAYER_V1_1,
} from '../puzzles/puzzle-programs';
import { rewardPuzzleHash } from '../puzzles/reward-puzzle';
import { type PlotNftV2Identity, type PlotNftV2Pool, type PlotNftV2State } from './plot-nft-v2-types';
import {
  type PuzzleNode,
  atomNode,
  curriedNode,
  intNode,
  listNode,
  moduleNode,
  programNode,
  quotedNode,
} from './puzzle-node';
import { singletonV11Node, singletonV11StructNode } from './singleton-v11';

/*
 * The v2 Plot NFT as chia-blockchain builds it (`PlotNFTPuzzle`, see shared/reference/plotnft-v2.md §3), outer
 * to inner:
 *
 *   FULL  = singleton_top_layer_v1_1(STRUCT, INNER)
 *   INNER = index_wrapper(0, delegated_puzzle_feeder(X))
 *     self-pooling: X = bls_with_taproot_member(owner key)
 *     pooling / exiting: X = 1_of_n(merkle root of [USER, POOL])
 *   USER  = index_wrapper(0, restrictions((), (VSR), bls_with_taproot_member(owner key)))
 *   VSR   = enforce_dpuz_wrappers(h((q . add_dpuz_wrapper)), (h((q . W1)) h((q . W2))))
 *     pooling: W1 = fixed_create_coin_destinations(INNER of the exiting state); exiting: W1 = heightlock(lock)
 *     W2 = send_message_banned
 *   POOL  = index_wrapper(0, fixed_puzzle_member(h(CLAIM)))
 *   CLAIM = claim_pool_rewards_dpuz(genesis[0:16], SINGLETON_MOD_HASH, h(STRUCT), h(REWARD), h(FWD))
 *   FWD   = forward_to_pool_puzzle_hash_dpuz(pool_claim_hash, pool_memoization)
 *
 * Every nonce is 0. Each layer is a PuzzleNode, so its hash comes from hashes alone and its program is built
 * only when a spend reveals it.
 */

const NONCE = intNode(0n);
const QUOTED_ADD_DPUZ_WRAPPER_HASH = atomNode(quotedNode(moduleNode(ADD_DPUZ_WRAPPER)).hash);
const UINT32_MAX = 0xffffffff;

/** The first restriction wrapper of the owner's path: what makes pooling and exiting differ. */
export type RestrictionWrapperKind = 'fixed_create_coin_destinations' | 'heightlock';

/** The layers that exist only while the Plot NFT has a pool (pooling or exiting). */
export interface PlotNftV2PoolCustody {
  forward: PuzzleNode;
  claim: PuzzleNode;
  fixedMember: PuzzleNode;
  /** MofN leaf 1. */
  poolMember: PuzzleNode;
  wrapper1: { kind: RestrictionWrapperKind; node: PuzzleNode };
  wrapper2: PuzzleNode;
  /** h((q . W1)), h((q . W2)): the list curried into the validator stack. */
  quotedWrapperHashes: [Uint8Array, Uint8Array];
  validatorStack: PuzzleNode;
  userRestrictionLayer: PuzzleNode;
  /** MofN leaf 0. */
  userMember: PuzzleNode;
  merkleRoot: Uint8Array;
  oneOfN: PuzzleNode;
}

export interface PlotNftV2Puzzles {
  struct: PuzzleNode;
  blsMember: PuzzleNode;
  custody: PlotNftV2PoolCustody | null;
  feeder: PuzzleNode;
  inner: PuzzleNode;
  full: PuzzleNode;
}

function indexWrapped(inner: PuzzleNode): PuzzleNode {
  return curriedNode(INDEX_WRAPPER, [NONCE, inner]);
}

/** A restriction stack `VSR(wrappers…)`: the delegated puzzle must be the original wrapped by these, in order. */
export function validatorStackNode(wrappers: readonly PuzzleNode[]): PuzzleNode {
  return curriedNode(ENFORCE_DPUZ_WRAPPERS, [QUOTED_ADD_DPUZ_WRAPPER_HASH, listNode(wrappers.map((w) => atomNode(quotedNode(w).hash)))]);
}

export function heightlockNode(relativeLockHeight: number): PuzzleNode {
  return curriedNode(HEIGHTLOCK, [intNode(BigInt(relativeLockHeight))]);
}

export const SEND_MESSAGE_BANNED_NODE = moduleNode(SEND_MESSAGE_BANNED);

function blsMemberNode(ownerPublicKey: Hex): PuzzleNode {
  return curriedNode(BLS_WITH_TAPROOT_MEMBER, [atomNode(parseHex(ownerPublicKey, 'owner public key', 48))]);
}

function checkPool(pool: PlotNftV2Pool): void {
  parseBytes32(pool.poolClaimHash, 'pool_claim_hash');
  if (!Number.isInteger(pool.relativeLockHeight) || pool.relativeLockHeight < 0 || pool.relativeLockHeight > UINT32_MAX) {
    throw new RangeError('relative_lock_height must be a uint32');
  }
}

function poolCustody(id: PlotNftV2Identity, state: PlotNftV2State, pool: PlotNftV2Pool): PlotNftV2PoolCustody {
  checkPool(pool);
  const genesisPrefix = parseBytes32(id.genesisChallenge, 'genesis_challenge').subarray(0, 16);
  const forward = curriedNode(FORWARD_TO_POOL_PUZZLE_HASH_DPUZ, [
    atomNode(parseBytes32(pool.poolClaimHash, 'pool_claim_hash')),
    programNode(deserializeProgram(pool.poolMemoization, 'pool_memoization')),
  ]);
  const claim = curriedNode(CLAIM_POOL_REWARDS_DPUZ, [
    atomNode(genesisPrefix),
    atomNode(parseBytes32(SINGLETON_TOP_LAYER_V1_1.treeHash)),
    atomNode(singletonV11StructNode(id.launcherId).hash),
    atomNode(parseBytes32(rewardPuzzleHash(id.launcherId))),
    atomNode(forward.hash),
  ]);
  const fixedMember = curriedNode(FIXED_PUZZLE_MEMBER, [atomNode(claim.hash)]);
  const poolMember = indexWrapped(fixedMember);
  // Pooling may only move to the waiting room of the same pool: its INNER hash (not the full singleton hash).
  const wrapper1: PlotNftV2PoolCustody['wrapper1'] = state.exiting
    ? { kind: 'heightlock', node: heightlockNode(pool.relativeLockHeight) }
    : {
        kind: 'fixed_create_coin_destinations',
        node: curriedNode(FIXED_CREATE_COIN_DESTINATIONS, [atomNode(plotNftV2Puzzles(id, { ...state, exiting: true }).inner.hash)]),
      };
  const wrapper2 = SEND_MESSAGE_BANNED_NODE;
  const validatorStack = validatorStackNode([wrapper1.node, wrapper2]);
  const userRestrictionLayer = curriedNode(RESTRICTIONS, [listNode([]), listNode([validatorStack]), blsMemberNode(state.ownerPublicKey)]);
  const userMember = indexWrapped(userRestrictionLayer);
  // Two-leaf merkle tree: leaves are hashed as atoms, so the root is sha256tree((USER . POOL)).
  const merkleRoot = pairTreeHash(atomTreeHash(userMember.hash), atomTreeHash(poolMember.hash));
  return {
    forward,
    claim,
    fixedMember,
    poolMember,
    wrapper1,
    wrapper2,
    quotedWrapperHashes: [quotedNode(wrapper1.node).hash, quotedNode(wrapper2).hash],
    validatorStack,
    userRestrictionLayer,
    userMember,
    merkleRoot,
    oneOfN: curriedNode(ONE_OF_N, [atomNode(merkleRoot)]),
  };
}

/** Every layer of the Plot NFT of `id` in `state`. Throws on a malformed state (bad key, hash, height, memoization). */
export function plotNftV2Puzzles(id: PlotNftV2Identity, state: PlotNftV2State): PlotNftV2Puzzles {
  if (state.pool === null && state.exiting) throw new RangeError('a self-pooling Plot NFT cannot be exiting');
  const struct = singletonV11StructNode(id.launcherId);
  const blsMember = blsMemberNode(state.ownerPublicKey);
  const custody = state.pool === null ? null : poolCustody(id, state, state.pool);
  const feeder = curriedNode(DELEGATED_PUZZLE_FEEDER, [custody === null ? blsMember : custody.oneOfN]);
  const inner = indexWrapped(feeder);
  return { struct, blsMember, custody, feeder, inner, full: singletonV11Node(id.launcherId, inner) };
}

/** The singleton's inner puzzle hash: what lineage proofs and the claim solution name. */
export function plotNftV2InnerPuzzleHash(id: PlotNftV2Identity, state: PlotNftV2State): Hex {
  return toHex(plotNftV2Puzzles(id, state).inner.hash);
}

/** The coin's puzzle hash: what a pool looks up to find a member's Plot NFT. */
export function plotNftV2PuzzleHash(id: PlotNftV2Identity, state: PlotNftV2State): Hex {
  return toHex(plotNftV2Puzzles(id, state).full.hash);
}

export function plotNftV2InnerPuzzle(id: PlotNftV2Identity, state: PlotNftV2State): Program {
  return plotNftV2Puzzles(id, state).inner.program();
}

export function plotNftV2Puzzle(id: PlotNftV2Identity, state: PlotNftV2State): Program {
  return plotNftV2Puzzles(id, state).full.program();
}
