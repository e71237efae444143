import { Program } from 'clvm-lib';
import { hexToBytes, type Hex } from '@pool/chia';

/** CLVM condition opcodes the simulator understands (chia/types/condition_opcodes.py). */
export const ConditionOpcode = {
  REMARK: 1n,
  AGG_SIG_UNSAFE: 49n,
  AGG_SIG_ME: 50n,
  CREATE_COIN: 51n,
  RESERVE_FEE: 52n,
  CREATE_COIN_ANNOUNCEMENT: 60n,
  ASSERT_COIN_ANNOUNCEMENT: 61n,
  CREATE_PUZZLE_ANNOUNCEMENT: 62n,
  ASSERT_PUZZLE_ANNOUNCEMENT: 63n,
  /** CHIP-25 messages between spends of one bundle; the v2 Plot NFT's reward forward is such a pair. */
  SEND_MESSAGE: 66n,
  RECEIVE_MESSAGE: 67n,
  ASSERT_MY_COIN_ID: 70n,
  ASSERT_MY_PARENT_ID: 71n,
  ASSERT_MY_PUZZLEHASH: 72n,
  ASSERT_MY_AMOUNT: 73n,
  ASSERT_SECONDS_RELATIVE: 80n,
  ASSERT_SECONDS_ABSOLUTE: 81n,
  ASSERT_HEIGHT_RELATIVE: 82n,
  ASSERT_HEIGHT_ABSOLUTE: 83n,
} as const;

/** clvm-lib's fromList reverses the array it is given; this hands it a copy. */
export function clvmList(items: readonly Program[]): Program {
  return Program.fromList([...items]);
}

/**
 * The devnet's "key-less wallet" puzzle: `(c (q . (1 TAG)) 1)`. It returns a REMARK carrying TAG followed by
 * the solution, so the solution IS the list of conditions. TAG only makes the puzzle hash unique per owner.
 * Anyone who knows the puzzle can spend such a coin: fine for a simulator whose wallet holds no real keys (the
 * real pool wallet uses the standard transaction puzzle and signs).
 */
export function conditionsPuzzle(tag: string): Program {
  const remark = clvmList([Program.fromBigInt(ConditionOpcode.REMARK), Program.fromText(tag)]);
  return clvmList([Program.fromInt(4), Program.cons(Program.fromInt(1), remark), Program.fromInt(1)]);
}

export function conditionsPuzzleHash(tag: string): Hex {
  return conditionsPuzzle(tag).hashHex();
}

/** `(CREATE_COIN puzzle_hash amount [memos])`. */
export function createCoinCondition(puzzleHash: Hex, amount: bigint, memos?: readonly Uint8Array[]): Program {
  const items = [Program.fromBigInt(ConditionOpcode.CREATE_COIN), Program.fromBytes(hexToBytes(puzzleHash)), Program.fromBigInt(amount)];
  if (memos !== undefined && memos.length > 0) items.push(clvmList(memos.map((memo) => Program.fromBytes(memo))));
  return clvmList(items);
}

export function conditionProgram(opcode: bigint, ...args: Program[]): Program {
  return clvmList([Program.fromBigInt(opcode), ...args]);
}
