import { type Program } from 'clvm-lib';
import { type Coin, type CoinSpend, type Hex } from '../chain/chain-types';
import { toHex } from './bytes-hex';
import { coinId, normalizeCoin } from './coin-id';
import { deserializeProgram, embeddedModHash } from './embedded-program';
import { type PoolInnerPuzzleKind } from './pool-singleton-puzzles';
import { type PoolState, decodePoolState } from './pool-state-codec';
import { curryTreeHash, programTreeHash } from './curry-tree-hash';
import {
  type EmbeddedPuzzle,
  POOL_MEMBER_INNERPUZ,
  POOL_WAITINGROOM_INNERPUZ,
  SINGLETON_LAUNCHER,
  SINGLETON_TOP_LAYER_V1_0,
} from './puzzle-programs';

/** What the launcher spend of a plot NFT commits to. */
export interface LauncherSpendInfo {
  kind: 'launcher';
  launcherId: Hex;
  /** Puzzle hash of the first singleton coin (the eve coin). */
  singletonPuzzleHash: Hex;
  singletonAmount: bigint;
  poolState: PoolState;
  delayTime: bigint;
  delayPuzzleHash: Hex;
}

/** Curried facts of a pool singleton's puzzle, read from its reveal. */
export interface PoolSingletonPuzzleInfo {
  launcherId: Hex;
  /** Tree hash of the whole singleton puzzle (the coin's puzzle hash). */
  puzzleHash: Hex;
  innerPuzzle: PoolInnerPuzzleKind;
  innerPuzzleHash: Hex;
  targetPuzzleHash: Hex;
  p2SingletonPuzzleHash: Hex;
  ownerPubkey: Hex;
  poolRewardPrefix: Hex;
  /** Member: hash of the waiting room it escapes to. */
  waitingRoomPuzzleHash?: Hex;
  /** Waiting room: blocks the owner must wait before travelling. */
  relativeLockHeight?: number;
}

/** The singleton claimed a pool reward coin into its target puzzle hash. */
export interface AbsorbSpendInfo {
  kind: 'absorb';
  puzzle: PoolSingletonPuzzleInfo;
  rewardAmount: bigint;
  rewardHeight: number;
}

/** The singleton moved to a new PoolState (join, leave, switch pool, self-pool). */
export interface TravelSpendInfo {
  kind: 'travel';
  puzzle: PoolSingletonPuzzleInfo;
  poolState: PoolState;
  /** Waiting-room travels name the next inner puzzle hash; member travels always go to their waiting room. */
  destinationInnerPuzzleHash?: Hex;
}

export interface NotPoolSingletonSpend {
  kind: 'unknown';
  reason: string;
}

export type PoolSingletonSpendInfo = LauncherSpendInfo | AbsorbSpendInfo | TravelSpendInfo | NotPoolSingletonSpend;

const POOL_STATE_KEY = 'p';
const DELAY_TIME_KEY = 't';
const DELAY_PUZZLE_HASH_KEY = 'h';

function atomBytes(program: Program, label: string): Uint8Array {
  if (!program.isAtom) throw new Error(`${label} must be an atom`);
  return program.atom;
}

function atomOfLength(program: Program, length: number, label: string): Hex {
  const bytes = atomBytes(program, label);
  if (bytes.length !== length) throw new Error(`${label} must be ${length} bytes, got ${bytes.length}`);
  return toHex(bytes);
}

function nonNegativeInt(program: Program, label: string): bigint {
  atomBytes(program, label);
  const value = program.toBigInt();
  if (value < 0n) throw new Error(`${label} must not be negative`);
  return value;
}

function uint32(program: Program, label: string): number {
  const value = nonNegativeInt(program, label);
  if (value > 0xffffffffn) throw new Error(`${label} must be a uint32`);
  return Number(value);
}

function properList(program: Program, label: string): Program[] {
  try {
    return program.toList(true);
  } catch {
    throw new Error(`${label} must be a list`);
  }
}

/** Looks a key up in a Chia key-value list `((key . value) ...)`; keys are single-character atoms. */
function keyValue(list: Program, key: string): Program | undefined {
  for (const entry of properList(list, 'key-value list')) {
    if (entry.isCons && entry.first.isAtom && Buffer.from(entry.first.atom).toString('latin1') === key) {
      return entry.rest;
    }
  }
  return undefined;
}

function poolStateFromKeyValues(list: Program): PoolState {
  const value = keyValue(list, POOL_STATE_KEY);
  if (value === undefined) throw new Error('key-value list has no "p" (PoolState) entry');
  return decodePoolState(atomBytes(value, 'PoolState'));
}

/** Launcher spend: solution `(singleton_full_puzzle_hash amount ((p . PoolState) (t . delay_time) (h . delay_ph)))`. */
export function decodeLauncherSpend(spend: CoinSpend): LauncherSpendInfo {
  const coin = normalizeCoin(spend.coin);
  if (coin.puzzleHash !== SINGLETON_LAUNCHER.treeHash) {
    throw new Error('coin is not a singleton launcher');
  }
  const solution = properList(deserializeProgram(spend.solution, 'launcher solution'), 'launcher solution');
  if (solution.length < 3) throw new Error('launcher solution must have 3 elements');
  const [puzzleHash, amount, extraData] = solution;
  const delayTime = keyValue(extraData, DELAY_TIME_KEY);
  const delayPuzzleHash = keyValue(extraData, DELAY_PUZZLE_HASH_KEY);
  if (delayTime === undefined || delayPuzzleHash === undefined) {
    throw new Error('launcher extra data lacks "t" (delay_time) or "h" (delay_puzzle_hash)');
  }
  return {
    kind: 'launcher',
    launcherId: coinId(coin),
    singletonPuzzleHash: atomOfLength(puzzleHash, 32, 'singleton puzzle hash'),
    singletonAmount: nonNegativeInt(amount, 'singleton amount'),
    poolState: poolStateFromKeyValues(extraData),
    delayTime: nonNegativeInt(delayTime, 'delay_time'),
    delayPuzzleHash: atomOfLength(delayPuzzleHash, 32, 'delay_puzzle_hash'),
  };
}

function isEmbeddedModule(program: Program, puzzle: EmbeddedPuzzle): boolean {
  // Equal bytes mean an equal tree hash; comparing bytes avoids hashing a kilobyte-sized module.
  return program.serializeHex() === puzzle.hex;
}

/**
 * Reads the launcher id and curried pool facts from a plot NFT's puzzle; throws if it is not one.
 * Hashes come from the curry formula over the (known) modules and the arguments, not from re-hashing
 * the whole reveal.
 */
export function readPoolSingletonPuzzle(puzzle: Program): PoolSingletonPuzzleInfo {
  const outer = puzzle.uncurry();
  if (outer === null || outer[1].length !== 2 || !isEmbeddedModule(outer[0], SINGLETON_TOP_LAYER_V1_0)) {
    throw new Error('puzzle is not a v1.0 singleton');
  }
  const [struct, inner] = outer[1];
  if (
    !struct.isCons ||
    !struct.rest.isCons ||
    !struct.first.isAtom ||
    toHex(struct.first.atom) !== SINGLETON_TOP_LAYER_V1_0.treeHash ||
    !struct.rest.rest.isAtom ||
    toHex(struct.rest.rest.atom) !== SINGLETON_LAUNCHER.treeHash
  ) {
    throw new Error('singleton struct does not name the v1.0 singleton and launcher puzzles');
  }
  const launcherId = atomOfLength(struct.rest.first, 32, 'launcher id');
  const innerCurried = inner.uncurry();
  if (innerCurried === null || innerCurried[1].length !== 5) {
    throw new Error('inner puzzle is not a pool member or waiting-room puzzle');
  }
  const [innerMod, innerArgs] = innerCurried;
  const innerModule = [POOL_MEMBER_INNERPUZ, POOL_WAITINGROOM_INNERPUZ].find((known) => isEmbeddedModule(innerMod, known));
  if (innerModule === undefined) throw new Error('inner puzzle is not a pool member or waiting-room puzzle');
  const innerPuzzleHash = curryTreeHash(embeddedModHash(innerModule), innerArgs.map(programTreeHash));
  const [target, p2, owner, prefix, last] = innerArgs;
  const common = {
    launcherId,
    puzzleHash: toHex(curryTreeHash(embeddedModHash(SINGLETON_TOP_LAYER_V1_0), [programTreeHash(struct), innerPuzzleHash])),
    innerPuzzleHash: toHex(innerPuzzleHash),
    targetPuzzleHash: atomOfLength(target, 32, 'target_puzzle_hash'),
    p2SingletonPuzzleHash: atomOfLength(p2, 32, 'p2_singleton_puzzle_hash'),
    ownerPubkey: atomOfLength(owner, 48, 'owner_pubkey'),
    poolRewardPrefix: atomOfLength(prefix, 32, 'pool_reward_prefix'),
  };
  if (innerModule === POOL_MEMBER_INNERPUZ) {
    return { ...common, innerPuzzle: 'member', waitingRoomPuzzleHash: atomOfLength(last, 32, 'waiting room hash') };
  }
  return { ...common, innerPuzzle: 'waiting-room', relativeLockHeight: uint32(last, 'relative_lock_height') };
}

/** Reads the launcher id and curried pool facts from a plot NFT's puzzle reveal. */
export function parsePoolSingletonPuzzle(puzzleReveal: string): PoolSingletonPuzzleInfo {
  return readPoolSingletonPuzzle(deserializeProgram(puzzleReveal, 'puzzle reveal'));
}

function decodeInnerSolution(info: PoolSingletonPuzzleInfo, innerSolution: Program): AbsorbSpendInfo | TravelSpendInfo {
  const args = properList(innerSolution, 'inner solution');
  if (info.innerPuzzle === 'member') {
    // Member: absorb is (reward_amount reward_height); travel is (((p . PoolState)) 0). The puzzle itself
    // branches on the second element (a CLVM truth test: only the empty atom is false), so this does too.
    if (args.length !== 2) throw new Error(`member inner solution must have 2 elements, got ${args.length}`);
    if (!args[1].isNull) {
      return {
        kind: 'absorb',
        puzzle: info,
        rewardAmount: nonNegativeInt(args[0], 'reward amount'),
        rewardHeight: uint32(args[1], 'reward height'),
      };
    }
    return { kind: 'travel', puzzle: info, poolState: poolStateFromKeyValues(args[0]) };
  }
  // Waiting room: absorb is (0 reward_amount reward_height); travel is (1 ((p . PoolState)) destination_inner_hash).
  // The puzzle branches on the first element.
  if (args.length !== 3) throw new Error(`waiting-room inner solution must have 3 elements, got ${args.length}`);
  if (args[0].isNull) {
    return {
      kind: 'absorb',
      puzzle: info,
      rewardAmount: nonNegativeInt(args[1], 'reward amount'),
      rewardHeight: uint32(args[2], 'reward height'),
    };
  }
  return {
    kind: 'travel',
    puzzle: info,
    poolState: poolStateFromKeyValues(args[1]),
    destinationInnerPuzzleHash: atomOfLength(args[2], 32, 'destination inner puzzle hash'),
  };
}

/**
 * Says what a plot NFT coin spend did: the launcher spend (with the first PoolState and delay info),
 * an absorb of a pool reward, or a travel to a new PoolState. Anything else, or a malformed spend,
 * comes back as `unknown` with the reason instead of throwing, so a chain walker can log and stop.
 */
export function decodePoolSingletonSpend(spend: CoinSpend): PoolSingletonSpendInfo {
  try {
    const coin = normalizeCoin(spend.coin);
    if (coin.puzzleHash === SINGLETON_LAUNCHER.treeHash) return decodeLauncherSpend(spend);
    const info = readPoolSingletonPuzzle(deserializeProgram(spend.puzzleReveal, 'puzzle reveal'));
    if (info.puzzleHash !== coin.puzzleHash) {
      return { kind: 'unknown', reason: "puzzle reveal does not hash to the coin's puzzle hash" };
    }
    const solution = properList(deserializeProgram(spend.solution, 'solution'), 'singleton solution');
    if (solution.length !== 3) throw new Error(`singleton solution must have 3 elements, got ${solution.length}`);
    return decodeInnerSolution(info, solution[2]);
  } catch (error) {
    return { kind: 'unknown', reason: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * The PoolState a spend leaves the singleton in, or undefined when the spend keeps the state
 * (absorb) or is not a plot NFT spend (chia `solution_to_pool_state`).
 */
export function poolStateFromSpend(spend: CoinSpend): PoolState | undefined {
  const decoded = decodePoolSingletonSpend(spend);
  return decoded.kind === 'launcher' || decoded.kind === 'travel' ? decoded.poolState : undefined;
}

const CREATE_COIN = 51n;

/**
 * The next singleton coin created by a spend: the CREATE_COIN with an odd amount (singletons keep an odd
 * amount; the absorb's payout to the pool is even). Runs the puzzle with clvm-lib, which is exact for the
 * pool puzzles but not a general consensus emulator.
 */
export function singletonChildCoin(spend: CoinSpend): Coin | undefined {
  const puzzle = deserializeProgram(spend.puzzleReveal, 'puzzle reveal');
  const solution = deserializeProgram(spend.solution, 'solution');
  const conditions = properList(puzzle.run(solution).value, 'conditions');
  const parentCoinInfo = coinId(spend.coin);
  for (const condition of conditions) {
    if (!condition.isCons || !condition.first.isAtom || condition.first.toBigInt() !== CREATE_COIN) continue;
    const [, puzzleHash, amount] = properList(condition, 'CREATE_COIN');
    if (puzzleHash === undefined || amount === undefined) continue;
    const value = amount.toBigInt();
    if (value % 2n === 1n) {
      return { parentCoinInfo, puzzleHash: atomOfLength(puzzleHash, 32, 'CREATE_COIN puzzle hash'), amount: value };
    }
  }
  return undefined;
}
