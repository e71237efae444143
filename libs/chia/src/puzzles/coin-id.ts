import { type Coin, type Hex } from '../chain/chain-types';
import {
  bytesEqual,
  clvmIntBytes,
  concatBytes,
  normalizeHex,
  parseBytes32,
  readUintBE,
  sha256,
  toHex,
  uintBytesBE,
} from './bytes-hex';

const UINT64_MAX = (1n << 64n) - 1n;
const UINT32_MAX = 0xffffffff;

/** Validates a coin and rewrites its hashes as lowercase hex without `0x`, so string comparisons hold. */
export function normalizeCoin(coin: Coin): Coin {
  if (typeof coin.amount !== 'bigint' || coin.amount < 0n || coin.amount > UINT64_MAX) {
    throw new RangeError('coin amount must be a uint64 bigint');
  }
  return {
    parentCoinInfo: normalizeHex(coin.parentCoinInfo, 'parent_coin_info', 32),
    puzzleHash: normalizeHex(coin.puzzleHash, 'puzzle_hash', 32),
    amount: coin.amount,
  };
}

/** Coin id (chia `Coin.name()`): sha256(parent || puzzle_hash || amount as a CLVM integer atom). */
export function coinId(coin: Coin): Hex {
  if (coin.amount < 0n || coin.amount > UINT64_MAX) throw new RangeError('coin amount must be a uint64');
  return toHex(
    sha256(
      parseBytes32(coin.parentCoinInfo, 'parent_coin_info'),
      parseBytes32(coin.puzzleHash, 'puzzle_hash'),
      clvmIntBytes(coin.amount),
    ),
  );
}

function checkHeight(height: number): void {
  if (!Number.isInteger(height) || height < 0 || height > UINT32_MAX) {
    throw new RangeError('height must be a uint32');
  }
}

/**
 * Parent id of the pool reward coin created at `height` (chia consensus/coinbase.py):
 * genesis_challenge[0:16] || uint128 big-endian height. Reward coins have no real parent coin.
 */
export function poolParentId(genesisChallenge: string, height: number): Hex {
  checkHeight(height);
  const genesis = parseBytes32(genesisChallenge, 'genesis_challenge');
  return toHex(concatBytes(genesis.subarray(0, 16), uintBytesBE(BigInt(height), 16)));
}

/** Farmer reward coins use the other half of the genesis challenge: genesis[16:32] || uint128 height. */
export function farmerParentId(genesisChallenge: string, height: number): Hex {
  checkHeight(height);
  const genesis = parseBytes32(genesisChallenge, 'genesis_challenge');
  return toHex(concatBytes(genesis.subarray(16, 32), uintBytesBE(BigInt(height), 16)));
}

/**
 * The height a pool reward coin was farmed at, read back from its parent id; undefined when the parent is
 * not a pool coinbase parent of this network. Exact, unlike searching heights below the confirmation height.
 */
export function poolRewardHeight(parentCoinInfo: string, genesisChallenge: string): number | undefined {
  const parent = parseBytes32(parentCoinInfo, 'parent_coin_info');
  const genesis = parseBytes32(genesisChallenge, 'genesis_challenge');
  if (!bytesEqual(parent.subarray(0, 16), genesis.subarray(0, 16))) return undefined;
  const height = readUintBE(parent.subarray(16));
  return height <= BigInt(UINT32_MAX) ? Number(height) : undefined;
}

/**
 * The curried POOL_REWARD_PREFIX of the pool inner puzzles: genesis[0:16] followed by 16 zero bytes.
 * The puzzles add the reward height to it to recognise a coinbase parent id.
 */
export function poolRewardPrefix(genesisChallenge: string): Hex {
  const genesis = parseBytes32(genesisChallenge, 'genesis_challenge');
  return toHex(concatBytes(genesis.subarray(0, 16), new Uint8Array(16)));
}

const MOJO_PER_XCH = 1_000_000_000_000n;
const BLOCKS_PER_YEAR = 1_681_920; // 32 * 6 * 24 * 365, as chia's block_rewards.py counts a year

/**
 * Pool share (7/8) of the block reward at `height` (chia consensus/block_rewards.py), in mojos.
 * The schedule halves every 3 "years" of blocks from 2 XCH; height 0 carries the prefarm.
 */
export function calculatePoolReward(height: number): bigint {
  checkHeight(height);
  if (height === 0) return (7n * 21_000_000n * MOJO_PER_XCH) / 8n;
  // Block reward in 1/16 XCH steps so every halving stays an exact integer.
  let sixteenthsOfXch: bigint;
  if (height < 3 * BLOCKS_PER_YEAR) sixteenthsOfXch = 32n;
  else if (height < 6 * BLOCKS_PER_YEAR) sixteenthsOfXch = 16n;
  else if (height < 9 * BLOCKS_PER_YEAR) sixteenthsOfXch = 8n;
  else if (height < 12 * BLOCKS_PER_YEAR) sixteenthsOfXch = 4n;
  else sixteenthsOfXch = 2n;
  return (7n * sixteenthsOfXch * MOJO_PER_XCH) / (8n * 16n);
}
