import { Program } from 'clvm-lib';
import { type Hex } from '../chain/chain-types';
import { parseBytes32, parseHex, toHex } from './bytes-hex';
import { poolRewardPrefix } from './coin-id';
import { atomTreeHash, curryTreeHash, intTreeHash, singletonStructTreeHash } from './curry-tree-hash';
import { bytesAtom, curryProgram, embeddedModHash, embeddedProgram, intAtom } from './embedded-program';
import { p2SingletonOrDelayedPuzzleHash } from './p2-singleton-puzzle';
import { type PoolState, PoolSingletonState } from './pool-state-codec';
import {
  POOL_MEMBER_INNERPUZ,
  POOL_WAITINGROOM_INNERPUZ,
  SINGLETON_LAUNCHER,
  SINGLETON_TOP_LAYER_V1_0,
} from './puzzle-programs';

/** Facts fixed at launch that every puzzle of one plot NFT depends on. */
export interface PlotNftIdentity {
  launcherId: string;
  /** Network genesis challenge (mainnet `ccd5bb71…5fbb`); its first half tags pool reward coins. */
  genesisChallenge: string;
  /** From the launcher spend's extra data (`t`). */
  delayTime: bigint | number;
  /** From the launcher spend's extra data (`h`). */
  delayPuzzleHash: string;
}

/** The parts of PoolState the inner puzzles curry in. */
export type InnerPuzzleState = Pick<PoolState, 'targetPuzzleHash' | 'ownerPubkey' | 'relativeLockHeight'>;

export type PoolInnerPuzzleKind = 'member' | 'waiting-room';

/** SELF_POOLING and LEAVING_POOL live in the waiting room; FARMING_TO_POOL uses the member puzzle. */
export function innerPuzzleKindForState(state: number): PoolInnerPuzzleKind {
  if (state === PoolSingletonState.FARMING_TO_POOL) return 'member';
  if (state === PoolSingletonState.SELF_POOLING || state === PoolSingletonState.LEAVING_POOL) {
    return 'waiting-room';
  }
  throw new RangeError(`unknown pool singleton state ${state}`);
}

interface CommonInnerArgs {
  target: Uint8Array;
  p2: Uint8Array;
  owner: Uint8Array;
  prefix: Uint8Array;
  lockHeight: bigint;
}

function commonInnerArgs(state: InnerPuzzleState, identity: PlotNftIdentity): CommonInnerArgs {
  const lockHeight = state.relativeLockHeight;
  if (!Number.isInteger(lockHeight) || lockHeight < 0 || lockHeight > 0xffffffff) {
    throw new RangeError('relative_lock_height must be a uint32');
  }
  return {
    target: parseBytes32(state.targetPuzzleHash, 'target_puzzle_hash'),
    p2: parseBytes32(
      p2SingletonOrDelayedPuzzleHash(identity.launcherId, identity.delayTime, identity.delayPuzzleHash),
      'p2_singleton_puzzle_hash',
    ),
    owner: parseHex(state.ownerPubkey, 'owner_pubkey', 48),
    prefix: parseBytes32(poolRewardPrefix(identity.genesisChallenge), 'pool_reward_prefix'),
    lockHeight: BigInt(lockHeight),
  };
}

function waitingRoomHashFrom(args: CommonInnerArgs): Uint8Array {
  return curryTreeHash(embeddedModHash(POOL_WAITINGROOM_INNERPUZ), [
    atomTreeHash(args.target),
    atomTreeHash(args.p2),
    atomTreeHash(args.owner),
    atomTreeHash(args.prefix),
    intTreeHash(args.lockHeight),
  ]);
}

/**
 * Waiting-room inner puzzle hash: POOL_WAITINGROOM_INNERPUZ curried with (target_puzzle_hash,
 * p2_singleton_puzzle_hash, owner_pubkey, pool_reward_prefix, relative_lock_height).
 */
export function waitingRoomInnerPuzzleHash(state: InnerPuzzleState, identity: PlotNftIdentity): Hex {
  return toHex(waitingRoomHashFrom(commonInnerArgs(state, identity)));
}

/**
 * Member inner puzzle hash: POOL_MEMBER_INNERPUZ curried with (target_puzzle_hash, p2_singleton_puzzle_hash,
 * owner_pubkey, pool_reward_prefix, waiting-room hash of the same state) — the member can only leave
 * through that waiting room.
 */
export function memberInnerPuzzleHash(state: InnerPuzzleState, identity: PlotNftIdentity): Hex {
  const args = commonInnerArgs(state, identity);
  return toHex(
    curryTreeHash(embeddedModHash(POOL_MEMBER_INNERPUZ), [
      atomTreeHash(args.target),
      atomTreeHash(args.p2),
      atomTreeHash(args.owner),
      atomTreeHash(args.prefix),
      atomTreeHash(waitingRoomHashFrom(args)),
    ]),
  );
}

export function waitingRoomInnerPuzzle(state: InnerPuzzleState, identity: PlotNftIdentity): Program {
  const args = commonInnerArgs(state, identity);
  return curryProgram(embeddedProgram(POOL_WAITINGROOM_INNERPUZ), [
    bytesAtom(args.target),
    bytesAtom(args.p2),
    bytesAtom(args.owner),
    bytesAtom(args.prefix),
    intAtom(args.lockHeight),
  ]);
}

export function memberInnerPuzzle(state: InnerPuzzleState, identity: PlotNftIdentity): Program {
  const args = commonInnerArgs(state, identity);
  return curryProgram(embeddedProgram(POOL_MEMBER_INNERPUZ), [
    bytesAtom(args.target),
    bytesAtom(args.p2),
    bytesAtom(args.owner),
    bytesAtom(args.prefix),
    bytesAtom(waitingRoomHashFrom(args)),
  ]);
}

/** The inner puzzle a singleton in `poolState` must have (chia `pool_state_to_inner_puzzle`). */
export function poolStateToInnerPuzzle(poolState: PoolState, identity: PlotNftIdentity): Program {
  return innerPuzzleKindForState(poolState.state) === 'member'
    ? memberInnerPuzzle(poolState, identity)
    : waitingRoomInnerPuzzle(poolState, identity);
}

export function poolStateToInnerPuzzleHash(poolState: PoolState, identity: PlotNftIdentity): Hex {
  return innerPuzzleKindForState(poolState.state) === 'member'
    ? memberInnerPuzzleHash(poolState, identity)
    : waitingRoomInnerPuzzleHash(poolState, identity);
}

/** `(SINGLETON_MOD_HASH . (launcher_id . SINGLETON_LAUNCHER_HASH))` for the v1.0 singleton. */
export function singletonStruct(launcherId: string): Program {
  return Program.cons(
    bytesAtom(embeddedModHash(SINGLETON_TOP_LAYER_V1_0)),
    Program.cons(
      bytesAtom(parseBytes32(launcherId, 'launcher_id')),
      bytesAtom(embeddedModHash(SINGLETON_LAUNCHER)),
    ),
  );
}

/** Full plot NFT puzzle: SINGLETON_TOP_LAYER v1.0 curried with (singleton struct, inner puzzle). */
export function poolSingletonPuzzle(launcherId: string, innerPuzzle: Program): Program {
  return curryProgram(embeddedProgram(SINGLETON_TOP_LAYER_V1_0), [singletonStruct(launcherId), innerPuzzle]);
}

/** Hash of the full plot NFT puzzle from the inner puzzle's hash alone (sha256 only). */
export function poolSingletonPuzzleHash(launcherId: string, innerPuzzleHash: string): Hex {
  const struct = singletonStructTreeHash(
    embeddedModHash(SINGLETON_TOP_LAYER_V1_0),
    parseBytes32(launcherId, 'launcher_id'),
    embeddedModHash(SINGLETON_LAUNCHER),
  );
  return toHex(
    curryTreeHash(embeddedModHash(SINGLETON_TOP_LAYER_V1_0), [
      struct,
      parseBytes32(innerPuzzleHash, 'inner_puzzle_hash'),
    ]),
  );
}

/** The puzzle hash an unspent singleton coin in `poolState` must carry (used to validate a chain walk). */
export function poolStateToSingletonPuzzleHash(poolState: PoolState, identity: PlotNftIdentity): Hex {
  return poolSingletonPuzzleHash(identity.launcherId, poolStateToInnerPuzzleHash(poolState, identity));
}
