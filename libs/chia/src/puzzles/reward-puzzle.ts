import { Program } from 'clvm-lib';
import { type Hex } from '../chain/chain-types';
import { parseBytes32, toHex } from './bytes-hex';
import { curryTreeHash, intTreeHash, singletonStructTreeHash } from './curry-tree-hash';
import { bytesAtom, curryProgram, embeddedModHash, embeddedProgram, intAtom } from './embedded-program';
import {
  DELEGATED_PUZZLE_FEEDER,
  INDEX_WRAPPER,
  SINGLETON_LAUNCHER,
  SINGLETON_MEMBER,
  SINGLETON_TOP_LAYER_V1_1,
} from './puzzle-programs';

/**
 * v2 plot NFTs (CHIP-59) receive pool rewards at `RewardPuzzle(singleton_id=launcher_id)`: a MIPS member
 * that only the plot NFT singleton (v1.1) can approve, wrapped as a top-level custody puzzle with nonce 0:
 *   INDEX_WRAPPER.curry(0, DELEGATED_PUZZLE_FEEDER.curry(SINGLETON_MEMBER.curry(singleton_struct)))
 */
const REWARD_PUZZLE_NONCE = 0n;

/** Hash of SINGLETON_MEMBER curried with the v1.1 singleton struct of `launcherId`. */
export function singletonMemberPuzzleHash(launcherId: string): Hex {
  return toHex(singletonMemberHashBytes(parseBytes32(launcherId, 'launcher_id')));
}

function singletonMemberHashBytes(launcherId: Uint8Array): Uint8Array {
  const struct = singletonStructTreeHash(
    embeddedModHash(SINGLETON_TOP_LAYER_V1_1),
    launcherId,
    embeddedModHash(SINGLETON_LAUNCHER),
  );
  return curryTreeHash(embeddedModHash(SINGLETON_MEMBER), [struct]);
}

/** The v2 plot's `pool_contract_puzzle_hash` for `launcherId` (sha256 only). */
export function rewardPuzzleHash(launcherId: string): Hex {
  const member = singletonMemberHashBytes(parseBytes32(launcherId, 'launcher_id'));
  const feeder = curryTreeHash(embeddedModHash(DELEGATED_PUZZLE_FEEDER), [member]);
  return toHex(curryTreeHash(embeddedModHash(INDEX_WRAPPER), [intTreeHash(REWARD_PUZZLE_NONCE), feeder]));
}

/** The same puzzle as a program, for revealing it when a v2 reward coin is spent. */
export function rewardPuzzle(launcherId: string): Program {
  const struct = Program.cons(
    bytesAtom(embeddedModHash(SINGLETON_TOP_LAYER_V1_1)),
    Program.cons(bytesAtom(parseBytes32(launcherId, 'launcher_id')), bytesAtom(embeddedModHash(SINGLETON_LAUNCHER))),
  );
  const member = curryProgram(embeddedProgram(SINGLETON_MEMBER), [struct]);
  const feeder = curryProgram(embeddedProgram(DELEGATED_PUZZLE_FEEDER), [member]);
  return curryProgram(embeddedProgram(INDEX_WRAPPER), [intAtom(REWARD_PUZZLE_NONCE), feeder]);
}

