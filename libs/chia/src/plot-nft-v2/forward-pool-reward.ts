import { Program } from 'clvm-lib';
import { type Coin, type CoinSpend } from '../chain/chain-types';
import { normalizeHex } from '../puzzles/bytes-hex';
import { poolRewardHeight } from '../puzzles/coin-id';
import { atomTreeHash } from '../puzzles/curry-tree-hash';
import { bytesAtom, intAtom, listProgram } from '../puzzles/embedded-program';
import { rewardPuzzle, rewardPuzzleHash } from '../puzzles/reward-puzzle';
import { type PlotNftV2Identity, type PlotNftV2State, type SingletonLineageProof } from './plot-nft-v2-types';
import { coinSpend, puzzlesOfCoin, singletonSolution } from './spend-parts';

export interface ForwardPoolRewardInput {
  id: PlotNftV2Identity;
  /** Pooling or exiting: the pool path exists in both. */
  state: PlotNftV2State;
  /** The Plot NFT's current (unspent) coin. */
  plotNftCoin: Coin;
  /** Its parent, which was the same Plot NFT (a forward recreates the singleton, so this holds after the launch). */
  lineageProof: SingletonLineageProof;
  /** A pool coinbase coin paid to this launcher's RewardPuzzle. */
  rewardCoin: Coin;
}

export interface ForwardPoolRewardSpends {
  singletonSpend: CoinSpend;
  rewardSpend: CoinSpend;
}

/**
 * The pool's side of CHIP-59 (chia-blockchain `PlotNFT.forward_pool_reward`): the singleton runs the claim path
 * (recreate itself unchanged, send a message to the reward coin) and the reward coin, receiving it, pays its
 * whole amount to the pool's claim hash. Both go in one bundle with no signature (G2 infinity). The singleton
 * child has a new coin id, so a second reward needs the child as `plotNftCoin`.
 */
export function buildForwardPoolRewardSpends(input: ForwardPoolRewardInput): ForwardPoolRewardSpends {
  const { id, state, plotNftCoin, lineageProof, rewardCoin } = input;
  const puzzles = puzzlesOfCoin(id, state, plotNftCoin);
  const custody = puzzles.custody;
  if (custody === null) throw new Error('a self-pooling Plot NFT has no pool path: its owner claims rewards itself');
  if (normalizeHex(rewardCoin.puzzleHash, 'reward coin puzzle_hash', 32) !== rewardPuzzleHash(id.launcherId)) {
    throw new Error("the reward coin is not paid to this launcher's RewardPuzzle");
  }
  const height = poolRewardHeight(rewardCoin.parentCoinInfo, id.genesisChallenge);
  if (height === undefined) throw new Error('the reward coin is not a pool coinbase coin of this network (the claim rebuilds its parent id)');

  const innerPuzzleHash = bytesAtom(puzzles.inner.hash);
  const claimSolution = listProgram([innerPuzzleHash, intAtom(height), intAtom(rewardCoin.amount)]);
  // Leaf 1 (POOL) of the two-leaf tree: path bit 1, sibling = the USER leaf hashed as an atom.
  const merkleProof = listProgram([intAtom(1), bytesAtom(atomTreeHash(custody.userMember.hash))]);
  const innerSolution = listProgram([custody.claim.program(), claimSolution, merkleProof, custody.poolMember.program(), Program.nil]);

  const forwardSolution = listProgram([intAtom(rewardCoin.amount)]);
  return {
    singletonSpend: coinSpend(plotNftCoin, puzzles.full.program(), singletonSolution(lineageProof, plotNftCoin.amount, innerSolution)),
    rewardSpend: coinSpend(rewardCoin, rewardPuzzle(id.launcherId), listProgram([custody.forward.program(), forwardSolution, bytesAtom(puzzles.inner.hash)])),
  };
}
