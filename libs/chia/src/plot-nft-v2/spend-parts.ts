import { type Program } from 'clvm-lib';
import { type Coin, type CoinSpend, type Hex } from '../chain/chain-types';
import { bytesEqual, parseBytes32 } from '../puzzles/bytes-hex';
import { normalizeCoin } from '../puzzles/coin-id';
import { bytesAtom, intAtom, listProgram } from '../puzzles/embedded-program';
import { type PlotNftV2Identity, type PlotNftV2State, type SingletonLineageProof, plotNftV2StateName } from './plot-nft-v2-types';
import { type PlotNftV2Puzzles, plotNftV2Puzzles } from './plot-nft-v2-puzzle';

/** Condition opcodes the Plot NFT spends write. */
export const CREATE_COIN = 51;
export const ASSERT_HEIGHT_RELATIVE = 82;
export const CREATE_COIN_ANNOUNCEMENT = 60;
export const ASSERT_COIN_ANNOUNCEMENT = 61;

export function condition(opcode: number, ...args: Program[]): Program {
  return listProgram([intAtom(opcode), ...args]);
}

export function hashAtom(hex: Hex, label: string): Program {
  return bytesAtom(parseBytes32(hex, label));
}

/** Singleton v1.1 solution `(lineage_proof my_amount inner_solution)` for a coin whose parent was the singleton. */
export function singletonSolution(lineage: SingletonLineageProof, amount: bigint, innerSolution: Program): Program {
  const proof = listProgram([
    hashAtom(lineage.parentParentCoinId, 'parent parent coin id'),
    hashAtom(lineage.parentInnerPuzzleHash, 'parent inner puzzle hash'),
    intAtom(lineage.parentAmount),
  ]);
  return listProgram([proof, intAtom(amount), innerSolution]);
}

export function coinSpend(coin: Coin, puzzle: Program, solution: Program): CoinSpend {
  return { coin: normalizeCoin(coin), puzzleReveal: puzzle.serializeHex(), solution: solution.serializeHex() };
}

/**
 * The Plot NFT's layers for a spend of `coin`, after checking the coin is this Plot NFT in `state` (a wrong
 * state would build a spend the chain refuses, with no hint why).
 */
export function puzzlesOfCoin(id: PlotNftV2Identity, state: PlotNftV2State, coin: Coin): PlotNftV2Puzzles {
  const puzzles = plotNftV2Puzzles(id, state);
  if (!bytesEqual(puzzles.full.hash, parseBytes32(coin.puzzleHash, 'Plot NFT coin puzzle_hash'))) {
    throw new Error(`the coin is not this Plot NFT in the ${plotNftV2StateName(state)} state (its puzzle hash differs)`);
  }
  if (coin.amount % 2n !== 1n) throw new Error('a singleton coin has an odd amount');
  return puzzles;
}
