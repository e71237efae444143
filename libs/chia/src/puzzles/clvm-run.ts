import { Program, type ProgramOutput, type RunOptions } from 'clvm-lib';
import { bytesToHex } from '../util/hex';
import { sha256 } from '../util/hash';

/**
 * Running CLVM the way a Chia node's mempool does, on top of clvm-lib.
 *
 * clvm-lib 1.0.1 lacks `coinid` (opcode 0x30), which v2 Plot NFT puzzles call, and by default it lets unknown
 * operators through as no-ops costing a little. A node in mempool mode refuses unknown operators (clvm_rs
 * `NO_UNKNOWN_OPS`, part of chia_rs `MEMPOOL_MODE`), so a puzzle the node would refuse must fail here too.
 *
 * clvm-lib offers no access to its built-in operator table, only a hook (`RunOptions.operators.unknown`) for
 * operators its table does not name. So every operator goes through that hook here (the table is left empty):
 * `coinid` is computed in place, an operator clvm-lib implements is handed back to clvm-lib in a one-operator
 * program, anything else is refused. The hook sees the exact opcode bytes, which also refuses spellings clvm-lib
 * alone would accept but clvm_rs does not (a padded opcode such as 0x000b is not sha256 to the node).
 */

export interface ClvmRunOptions {
  /** Cost ceiling of the whole run; unlimited when absent. */
  maxCost?: bigint;
}

const QUOTE = Program.fromBytes(Uint8Array.of(0x01));
const COINID_OPCODE = 0x30;

/**
 * clvm_rs prices coinid as a sha256 of its three arguments (72 bytes) less a 153 discount, plus the 32-byte
 * result's allocation: 800 (more_ops.rs `COINID_COST` and its op-tests).
 */
const COINID_COST = 800n;

/**
 * One-byte opcodes clvm-lib implements itself: its keyword table without `q` and `a` (which its evaluator handles
 * before any lookup) and without `.` (0x23), a name with no operator behind it.
 */
const CLVM_LIB_OPCODES: ReadonlySet<number> = new Set([
  0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16,
  0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1d, 0x1e, 0x20, 0x21, 0x22, 0x24,
]);

/** What clvm-lib charges for evaluating `(q . x)`: measured, so a later clvm-lib that changes it stays exact. */
const QUOTE_COST = Program.cons(QUOTE, Program.nil).run(Program.nil).cost;
/** clvm-lib's charge for evaluating an operator call itself, before its operands and the operator's own cost. */
const OPERATOR_CALL_COST = 1n;

/**
 * Runs `(op (q . a1) (q . a2) …)` with clvm-lib's own operators and returns the operator's result with only the
 * operator's cost, so totals equal what clvm-lib would have charged running the operator directly.
 */
function runClvmLibOperator(op: Program, args: Program): ProgramOutput {
  const operands = args.toList();
  const quoted = operands.reduceRight((rest, operand) => Program.cons(Program.cons(QUOTE, operand), rest), Program.nil);
  const output = Program.cons(op, quoted).run(Program.nil);
  return { value: output.value, cost: output.cost - OPERATOR_CALL_COST - BigInt(operands.length) * QUOTE_COST };
}

/**
 * A coin amount as coinid accepts it (clvm_rs `op_coinid`): canonical (a leading zero byte only to keep the top
 * bit clear), not negative, at most a uint64. The atom's bytes are what the coin id hashes.
 */
function checkCoinIdAmount(amount: Uint8Array): void {
  if (amount.length === 0) return;
  if ((amount[0] & 0x80) !== 0) throw new Error('coinid: the amount is negative');
  if (amount[0] === 0 && (amount.length === 1 || (amount[1] & 0x80) === 0)) throw new Error('coinid: the amount has a redundant leading zero');
  if (amount.length > 9 || (amount.length === 9 && amount[0] !== 0)) throw new Error('coinid: the amount exceeds a uint64');
}

function coinIdAtom(arg: Program, label: string): Uint8Array {
  if (!arg.isAtom) throw new Error(`coinid: the ${label} must be an atom`);
  return arg.atom;
}

/** `(coinid parent_id puzzle_hash amount)`: sha256(parent_id ‖ puzzle_hash ‖ amount atom), Chia's coin id. */
function coinIdOperator(args: Program): ProgramOutput {
  const operands = args.toList();
  if (operands.length !== 3) throw new Error(`coinid takes 3 arguments, got ${operands.length}`);
  const parentId = coinIdAtom(operands[0], 'parent id');
  const puzzleHash = coinIdAtom(operands[1], 'puzzle hash');
  const amount = coinIdAtom(operands[2], 'amount');
  if (parentId.length !== 32) throw new Error('coinid: the parent id must be 32 bytes');
  if (puzzleHash.length !== 32) throw new Error('coinid: the puzzle hash must be 32 bytes');
  checkCoinIdAmount(amount);
  return { value: Program.fromBytes(sha256(parentId, puzzleHash, amount)), cost: COINID_COST };
}

function mempoolOperator(op: Program, args: Program): ProgramOutput {
  const opcode = op.atom.length === 1 ? op.atom[0] : undefined;
  if (opcode === COINID_OPCODE) return coinIdOperator(args);
  if (opcode !== undefined && CLVM_LIB_OPCODES.has(opcode)) return runClvmLibOperator(op, args);
  throw new Error(`unknown operator 0x${bytesToHex(op.atom)} (a node in mempool mode refuses unknown operators)`);
}

const MEMPOOL_OPERATORS: RunOptions['operators'] = Object.freeze({
  // Empty and prototype-free, so no name (not even `constructor`) reaches an operator without mempoolOperator.
  operators: Object.freeze(Object.create(null) as RunOptions['operators']['operators']),
  unknown: mempoolOperator,
  quote: 'q',
  apply: 'a',
});

/**
 * Runs `puzzle` on `solution` as a node's mempool would: clvm-lib's operators plus `coinid`, unknown operators
 * refused. Throws on any CLVM failure (including exceeding `maxCost`).
 */
export function runProgram(puzzle: Program, solution: Program, options: ClvmRunOptions = {}): ProgramOutput {
  // strict stays false: clvm-lib's strict mode would replace the unknown-operator hook with its own refusal.
  return puzzle.run(solution, { maxCost: options.maxCost, strict: false, operators: MEMPOOL_OPERATORS });
}
