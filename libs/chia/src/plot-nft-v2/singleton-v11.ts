import { type Program } from 'clvm-lib';
import { type Hex } from '../chain/chain-types';
import { parseBytes32, toHex } from '../puzzles/bytes-hex';
import { programTreeHash } from '../puzzles/curry-tree-hash';
import { deserializeProgram } from '../puzzles/embedded-program';
import { SINGLETON_LAUNCHER, SINGLETON_TOP_LAYER_V1_1 } from '../puzzles/puzzle-programs';
import { type PuzzleNode, atomNode, curriedNode, hashOnlyNode, pairNode } from './puzzle-node';

/** The v1.1 singleton struct `(MOD_HASH . (launcher_id . LAUNCHER_HASH))` as a node. */
export function singletonV11StructNode(launcherId: Hex): PuzzleNode {
  return pairNode(
    atomNode(parseBytes32(SINGLETON_TOP_LAYER_V1_1.treeHash)),
    pairNode(atomNode(parseBytes32(launcherId, 'launcher_id')), atomNode(parseBytes32(SINGLETON_LAUNCHER.treeHash))),
  );
}

/** singleton_top_layer_v1_1 curried with the struct of `launcherId` and `inner`. */
export function singletonV11Node(launcherId: Hex, inner: PuzzleNode): PuzzleNode {
  return curriedNode(SINGLETON_TOP_LAYER_V1_1, [singletonV11StructNode(launcherId), inner]);
}

/** The v1.1 singleton struct `(MOD_HASH . (launcher_id . LAUNCHER_HASH))` of a v2 plot NFT. */
export function singletonV11Struct(launcherId: Hex): Program {
  return singletonV11StructNode(launcherId).program();
}

/**
 * sha256tree of the struct: curried into the Plot NFT's claim path, and the hint (first memo) of every Plot NFT
 * CREATE_COIN after the launch, so `get_coin_records_by_hint` finds the live coin in any state.
 */
export function singletonStructHash(launcherId: Hex): Hex {
  return toHex(singletonV11StructNode(launcherId).hash);
}

/** Full puzzle hash of a singleton v1.1 with the given inner puzzle hash (sha256 only). */
export function singletonV11PuzzleHash(launcherId: Hex, innerPuzzleHash: Hex): Hex {
  return toHex(singletonV11Node(launcherId, hashOnlyNode(parseBytes32(innerPuzzleHash, 'inner puzzle hash'))).hash);
}

/** A puzzle reveal recognised as singleton v1.1: its launcher id and inner puzzle hash. */
export interface SingletonV11Puzzle {
  launcherId: Hex;
  innerPuzzleHash: Hex;
}

/** A singleton v1.1 puzzle taken apart: its launcher id and its inner puzzle. */
export interface UncurriedSingletonV11 {
  launcherId: Hex;
  innerPuzzle: Program;
}

/**
 * Takes a program apart as singleton v1.1, or returns null when it is anything else (another module, a v1.0
 * singleton, a struct naming another singleton module or launcher puzzle).
 */
export function uncurrySingletonV11(puzzle: Program): UncurriedSingletonV11 | null {
  const uncurried = puzzle.uncurry();
  if (uncurried === null) return null;
  const [mod, args] = uncurried;
  if (args.length !== 2 || toHex(programTreeHash(mod)) !== SINGLETON_TOP_LAYER_V1_1.treeHash) return null;
  const [struct, innerPuzzle] = args as [Program, Program];
  if (struct.isAtom || struct.rest.isAtom) return null;
  const modHash = struct.first;
  const launcherId = struct.rest.first;
  const launcherHash = struct.rest.rest;
  if (!modHash.isAtom || !launcherId.isAtom || !launcherHash.isAtom || launcherId.atom.length !== 32) return null;
  if (toHex(modHash.atom) !== SINGLETON_TOP_LAYER_V1_1.treeHash || toHex(launcherHash.atom) !== SINGLETON_LAUNCHER.treeHash) return null;
  return { launcherId: toHex(launcherId.atom), innerPuzzle };
}

/**
 * Uncurries a serialized puzzle reveal and returns its singleton v1.1 identity, or null when it is not one
 * (or not serialized CLVM).
 */
export function parseSingletonV11Puzzle(puzzleRevealHex: string): SingletonV11Puzzle | null {
  let singleton: UncurriedSingletonV11 | null;
  try {
    singleton = uncurrySingletonV11(deserializeProgram(puzzleRevealHex, 'puzzle reveal'));
  } catch {
    return null;
  }
  if (singleton === null) return null;
  return { launcherId: singleton.launcherId, innerPuzzleHash: toHex(programTreeHash(singleton.innerPuzzle)) };
}
