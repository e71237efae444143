import { Program } from 'clvm-lib';
import { type Coin, type CoinSpend, type Hex } from '../chain/chain-types';
import { normalizeHex, toHex } from '../puzzles/bytes-hex';
import { coinId } from '../puzzles/coin-id';
import { atomTreeHash, programTreeHash } from '../puzzles/curry-tree-hash';
import { bytesAtom, curryProgram, embeddedProgram, intAtom, listProgram } from '../puzzles/embedded-program';
import { ADD_DPUZ_WRAPPER } from '../puzzles/puzzle-programs';
import { plotNftV2Memo } from './plot-nft-v2-memo';
import { type PlotNftV2Puzzles, plotNftV2Puzzles } from './plot-nft-v2-puzzle';
import {
  type PlotNftV2Identity,
  type PlotNftV2Pool,
  type PlotNftV2State,
  type PlotNftV2StateName,
  type SingletonLineageProof,
  plotNftV2StateName,
} from './plot-nft-v2-types';
import { ASSERT_HEIGHT_RELATIVE, CREATE_COIN, coinSpend, condition, puzzlesOfCoin, singletonSolution } from './spend-parts';
import { singletonV11StructNode } from './singleton-v11';

/*
 * The owner's spends of a v2 Plot NFT (chia-blockchain `PlotNFT.join_pool`, `exit_to_waiting_room`,
 * `exit_waiting_room`). The pool never builds these; the devnet's farmers do, and the pool must read them.
 * Every owner spend is authorised by `AGG_SIG_ME owner_key sha256tree(delegated_puzzle)`: the builder returns
 * that message and the caller signs message || coin id || the network's AGG_SIG_ME additional data.
 */

/**
 * How the owner's conditions are delegated: `quoted` = `(q . conditions)` with a nil solution (what the wallet
 * writes), `passthrough` = the puzzle `1` with the conditions as its solution (what chia-blockchain's tests write).
 */
export type OwnerDelegation = 'quoted' | 'passthrough';

export interface OwnerSpendInput {
  id: PlotNftV2Identity;
  /** The state of `plotNftCoin`. */
  state: PlotNftV2State;
  plotNftCoin: Coin;
  lineageProof: SingletonLineageProof;
  delegation?: OwnerDelegation;
  /** Added after the Plot NFT's own conditions (e.g. a fee announcement); a pooling owner may not send messages. */
  extraConditions?: readonly Program[];
}

export interface OwnerSpend {
  coinSpend: CoinSpend;
  /** The state of the coin this spend creates. */
  next: PlotNftV2State;
  /** AGG_SIG_ME the owner must sign: `message` || `coinId` || additional data, with the key of `publicKey`. */
  signTarget: { publicKey: Hex; message: Hex; coinId: Hex };
}

interface DelegatedPuzzle {
  puzzle: Program;
  solution: Program;
}

function delegate(conditions: readonly Program[], form: OwnerDelegation): DelegatedPuzzle {
  const list = listProgram(conditions);
  return form === 'quoted' ? { puzzle: Program.cons(intAtom(1), list), solution: Program.nil } : { puzzle: intAtom(1), solution: list };
}

/**
 * `(51 next_inner_ph amount memos)`: memos are `(struct_hash)`, or `(struct_hash . CHIP-0043 memo)` when a reader
 * cannot guess the next state from the previous one.
 */
function recreate(id: PlotNftV2Identity, next: PlotNftV2State, amount: bigint, withMemo: boolean): Program {
  const hint = bytesAtom(singletonV11StructNode(id.launcherId).hash);
  const memos = withMemo ? Program.cons(hint, plotNftV2Memo(id, next)) : listProgram([hint]);
  return condition(CREATE_COIN, bytesAtom(plotNftV2Puzzles(id, next).inner.hash), intAtom(amount), memos);
}

function signTarget(state: PlotNftV2State, coin: Coin, delegatedPuzzle: Program): OwnerSpend['signTarget'] {
  return {
    publicKey: normalizeHex(state.ownerPublicKey, 'owner public key', 48),
    message: toHex(programTreeHash(delegatedPuzzle)),
    coinId: coinId(coin),
  };
}

/** Self-pooling: the BLS member approves the delegated puzzle directly. Inner solution `(dpuz dsol ())`: the BLS solution `(0)` spliced in. */
function selfPoolingSpend(input: OwnerSpendInput, puzzles: PlotNftV2Puzzles, conditions: readonly Program[], next: PlotNftV2State): OwnerSpend {
  const delegated = delegate([...conditions, ...(input.extraConditions ?? [])], input.delegation ?? 'quoted');
  const innerSolution = listProgram([delegated.puzzle, delegated.solution, Program.nil]);
  const solution = singletonSolution(input.lineageProof, input.plotNftCoin.amount, innerSolution);
  return {
    coinSpend: coinSpend(input.plotNftCoin, puzzles.full.program(), solution),
    next,
    signTarget: signTarget(input.state, input.plotNftCoin, delegated.puzzle),
  };
}

/**
 * Pooling or exiting: the owner goes through MofN leaf 0 (USER), whose validator stack requires the delegated
 * puzzle wrapped by W1 then W2 (`add_dpuz_wrapper(W1, add_dpuz_wrapper(W2, original))`); the owner signs the
 * wrapped puzzle.
 */
function userPathSpend(input: OwnerSpendInput, puzzles: PlotNftV2Puzzles, conditions: readonly Program[], next: PlotNftV2State): OwnerSpend {
  const custody = puzzles.custody;
  if (custody === null) throw new Error('the user path exists only with a pool');
  const original = delegate([...conditions, ...(input.extraConditions ?? [])], input.delegation ?? 'quoted');
  const addWrapper = embeddedProgram(ADD_DPUZ_WRAPPER);
  const wrappedPuzzle = curryProgram(addWrapper, [custody.wrapper1.node.program(), curryProgram(addWrapper, [custody.wrapper2.program(), original.puzzle])]);
  // Each add_dpuz_wrapper layer takes (wrapper_solution inner_solution); the wrappers need no solution.
  const wrappedSolution = listProgram([Program.nil, listProgram([Program.nil, original.solution])]);
  // Leaf 0 (USER): path bit 0 (nil), sibling = the POOL leaf hashed as an atom.
  const merkleProof = listProgram([Program.nil, bytesAtom(atomTreeHash(custody.poolMember.hash))]);
  // Restrictions solution: (member validator solutions, dpuz validator solutions = ((original dpuz hash)), BLS (0)).
  const originalHash = bytesAtom(programTreeHash(original.puzzle));
  const userSolution = listProgram([Program.nil, listProgram([listProgram([originalHash])]), listProgram([Program.nil])]);
  const innerSolution = listProgram([wrappedPuzzle, wrappedSolution, merkleProof, custody.userMember.program(), userSolution]);
  const solution = singletonSolution(input.lineageProof, input.plotNftCoin.amount, innerSolution);
  return {
    coinSpend: coinSpend(input.plotNftCoin, puzzles.full.program(), solution),
    next,
    signTarget: signTarget(input.state, input.plotNftCoin, wrappedPuzzle),
  };
}

function requireState(state: PlotNftV2State, expected: PlotNftV2StateName, action: string): void {
  const actual = plotNftV2StateName(state);
  if (actual !== expected) throw new Error(`${action} needs a ${expected} Plot NFT, this one is ${actual}`);
}

/** Self-pooling → pooling to `pool`, with the same owner key. The new coin carries the CHIP-0043 memo. */
export function buildJoinPoolSpend(input: OwnerSpendInput & { pool: PlotNftV2Pool }): OwnerSpend {
  requireState(input.state, 'self_pooling', 'joining a pool');
  const puzzles = puzzlesOfCoin(input.id, input.state, input.plotNftCoin);
  const next: PlotNftV2State = { ownerPublicKey: input.state.ownerPublicKey, pool: input.pool, exiting: false };
  return selfPoolingSpend(input, puzzles, [recreate(input.id, next, input.plotNftCoin.amount, true)], next);
}

/** Pooling → the waiting room of the same pool; the only move a pooling owner can make. */
export function buildExitToWaitingRoomSpend(input: OwnerSpendInput): OwnerSpend {
  requireState(input.state, 'pooling', 'exiting to the waiting room');
  const puzzles = puzzlesOfCoin(input.id, input.state, input.plotNftCoin);
  const next: PlotNftV2State = { ...input.state, exiting: true };
  // The pool recognises this move from its previous state, so the memo carries only the hint.
  return userPathSpend(input, puzzles, [recreate(input.id, next, input.plotNftCoin.amount, false)], next);
}

/**
 * Waiting room → self-pooling (chia-blockchain's only target), or straight to another pool with `nextPool`:
 * the exiting restrictions (heightlock, no SEND_MESSAGE) do not limit where the coin goes. Valid on chain only
 * `relative_lock_height` blocks after the waiting-room coin was created.
 */
export function buildLeaveWaitingRoomSpend(input: OwnerSpendInput & { nextPool?: PlotNftV2Pool | null }): OwnerSpend {
  requireState(input.state, 'exiting', 'leaving the waiting room');
  const puzzles = puzzlesOfCoin(input.id, input.state, input.plotNftCoin);
  const lockHeight = input.state.pool?.relativeLockHeight ?? 0;
  const next: PlotNftV2State = { ownerPublicKey: input.state.ownerPublicKey, pool: input.nextPool ?? null, exiting: false };
  const conditions = [condition(ASSERT_HEIGHT_RELATIVE, intAtom(lockHeight)), recreate(input.id, next, input.plotNftCoin.amount, true)];
  return userPathSpend(input, puzzles, conditions, next);
}
