import { Program } from 'clvm-lib';
import { type Hex } from '../chain/chain-types';
import { parseBytes32, parseHex, toHex } from './bytes-hex';
import { atomTreeHash, curryTreeHash, intTreeHash, programTreeHash, singletonStructTreeHash } from './curry-tree-hash';
import { bytesAtom, curryProgram, deserializeProgram, embeddedModHash, embeddedProgram, intAtom } from './embedded-program';
import { SINGLETON_LAUNCHER, SINGLETON_TOP_LAYER_V1_1 } from './puzzle-programs';

/*
 * The devnet's v2 plot NFT. The real PlotNFT v2 (CHIP-59, chia-blockchain main `plotnft_drivers.py`) is
 * singleton_top_layer_v1_1 around a MIPS (CHIP-43) custody tree: 1-of-2 of (owner BLS member behind a
 * restriction stack, pool FixedPuzzleMember). That tree is NOT reproduced here. What is real: the outer layer
 * (singleton v1.1, its launcher and lineage rules, the struct that RewardPuzzle commits to) and the fact that
 * the pool identity and the exiting flag are part of the inner puzzle, so the pool finds a member's plot NFT
 * by computing its expected puzzle hash, as pool2-reference does. The inner puzzle is a small devnet program:
 *
 *   curried: OWNER_PK POOL_CLAIM_HASH RELATIVE_LOCK_HEIGHT POOL_MEMOIZATION EXITING
 *   solution: (new_inner_puzzle_hash)
 *   conditions: (CREATE_COIN new_inner_puzzle_hash 1) (AGG_SIG_ME OWNER_PK new_inner_puzzle_hash)
 *               and, when EXITING, (ASSERT_HEIGHT_RELATIVE RELATIVE_LOCK_HEIGHT)
 *
 * i.e. only the owner moves it, and an exiting plot NFT waits out the pool's lock height (the real user path's
 * Heightlock restriction). The pool's claim path and the "pooling may only go to exiting" restriction are absent.
 */

const q = (value: Program): Program => Program.cons(intAtom(1), value);
const list = (...items: Program[]): Program => Program.fromList([...items]);
const op = (code: number, ...args: Program[]): Program => list(intAtom(code), ...args);
const path = (index: number): Program => intAtom(index);

// Environment paths of the curried arguments: (A1 A2 A3 A4 A5 . solution).
const OWNER_PK = path(2);
const RELATIVE_LOCK_HEIGHT = path(11);
const EXITING = path(47);
const NEW_INNER_PUZZLE_HASH = path(95);
const [CONS, IF] = [4, 3];

function innerModule(): Program {
  const createCoin = op(CONS, q(intAtom(51)), op(CONS, NEW_INNER_PUZZLE_HASH, q(list(intAtom(1)))));
  const aggSigMe = op(CONS, q(intAtom(50)), op(CONS, OWNER_PK, op(CONS, NEW_INNER_PUZZLE_HASH, Program.nil)));
  const heightLock = op(CONS, op(CONS, q(intAtom(82)), op(CONS, RELATIVE_LOCK_HEIGHT, Program.nil)), Program.nil);
  return op(CONS, createCoin, op(CONS, aggSigMe, op(IF, EXITING, heightLock, Program.nil)));
}

const MODULE = innerModule();
/** The devnet inner module, serialized (for tests and puzzle reveals). */
export const DEVNET_PLOT_NFT_V2_INNER_HEX = MODULE.serializeHex();
const MODULE_HASH = programTreeHash(MODULE);

/** The pool a v2 plot NFT farms to (CHIP-59 PoolConfig). */
export interface PlotNftV2Pool {
  /** pool_claim_hash: where claimed rewards go (the pool's target puzzle hash). */
  poolClaimHash: Hex;
  relativeLockHeight: number;
  /** Serialized CLVM memoization (nil = "80"). */
  poolMemoization: Hex;
}

export interface PlotNftV2State {
  /** The owner's synthetic key: also the farmer's v2 authentication_public_key. */
  ownerPublicKey: Hex;
  /** null while self-pooling. */
  pool: PlotNftV2Pool | null;
  exiting: boolean;
}

function argumentTreeHashes(state: PlotNftV2State): Uint8Array[] {
  const pool = state.pool;
  return [
    atomTreeHash(parseHex(state.ownerPublicKey, 'owner public key', 48)),
    pool === null ? atomTreeHash(new Uint8Array(0)) : atomTreeHash(parseBytes32(pool.poolClaimHash, 'pool_claim_hash')),
    intTreeHash(BigInt(pool?.relativeLockHeight ?? 0)),
    pool === null ? atomTreeHash(new Uint8Array(0)) : programTreeHash(deserializeProgram(pool.poolMemoization, 'pool_memoization')),
    intTreeHash(state.exiting ? 1n : 0n),
  ];
}

export function plotNftV2InnerPuzzle(state: PlotNftV2State): Program {
  const pool = state.pool;
  return curryProgram(MODULE, [
    bytesAtom(parseHex(state.ownerPublicKey, 'owner public key', 48)),
    pool === null ? Program.nil : bytesAtom(parseBytes32(pool.poolClaimHash, 'pool_claim_hash')),
    intAtom(pool?.relativeLockHeight ?? 0),
    pool === null ? Program.nil : deserializeProgram(pool.poolMemoization, 'pool_memoization'),
    intAtom(state.exiting ? 1 : 0),
  ]);
}

export function plotNftV2InnerPuzzleHash(state: PlotNftV2State): Hex {
  return toHex(curryTreeHash(MODULE_HASH, argumentTreeHashes(state)));
}

function structHash(launcherId: string): Uint8Array {
  return singletonStructTreeHash(embeddedModHash(SINGLETON_TOP_LAYER_V1_1), parseBytes32(launcherId, 'launcher_id'), embeddedModHash(SINGLETON_LAUNCHER));
}

/** The v1.1 singleton struct `(MOD_HASH . (launcher_id . LAUNCHER_HASH))` of a v2 plot NFT. */
export function singletonV11Struct(launcherId: string): Program {
  return Program.cons(
    bytesAtom(embeddedModHash(SINGLETON_TOP_LAYER_V1_1)),
    Program.cons(bytesAtom(parseBytes32(launcherId, 'launcher_id')), bytesAtom(embeddedModHash(SINGLETON_LAUNCHER))),
  );
}

/** Full puzzle hash of a singleton v1.1 with the given inner puzzle hash (sha256 only). */
export function singletonV11PuzzleHash(launcherId: string, innerPuzzleHash: Hex): Hex {
  return toHex(curryTreeHash(embeddedModHash(SINGLETON_TOP_LAYER_V1_1), [structHash(launcherId), parseBytes32(innerPuzzleHash, 'inner puzzle hash')]));
}

/** Where a v2 plot NFT in `state` lives: what the pool looks up to find a member's singleton coin. */
export function plotNftV2PuzzleHash(launcherId: string, state: PlotNftV2State): Hex {
  return singletonV11PuzzleHash(launcherId, plotNftV2InnerPuzzleHash(state));
}

export function plotNftV2Puzzle(launcherId: string, state: PlotNftV2State): Program {
  return curryProgram(embeddedProgram(SINGLETON_TOP_LAYER_V1_1), [singletonV11Struct(launcherId), plotNftV2InnerPuzzle(state)]);
}

/** A puzzle reveal recognised as singleton v1.1: its launcher id and inner puzzle hash. */
export interface SingletonV11Puzzle {
  launcherId: Hex;
  innerPuzzleHash: Hex;
}

/**
 * Uncurries a puzzle reveal and returns its singleton v1.1 identity, or null when it is anything else (another
 * module, a v1.0 singleton, a struct naming another launcher puzzle).
 */
export function parseSingletonV11Puzzle(puzzleRevealHex: string): SingletonV11Puzzle | null {
  let uncurried: ReturnType<Program['uncurry']>;
  try {
    uncurried = deserializeProgram(puzzleRevealHex, 'puzzle reveal').uncurry();
  } catch {
    return null;
  }
  if (uncurried === null) return null;
  const [mod, args] = uncurried;
  if (args.length !== 2 || toHex(programTreeHash(mod)) !== SINGLETON_TOP_LAYER_V1_1.treeHash) return null;
  const [struct, inner] = args;
  if (struct.isAtom || struct.rest.isAtom) return null;
  const modHash = struct.first;
  const launcherId = struct.rest.first;
  const launcherHash = struct.rest.rest;
  if (!modHash.isAtom || !launcherId.isAtom || !launcherHash.isAtom || launcherId.atom.length !== 32) return null;
  if (toHex(modHash.atom) !== SINGLETON_TOP_LAYER_V1_1.treeHash || toHex(launcherHash.atom) !== SINGLETON_LAUNCHER.treeHash) return null;
  return { launcherId: toHex(launcherId.atom), innerPuzzleHash: toHex(programTreeHash(inner)) };
}
