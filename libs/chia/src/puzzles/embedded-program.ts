import { Program } from 'clvm-lib';
import { parseHex } from './bytes-hex';
import { type EmbeddedPuzzle } from './puzzle-programs';

const programs = new Map<string, Program>();
const modHashes = new Map<string, Uint8Array>();

/** The embedded puzzle as a clvm-lib Program, parsed once. */
export function embeddedProgram(puzzle: EmbeddedPuzzle): Program {
  let program = programs.get(puzzle.name);
  if (program === undefined) {
    program = Program.deserializeHex(puzzle.hex);
    programs.set(puzzle.name, program);
  }
  return program;
}

/** The embedded puzzle's declared tree hash as bytes (callers must not mutate it). */
export function embeddedModHash(puzzle: EmbeddedPuzzle): Uint8Array {
  let hash = modHashes.get(puzzle.name);
  if (hash === undefined) {
    hash = parseHex(puzzle.treeHash, puzzle.name, 32);
    modHashes.set(puzzle.name, hash);
  }
  return hash;
}

/** A CLVM atom holding raw bytes (hashes, keys). */
export function bytesAtom(bytes: Uint8Array): Program {
  return Program.fromBytes(bytes);
}

/** A CLVM integer atom (minimal two's complement). */
export function intAtom(value: bigint | number): Program {
  return Program.fromBigInt(BigInt(value));
}

/**
 * Parses serialized CLVM, turning clvm-lib's terse failures into one message that says what was being
 * parsed. clvm-lib cannot read back-referenced (0xfe) serializations; node RPC puzzle reveals don't use them.
 */
export function deserializeProgram(hex: string, label: string): Program {
  const bytes = parseHex(hex, label);
  try {
    return Program.deserialize(bytes);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${label} is not a serialized CLVM program (${reason})`);
  }
}

/**
 * clvm-lib's `fromList` (and `curry`, which uses it) reverses the caller's array in place, so a reused
 * argument array comes out reversed on the second call. These wrappers always hand it a copy.
 */
export function listProgram(items: readonly Program[]): Program {
  return Program.fromList([...items]);
}

export function curryProgram(mod: Program, args: readonly Program[]): Program {
  return mod.curry([...args]);
}
