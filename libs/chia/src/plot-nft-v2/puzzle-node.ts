import { Program } from 'clvm-lib';
import { atomTreeHash, curryTreeHash, intTreeHash, pairTreeHash, programTreeHash } from '../puzzles/curry-tree-hash';
import { bytesAtom, curryProgram, embeddedModHash, embeddedProgram, intAtom } from '../puzzles/embedded-program';
import { type EmbeddedPuzzle } from '../puzzles/puzzle-programs';

/**
 * A CLVM value described once and evaluated two ways: its tree hash from the hashes of its parts (sha256
 * only; what a pool computes per farmer), and the program itself, built only when a spend must reveal it.
 * Describing the Plot NFT once with these keeps the two from drifting apart.
 */
export interface PuzzleNode {
  readonly hash: Uint8Array;
  program(): Program;
}

export function atomNode(bytes: Uint8Array): PuzzleNode {
  return { hash: atomTreeHash(bytes), program: () => bytesAtom(bytes) };
}

export function intNode(value: bigint): PuzzleNode {
  return { hash: intTreeHash(value), program: () => intAtom(value) };
}

/** A value given as a program (e.g. the pool memoization); its hash is computed once. */
export function programNode(program: Program): PuzzleNode {
  return { hash: programTreeHash(program), program: () => program };
}

export function pairNode(first: PuzzleNode, rest: PuzzleNode): PuzzleNode {
  return { hash: pairTreeHash(first.hash, rest.hash), program: () => Program.cons(first.program(), rest.program()) };
}

const NIL_NODE = atomNode(new Uint8Array(0));

export function listNode(items: readonly PuzzleNode[]): PuzzleNode {
  return items.reduceRight<PuzzleNode>((rest, item) => pairNode(item, rest), NIL_NODE);
}

/** `(q . value)`: how enforce_dpuz_wrappers and add_dpuz_wrapper commit to a wrapper. */
export function quotedNode(value: PuzzleNode): PuzzleNode {
  return pairNode(intNode(1n), value);
}

/** `mod` curried with `args`, the form chia's `Program.curry` produces. */
export function curriedNode(mod: EmbeddedPuzzle, args: readonly PuzzleNode[]): PuzzleNode {
  return {
    hash: curryTreeHash(embeddedModHash(mod), args.map((arg) => arg.hash)),
    program: () => curryProgram(embeddedProgram(mod), args.map((arg) => arg.program())),
  };
}

/** An uncurried module itself (a wrapper curried with nothing, such as send_message_banned). */
export function moduleNode(mod: EmbeddedPuzzle): PuzzleNode {
  return { hash: embeddedModHash(mod), program: () => embeddedProgram(mod) };
}

/** A puzzle known only by its hash (a lineage proof's parent, another party's puzzle): it cannot be revealed. */
export function hashOnlyNode(hash: Uint8Array): PuzzleNode {
  return {
    hash,
    program: () => {
      throw new Error('only the hash of this puzzle is known, it cannot be revealed');
    },
  };
}
