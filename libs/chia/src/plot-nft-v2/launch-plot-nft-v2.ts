import { Program } from 'clvm-lib';
import { type Coin, type CoinSpend, type Hex } from '../chain/chain-types';
import { parseBytes32, sha256, toHex } from '../puzzles/bytes-hex';
import { coinId } from '../puzzles/coin-id';
import { programTreeHash } from '../puzzles/curry-tree-hash';
import { bytesAtom, embeddedProgram, intAtom, listProgram } from '../puzzles/embedded-program';
import { SINGLETON_LAUNCHER } from '../puzzles/puzzle-programs';
import { plotNftV2Memo } from './plot-nft-v2-memo';
import { plotNftV2Puzzles } from './plot-nft-v2-puzzle';
import { type PlotNftV2Identity, type PlotNftV2State, type SingletonLineageProof } from './plot-nft-v2-types';
import { programNode } from './puzzle-node';
import { ASSERT_COIN_ANNOUNCEMENT, CREATE_COIN, CREATE_COIN_ANNOUNCEMENT, coinSpend, condition } from './spend-parts';
import { singletonV11Node } from './singleton-v11';

export interface LaunchPlotNftV2Input {
  /** The coin the owner spends to create the launcher; the launcher id follows from it. */
  originCoinId: Hex;
  genesisChallenge: Hex;
  state: PlotNftV2State;
  /** First memo of the new coin: the wallet hints its own puzzle hash here so it finds its Plot NFT. */
  hint: Hex;
}

export interface LaunchedPlotNftV2Spends {
  id: PlotNftV2Identity;
  launcherCoin: Coin;
  /** What the origin coin's spend must output: create the launcher, and assert the launcher's and eve's announcements. */
  originConditions: Program[];
  launcherSpend: CoinSpend;
  /** The eve singleton's spend, which creates the first Plot NFT coin. */
  eveSpend: CoinSpend;
  plotNftCoin: Coin;
  /** The lineage proof for spending `plotNftCoin`. */
  lineageProof: SingletonLineageProof;
}

/**
 * Launch as chia-blockchain's `PlotNFT.launch`: origin → launcher (amount 1) → an eve singleton whose inner puzzle
 * is `(q . ((51 INNER 1 (hint . memo)) (60 "")))` → the first Plot NFT coin in `state`. The eve spend needs no
 * signature: its inner puzzle is fixed by the launcher's solution, which the origin spend asserts.
 */
export function buildLaunchSpends(input: LaunchPlotNftV2Input): LaunchedPlotNftV2Spends {
  const launcherCoin: Coin = { parentCoinInfo: toHex(parseBytes32(input.originCoinId, 'origin coin id')), puzzleHash: SINGLETON_LAUNCHER.treeHash, amount: 1n };
  const id: PlotNftV2Identity = { launcherId: coinId(launcherCoin), genesisChallenge: input.genesisChallenge };
  const puzzles = plotNftV2Puzzles(id, input.state);
  const firstCoinMemos = Program.cons(bytesAtom(parseBytes32(input.hint, 'hint')), plotNftV2Memo(id, input.state));
  const eveInner = Program.cons(
    intAtom(1),
    listProgram([condition(CREATE_COIN, bytesAtom(puzzles.inner.hash), intAtom(1), firstCoinMemos), condition(CREATE_COIN_ANNOUNCEMENT, Program.nil)]),
  );
  const eve = singletonV11Node(id.launcherId, programNode(eveInner));
  const launcherSolution = listProgram([bytesAtom(eve.hash), intAtom(1), Program.nil]);
  const eveCoin: Coin = { parentCoinInfo: id.launcherId, puzzleHash: toHex(eve.hash), amount: 1n };
  const eveCoinId = coinId(eveCoin);
  // The eve's parent is the launcher: the short lineage proof (launcher's parent id, launcher amount).
  const eveSolution = listProgram([listProgram([bytesAtom(parseBytes32(launcherCoin.parentCoinInfo)), intAtom(1)]), intAtom(1), Program.nil]);
  const idBytes = parseBytes32(id.launcherId);
  return {
    id,
    launcherCoin,
    originConditions: [
      condition(CREATE_COIN, bytesAtom(parseBytes32(SINGLETON_LAUNCHER.treeHash)), intAtom(1)),
      condition(ASSERT_COIN_ANNOUNCEMENT, bytesAtom(sha256(idBytes, programTreeHash(launcherSolution)))),
      condition(ASSERT_COIN_ANNOUNCEMENT, bytesAtom(sha256(parseBytes32(eveCoinId)))),
    ],
    launcherSpend: coinSpend(launcherCoin, embeddedProgram(SINGLETON_LAUNCHER), launcherSolution),
    eveSpend: coinSpend(eveCoin, eve.program(), eveSolution),
    plotNftCoin: { parentCoinInfo: eveCoinId, puzzleHash: toHex(puzzles.full.hash), amount: 1n },
    lineageProof: { parentParentCoinId: id.launcherId, parentInnerPuzzleHash: toHex(programTreeHash(eveInner)), parentAmount: 1n },
  };
}
