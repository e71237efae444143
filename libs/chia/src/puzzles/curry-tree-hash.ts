import { clvmIntBytes, sha256 } from './bytes-hex';

/**
 * sha256-only tree hashing of curried puzzles. Building a clvm-lib Program and hashing it costs
 * milliseconds per call (it re-hashes the whole module); these functions hash only what changes, which
 * matters on the partial hot path where the p2 singleton puzzle hash is recomputed per request.
 */

const ATOM_PREFIX = Uint8Array.of(1);
const PAIR_PREFIX = Uint8Array.of(2);

/** sha256tree of an atom: sha256(0x01 || atom). */
export function atomTreeHash(atom: Uint8Array): Uint8Array {
  return sha256(ATOM_PREFIX, atom);
}

/** sha256tree of a cons pair given the tree hashes of both sides: sha256(0x02 || left || right). */
export function pairTreeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256(PAIR_PREFIX, left, right);
}

export function intTreeHash(value: bigint): Uint8Array {
  return atomTreeHash(clvmIntBytes(value));
}

const NIL_HASH = atomTreeHash(new Uint8Array(0));
const QUOTE_HASH = atomTreeHash(Uint8Array.of(1));
const APPLY_HASH = atomTreeHash(Uint8Array.of(2));
const CONS_HASH = atomTreeHash(Uint8Array.of(4));
// The curried environment ends in `1`, the whole solution, so the curried puzzle sees (args... . solution).
const ENVIRONMENT_HASH = atomTreeHash(Uint8Array.of(1));

/**
 * Tree hash of `(a (q . MOD) (c (q . arg1) (c (q . arg2) ... 1)))`, the form `curry` produces,
 * from the module's hash and the tree hashes of the arguments.
 */
export function curryTreeHash(modHash: Uint8Array, argHashes: readonly Uint8Array[]): Uint8Array {
  let environment = ENVIRONMENT_HASH;
  for (let i = argHashes.length - 1; i >= 0; i--) {
    const quotedArg = pairTreeHash(QUOTE_HASH, argHashes[i]);
    environment = pairTreeHash(CONS_HASH, pairTreeHash(quotedArg, pairTreeHash(environment, NIL_HASH)));
  }
  const quotedMod = pairTreeHash(QUOTE_HASH, modHash);
  return pairTreeHash(APPLY_HASH, pairTreeHash(quotedMod, pairTreeHash(environment, NIL_HASH)));
}

/** Tree hash of a singleton struct `(MOD_HASH . (LAUNCHER_ID . LAUNCHER_PUZZLE_HASH))`. */
export function singletonStructTreeHash(
  singletonModHash: Uint8Array,
  launcherId: Uint8Array,
  launcherPuzzleHash: Uint8Array,
): Uint8Array {
  return pairTreeHash(
    atomTreeHash(singletonModHash),
    pairTreeHash(atomTreeHash(launcherId), atomTreeHash(launcherPuzzleHash)),
  );
}


/** The structural view of a CLVM value that tree hashing needs (clvm-lib's Program satisfies it). */
export interface TreeNode {
  readonly isAtom: boolean;
  readonly atom: Uint8Array;
  readonly first: TreeNode;
  readonly rest: TreeNode;
}

/**
 * sha256tree of a whole program with node's native sha256 (clvm-lib hashes with a JS sha256, about twice
 * as slow). Iterative, so a long list cannot overflow the stack.
 */
export function programTreeHash(root: TreeNode): Uint8Array {
  const results: Uint8Array[] = [];
  const work: (TreeNode | null)[] = [root];
  while (work.length > 0) {
    const node = work.pop();
    if (node === null || node === undefined) {
      const right = results.pop() as Uint8Array;
      const left = results.pop() as Uint8Array;
      results.push(pairTreeHash(left, right));
    } else if (node.isAtom) {
      results.push(atomTreeHash(node.atom));
    } else {
      // Combine marker first, then the right side, then the left: the left result lands on the stack first.
      work.push(null, node.rest, node.first);
    }
  }
  return results[0];
}
