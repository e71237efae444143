import { type Program } from 'clvm-lib';
import { type Hex } from '../chain/chain-types';
import { parseBytes32, toHex } from './bytes-hex';
import { atomTreeHash, curryTreeHash, intTreeHash } from './curry-tree-hash';
import { bytesAtom, curryProgram, embeddedModHash, embeddedProgram, intAtom } from './embedded-program';
import {
  P2_SINGLETON_OR_DELAYED_PUZHASH,
  SINGLETON_LAUNCHER,
  SINGLETON_TOP_LAYER_V1_0,
} from './puzzle-programs';

const UINT64_MAX = (1n << 64n) - 1n;

// Argument hashes that are the same for every plot NFT, computed once for the per-partial hot path.
const SINGLETON_MOD_HASH_ARG = atomTreeHash(embeddedModHash(SINGLETON_TOP_LAYER_V1_0));
const LAUNCHER_HASH_ARG = atomTreeHash(embeddedModHash(SINGLETON_LAUNCHER));

/** delay_time is a uint64 in the launcher's extra data; anything else cannot be a real plot NFT. */
export function checkDelayTime(delayTime: bigint | number): bigint {
  if (typeof delayTime === 'number' && !Number.isSafeInteger(delayTime)) {
    throw new RangeError('delay_time must be a whole number');
  }
  const value = BigInt(delayTime);
  if (value < 0n || value > UINT64_MAX) throw new RangeError('delay_time must fit in a uint64');
  return value;
}

/**
 * The v1 pool reward address of a plot NFT: `p2_singleton_or_delayed_puzhash` curried with
 * (SINGLETON_MOD_HASH v1.0, launcher_id, SINGLETON_LAUNCHER_HASH, delay_time, delay_puzzle_hash).
 * Plots store it as `pool_contract_puzzle_hash`. sha256-only: safe to call per partial.
 */
export function p2SingletonOrDelayedPuzzleHash(
  launcherId: string,
  delayTime: bigint | number,
  delayPuzzleHash: string,
): Hex {
  const argHashes = [
    SINGLETON_MOD_HASH_ARG,
    atomTreeHash(parseBytes32(launcherId, 'launcher_id')),
    LAUNCHER_HASH_ARG,
    intTreeHash(checkDelayTime(delayTime)),
    atomTreeHash(parseBytes32(delayPuzzleHash, 'delay_puzzle_hash')),
  ];
  return toHex(curryTreeHash(embeddedModHash(P2_SINGLETON_OR_DELAYED_PUZHASH), argHashes));
}

/** The same puzzle as a program, for revealing it when the reward coin is spent (absorb). */
export function p2SingletonOrDelayedPuzzle(
  launcherId: string,
  delayTime: bigint | number,
  delayPuzzleHash: string,
): Program {
  return curryProgram(embeddedProgram(P2_SINGLETON_OR_DELAYED_PUZHASH), [
    bytesAtom(embeddedModHash(SINGLETON_TOP_LAYER_V1_0)),
    bytesAtom(parseBytes32(launcherId, 'launcher_id')),
    bytesAtom(embeddedModHash(SINGLETON_LAUNCHER)),
    intAtom(checkDelayTime(delayTime)),
    bytesAtom(parseBytes32(delayPuzzleHash, 'delay_puzzle_hash')),
  ]);
}
