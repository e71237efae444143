import { Program } from 'clvm-lib';
import { type Coin, type CoinSpend, type Hex } from '../chain/chain-types';
import { bytesEqual, concatBytes, normalizeHex, parseBytes32, sha256, toHex, uintBytesBE } from './bytes-hex';
import { coinId, normalizeCoin } from './coin-id';
import { bytesAtom, deserializeProgram, intAtom, listProgram } from './embedded-program';
import { p2SingletonOrDelayedPuzzle, p2SingletonOrDelayedPuzzleHash } from './p2-singleton-puzzle';
import { poolSingletonPuzzle, poolSingletonPuzzleHash } from './pool-singleton-puzzles';
import { type PoolSingletonPuzzleInfo, parsePoolSingletonPuzzle, readPoolSingletonPuzzle } from './singleton-spend-decoder';
import { SINGLETON_LAUNCHER } from './puzzle-programs';

/**
 * Proof that a singleton coin's parent was the same singleton: the parent's parent id, the parent's inner
 * puzzle hash and amount. The eve coin (child of the launcher) omits the inner puzzle hash and names the
 * launcher coin's parent and amount instead.
 */
export interface LineageProof {
  parentName: Hex;
  innerPuzzleHash?: Hex;
  amount: bigint;
}

export interface AbsorbSpendInput {
  launcherId: string;
  /** From the launcher spend; needed to reveal the reward coin's p2 puzzle. */
  delayTime: bigint | number;
  delayPuzzleHash: string;
  /** The current (unspent) singleton coin. */
  singletonCoin: Coin;
  lineageProof: LineageProof;
  /** The singleton's current inner puzzle (member or waiting room), as a Program or serialized hex. */
  innerPuzzle: Program | string;
  /** The pool reward coin paid to the p2 singleton puzzle hash. */
  rewardCoin: Coin;
  /** Height the reward was farmed at; the reward coin's parent id encodes it. */
  rewardHeight: number;
  /**
   * Mojos a separate wallet transaction will pay as fee. Absorb spends carry no fee themselves; the fee
   * spend must assert `feeAnnouncementId` so it cannot be split from the absorb.
   */
  fee?: bigint;
}

export interface AbsorbSpend {
  /** [singleton spend, reward coin spend]; bundle them with the G2 identity signature. */
  coinSpends: [CoinSpend, CoinSpend];
  rewardCoinId: Hex;
  /** The singleton coin this absorb creates (same puzzle, same amount). */
  nextSingletonCoin: Coin;
  /** Lineage proof for spending `nextSingletonCoin`, so several rewards can be absorbed in a chain. */
  nextLineageProof: LineageProof;
  /** sha256(reward_coin_id || "$"): the coin announcement the reward coin makes for a fee spend to assert. */
  feeAnnouncementId: Hex;
  /** Present when a fee was asked for: what the wallet's fee transaction must carry. */
  feeRequest?: { fee: bigint; assertCoinAnnouncementId: Hex };
}

function lineageProofProgram(proof: LineageProof): Program {
  const items = [bytesAtom(parseBytes32(proof.parentName, 'lineage parent_name'))];
  if (proof.innerPuzzleHash !== undefined) {
    items.push(bytesAtom(parseBytes32(proof.innerPuzzleHash, 'lineage inner_puzzle_hash')));
  }
  items.push(intAtom(proof.amount));
  return listProgram(items);
}

function singletonParentId(launcherId: string, proof: LineageProof): Hex {
  if (proof.innerPuzzleHash === undefined) {
    return coinId({ parentCoinInfo: proof.parentName, puzzleHash: SINGLETON_LAUNCHER.treeHash, amount: proof.amount });
  }
  const parentPuzzleHash = poolSingletonPuzzleHash(launcherId, proof.innerPuzzleHash);
  return coinId({ parentCoinInfo: proof.parentName, puzzleHash: parentPuzzleHash, amount: proof.amount });
}

function fail(message: string): never {
  throw new Error(`cannot build absorb spend: ${message}`);
}

function checkInputs(input: AbsorbSpendInput, info: PoolSingletonPuzzleInfo, p2PuzzleHash: Hex, launcherId: Hex): void {
  if (info.innerPuzzle === 'member' && input.rewardHeight === 0) {
    fail('the member puzzle reads reward height 0 as a travel, so a height-0 reward cannot be absorbed');
  }
  if (info.p2SingletonPuzzleHash !== p2PuzzleHash) {
    fail('inner puzzle names a different p2 singleton puzzle hash than launcher_id/delay_time/delay_puzzle_hash');
  }
  if (input.rewardCoin.puzzleHash !== p2PuzzleHash) fail("reward coin is not paid to this plot NFT's p2 puzzle hash");
  if (input.singletonCoin.amount % 2n !== 1n) fail('singleton coin amount must be odd');
  const expectedParent = concatBytes(
    parseBytes32(info.poolRewardPrefix, 'pool_reward_prefix').subarray(0, 16),
    uintBytesBE(BigInt(input.rewardHeight), 16),
  );
  if (!bytesEqual(parseBytes32(input.rewardCoin.parentCoinInfo, 'reward parent'), expectedParent)) {
    fail(`reward coin parent is not the pool coinbase parent for height ${input.rewardHeight}`);
  }
  if (singletonParentId(launcherId, input.lineageProof) !== input.singletonCoin.parentCoinInfo) {
    fail("lineage proof does not lead to the singleton coin's parent");
  }
}

/**
 * Builds the two coin spends that move a pool reward into the pool's target puzzle hash (chia
 * `create_absorb_spend`): the singleton spends itself with the absorb inner solution and recreates itself,
 * and the reward coin's p2_singleton_or_delayed_puzhash is spent with (inner_puzzle_hash reward_coin_id).
 * Inputs are cross-checked so a wrong inner puzzle, lineage or reward coin fails here, not in the mempool.
 */
export function buildAbsorbSpend(rawInput: AbsorbSpendInput): AbsorbSpend {
  const launcherId = normalizeHex(rawInput.launcherId, 'launcher_id', 32);
  const input = {
    ...rawInput,
    singletonCoin: normalizeCoin(rawInput.singletonCoin),
    rewardCoin: normalizeCoin(rawInput.rewardCoin),
  };
  if (!Number.isInteger(input.rewardHeight) || input.rewardHeight < 0 || input.rewardHeight > 0xffffffff) {
    fail('reward height must be a uint32');
  }
  const fee = input.fee ?? 0n;
  if (fee < 0n) fail('fee must not be negative');
  const innerPuzzle =
    typeof input.innerPuzzle === 'string' ? deserializeProgram(input.innerPuzzle, 'inner puzzle') : input.innerPuzzle;
  const singletonPuzzle = poolSingletonPuzzle(launcherId, innerPuzzle);
  const info = readPoolSingletonPuzzle(singletonPuzzle);
  if (info.puzzleHash !== input.singletonCoin.puzzleHash) {
    fail("singleton puzzle built from the inner puzzle does not match the coin's puzzle hash");
  }
  const p2Puzzle = p2SingletonOrDelayedPuzzle(launcherId, input.delayTime, input.delayPuzzleHash);
  const p2PuzzleHash = p2SingletonOrDelayedPuzzleHash(launcherId, input.delayTime, input.delayPuzzleHash);
  checkInputs(input, info, p2PuzzleHash, launcherId);

  const rewardAmount = intAtom(input.rewardCoin.amount);
  const height = intAtom(input.rewardHeight);
  const innerSolution =
    info.innerPuzzle === 'member'
      ? listProgram([rewardAmount, height])
      : listProgram([Program.nil, rewardAmount, height]);
  const singletonSolution = listProgram([
    lineageProofProgram(input.lineageProof),
    intAtom(input.singletonCoin.amount),
    innerSolution,
  ]);
  const rewardCoinId = coinId(input.rewardCoin);
  const p2Solution = listProgram([
    bytesAtom(parseBytes32(info.innerPuzzleHash, 'inner puzzle hash')),
    bytesAtom(parseBytes32(rewardCoinId, 'reward coin id')),
  ]);

  const feeAnnouncementId = toHex(sha256(parseBytes32(rewardCoinId), new TextEncoder().encode('$')));
  return {
    coinSpends: [
      { coin: input.singletonCoin, puzzleReveal: singletonPuzzle.serializeHex(), solution: singletonSolution.serializeHex() },
      { coin: input.rewardCoin, puzzleReveal: p2Puzzle.serializeHex(), solution: p2Solution.serializeHex() },
    ],
    rewardCoinId,
    nextSingletonCoin: {
      parentCoinInfo: coinId(input.singletonCoin),
      puzzleHash: input.singletonCoin.puzzleHash,
      amount: input.singletonCoin.amount,
    },
    nextLineageProof: {
      parentName: input.singletonCoin.parentCoinInfo,
      innerPuzzleHash: info.innerPuzzleHash,
      amount: input.singletonCoin.amount,
    },
    feeAnnouncementId,
    ...(fee > 0n ? { feeRequest: { fee, assertCoinAnnouncementId: feeAnnouncementId } } : {}),
  };
}

/**
 * Lineage proof for spending the child of `parentSpend` (the singleton coin that spend created): from the
 * launcher spend it is (launcher parent, launcher amount), otherwise (parent's parent, parent's inner puzzle
 * hash, parent's amount).
 */
export function lineageProofFromParentSpend(parentSpend: CoinSpend): LineageProof {
  const coin = normalizeCoin(parentSpend.coin);
  if (coin.puzzleHash === SINGLETON_LAUNCHER.treeHash) {
    return { parentName: coin.parentCoinInfo, amount: coin.amount };
  }
  const info = parsePoolSingletonPuzzle(parentSpend.puzzleReveal);
  return { parentName: coin.parentCoinInfo, innerPuzzleHash: info.innerPuzzleHash, amount: coin.amount };
}
