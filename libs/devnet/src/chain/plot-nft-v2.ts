import { Program } from 'clvm-lib';
import {
  type BlsBackend,
  type Coin,
  type CoinSpend,
  type Hex,
  type PlotNftV2Pool,
  type PlotNftV2State,
  type SpendBundle,
  G2_INFINITY_HEX,
  SINGLETON_LAUNCHER,
  coinId,
  hexToBytes,
  parseSingletonV11Puzzle,
  plotNftV2InnerPuzzleHash,
  plotNftV2Puzzle,
  plotNftV2PuzzleHash,
  rewardPuzzleHash,
  sha256,
  singletonChildCoin,
} from '@pool/chia';
import { DevnetChainError } from './chain-errors';
import { type DevnetChain } from './devnet-chain';
import { ConditionOpcode, clvmList, conditionProgram, conditionsPuzzle, createCoinCondition } from './devnet-puzzles';
import { signRequired } from './signature-checks';

export interface LaunchPlotNftV2Request {
  /** The owner's synthetic public key (48 bytes hex): the farmer's v2 authentication key. */
  ownerPublicKey: Hex;
  pool: PlotNftV2Pool | null;
}

export interface LaunchedPlotNftV2 {
  launcherId: Hex;
  /** RewardPuzzle(launcher_id): the plots' pool_contract_puzzle_hash and where pool rewards are paid. */
  rewardPuzzleHash: Hex;
  /** The eve singleton, created by the launcher in the next block. */
  singletonCoin: Coin;
  state: PlotNftV2State;
  bundle: SpendBundle;
}

/** A v2 plot NFT as the chain shows it now (walked from its launcher; states are read from this simulator's log). */
export interface PlotNftV2View {
  launcherId: Hex;
  state: PlotNftV2State;
  currentCoin: Coin;
  parentSpend: CoinSpend;
}

export interface PlotNftV2SimulatorOptions {
  /** With `ownerSecretKeys`, spends are signed (needed on a chain built with `verifySignatures`). */
  bls?: BlsBackend;
  ownerSecretKeys?: readonly Uint8Array[];
}

/**
 * Launches and moves devnet v2 plot NFTs (see libs/chia plot-nft-v2-puzzle.ts for what is simplified):
 * singleton v1.1 coins whose puzzle hash encodes the owner key, the pool and the exiting flag. The inner puzzle
 * commits to its state only by hash, so the simulator remembers the state of each inner puzzle hash it made
 * (a real wallet keeps the same knowledge in its PlotNFT records and memos).
 */
export class PlotNftV2Simulator {
  private readonly states = new Map<Hex, PlotNftV2State>();

  constructor(
    private readonly chain: DevnetChain,
    private readonly options: PlotNftV2SimulatorOptions = {},
  ) {}

  /** Origin coin → launcher → eve singleton (amount 1) at the puzzle of `request`'s state, not exiting. */
  launch(request: LaunchPlotNftV2Request): LaunchedPlotNftV2 {
    const state: PlotNftV2State = { ownerPublicKey: request.ownerPublicKey, pool: request.pool, exiting: false };
    const originPuzzle = conditionsPuzzle(`plot-nft-v2-owner:${request.ownerPublicKey}`);
    const origin = this.chain.mint(originPuzzle.hashHex(), 1n);
    const launcherCoin: Coin = { parentCoinInfo: coinId(origin), puzzleHash: SINGLETON_LAUNCHER.treeHash, amount: 1n };
    const launcherId = coinId(launcherCoin);
    const singletonPuzzleHash = plotNftV2PuzzleHash(launcherId, state);
    this.remember(state);
    const launcherSolution = clvmList([Program.fromBytes(hexToBytes(singletonPuzzleHash)), Program.fromInt(1), Program.nil]);
    const announcement = sha256(hexToBytes(launcherId), launcherSolution.hash());
    const originSolution = clvmList([
      createCoinCondition(SINGLETON_LAUNCHER.treeHash, 1n),
      conditionProgram(ConditionOpcode.ASSERT_COIN_ANNOUNCEMENT, Program.fromBytes(announcement)),
    ]);
    const bundle: SpendBundle = {
      coinSpends: [
        { coin: origin, puzzleReveal: originPuzzle.serializeHex(), solution: originSolution.serializeHex() },
        { coin: launcherCoin, puzzleReveal: SINGLETON_LAUNCHER.hex, solution: launcherSolution.serializeHex() },
      ],
      aggregatedSignature: G2_INFINITY_HEX,
    };
    this.chain.addToMempool(bundle);
    return {
      launcherId,
      rewardPuzzleHash: rewardPuzzleHash(launcherId),
      singletonCoin: { parentCoinInfo: launcherId, puzzleHash: singletonPuzzleHash, amount: 1n },
      state,
      bundle,
    };
  }

  /** Walks the singleton from its launcher to its unspent coin on the current chain. */
  view(launcherId: Hex): PlotNftV2View {
    let parentSpend = this.chain.coinSpend(launcherId);
    if (this.chain.coinRecord(launcherId) === undefined || parentSpend === undefined) {
      throw new DevnetChainError('PLOT_NFT_NOT_FOUND', `launcher ${launcherId} is not spent on the chain (yet)`);
    }
    for (;;) {
      const child = singletonChildCoin(parentSpend);
      if (child === undefined) throw new DevnetChainError('PLOT_NFT_MELTED', `singleton ${launcherId} has no odd child`);
      const childId = coinId(child);
      const record = this.chain.coinRecord(childId);
      if (record === undefined) throw new DevnetChainError('PLOT_NFT_NOT_FOUND', `singleton coin ${childId} is not on the chain`);
      const spend = this.chain.coinSpend(childId);
      if (!record.spent || spend === undefined) {
        const state = this.stateAt(launcherId, record.coin.puzzleHash);
        return { launcherId, state, currentCoin: record.coin, parentSpend };
      }
      parentSpend = spend;
    }
  }

  /** Pooling → exiting the same pool: from now on the owner waits out the pool's relative lock height. */
  leavePool(launcherId: Hex): SpendBundle {
    const view = this.view(launcherId);
    if (view.state.pool === null || view.state.exiting) throw new DevnetChainError('PLOT_NFT_WRONG_STATE', 'only a plot NFT pooling (not exiting) can leave');
    return this.travel(view, { ...view.state, exiting: true });
  }

  /** Exiting → another pool, or self-pooling with `pool` null; the chain refuses it before the lock height has passed. */
  switchPool(launcherId: Hex, pool: PlotNftV2Pool | null): SpendBundle {
    const view = this.view(launcherId);
    if (view.state.pool !== null && !view.state.exiting) throw new DevnetChainError('PLOT_NFT_WRONG_STATE', 'leave the pool first (leavePool)');
    return this.travel(view, { ownerPublicKey: view.state.ownerPublicKey, pool, exiting: false });
  }

  private travel(view: PlotNftV2View, next: PlotNftV2State): SpendBundle {
    const puzzle = plotNftV2Puzzle(view.launcherId, view.state);
    if (puzzle.hashHex() !== view.currentCoin.puzzleHash) {
      throw new DevnetChainError('PLOT_NFT_WRONG_STATE', 'the singleton coin does not carry the puzzle of its recorded state');
    }
    const nextInner = plotNftV2InnerPuzzleHash(next);
    this.remember(next);
    const solution = clvmList([
      lineageProof(view.parentSpend),
      Program.fromBigInt(view.currentCoin.amount),
      clvmList([Program.fromBytes(hexToBytes(nextInner))]),
    ]);
    const unsigned: SpendBundle = {
      coinSpends: [{ coin: view.currentCoin, puzzleReveal: puzzle.serializeHex(), solution: solution.serializeHex() }],
      aggregatedSignature: G2_INFINITY_HEX,
    };
    const { bls, ownerSecretKeys } = this.options;
    const bundle =
      bls !== undefined && ownerSecretKeys !== undefined
        ? { ...unsigned, aggregatedSignature: signRequired(bls, this.chain.requiredSignatures(unsigned), ownerSecretKeys) }
        : unsigned;
    this.chain.addToMempool(bundle);
    return bundle;
  }

  private remember(state: PlotNftV2State): void {
    this.states.set(plotNftV2InnerPuzzleHash(state), state);
  }

  private stateAt(launcherId: Hex, puzzleHash: Hex): PlotNftV2State {
    for (const state of this.states.values()) {
      if (plotNftV2PuzzleHash(launcherId, state) === puzzleHash) return state;
    }
    throw new DevnetChainError('PLOT_NFT_WRONG_STATE', `singleton ${launcherId} is at a puzzle this simulator did not create`);
  }
}

/**
 * Singleton v1.1 lineage proof: (parent_parent_id parent_amount) when the parent is the launcher (eve spend),
 * else (parent_parent_id parent_inner_puzzle_hash parent_amount).
 */
function lineageProof(parentSpend: CoinSpend): Program {
  const parent = parentSpend.coin;
  const amount = Program.fromBigInt(parent.amount);
  const parentParent = Program.fromBytes(hexToBytes(parent.parentCoinInfo));
  if (parent.puzzleHash === SINGLETON_LAUNCHER.treeHash) return clvmList([parentParent, amount]);
  const info = parseSingletonV11Puzzle(parentSpend.puzzleReveal);
  if (info === null) throw new DevnetChainError('PLOT_NFT_WRONG_STATE', 'the parent of a v2 plot NFT coin is neither its launcher nor a singleton v1.1');
  return clvmList([parentParent, Program.fromBytes(hexToBytes(info.innerPuzzleHash)), amount]);
}
