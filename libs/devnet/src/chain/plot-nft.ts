import { Program } from 'clvm-lib';
import {
  type BlsBackend,
  type Coin,
  type CoinSpend,
  type Hex,
  type PlotNftIdentity,
  type PoolState,
  type PoolSingletonStateValue,
  type SpendBundle,
  G2_INFINITY_HEX,
  PoolSingletonState,
  SINGLETON_LAUNCHER,
  coinId,
  decodeLauncherSpend,
  encodePoolState,
  lineageProofFromParentSpend,
  p2SingletonOrDelayedPuzzleHash,
  poolSingletonPuzzle,
  poolStateFromSpend,
  poolStateToInnerPuzzle,
  poolStateToInnerPuzzleHash,
  singletonChildCoin,
} from '@pool/chia';
import { type DevnetChain } from './devnet-chain';
import { signRequired } from './signature-checks';
import { DevnetChainError } from './chain-errors';
import { ConditionOpcode, clvmList, conditionProgram, conditionsPuzzle, createCoinCondition } from './devnet-puzzles';
import { hexToBytes, sha256 } from '@pool/chia';

export type PlotNftStateName = 'FARMING_TO_POOL' | 'SELF_POOLING';

export interface LaunchPlotNftRequest {
  /** Owner G1 public key, 48 bytes hex. */
  ownerPk: Hex;
  poolUrl: string | null;
  /** Where the pool's absorbs pay (the pool's wallet puzzle hash), or the owner's for self-pooling. */
  targetPuzzleHash: Hex;
  relativeLockHeight: number;
  /** Blocks after which the owner may claim rewards left in the p2 singleton (launcher extra data `t`). */
  delayTime: bigint | number;
  /** Where such delayed claims go (launcher extra data `h`). */
  delayPuzzleHash: Hex;
  state: PlotNftStateName;
}

export interface LaunchedPlotNft {
  launcherId: Hex;
  /** The plot's pool_contract_puzzle_hash (p2_singleton_or_delayed_puzhash): rewards of its blocks go here. */
  p2SingletonPuzzleHash: Hex;
  /** The eve singleton coin, created by the launcher in the next block. */
  singletonCoin: Coin;
  poolState: PoolState;
  /** Name of the pushed [origin, launcher] bundle. */
  bundle: SpendBundle;
}

/** A plot NFT as the chain shows it now (walked from its launcher). */
export interface PlotNftView {
  identity: PlotNftIdentity;
  /** Latest PoolState (from the launcher or the newest travel spend). */
  poolState: PoolState;
  /** The unspent singleton coin. */
  currentCoin: Coin;
  /** The spend that created `currentCoin` (launcher, travel or absorb). */
  parentSpend: CoinSpend;
}

export interface JoinPoolRequest {
  targetPuzzleHash: Hex;
  poolUrl: string;
  relativeLockHeight: number;
}

const STATE_BY_NAME: Record<PlotNftStateName, PoolSingletonStateValue> = {
  FARMING_TO_POOL: PoolSingletonState.FARMING_TO_POOL,
  SELF_POOLING: PoolSingletonState.SELF_POOLING,
};

function keyValue(key: string, value: Program): Program {
  return Program.cons(Program.fromText(key), value);
}

function poolStateKeyValues(state: PoolState): Program {
  return clvmList([keyValue('p', Program.fromBytes(encodePoolState(state)))]);
}

/**
 * Launches plot NFTs and moves them between pools on a DevnetChain, with the same coin spends Chia's pool wallet
 * makes, so the pool's singleton tracking can follow them through get_puzzle_and_solution. The owner's funding
 * coin is minted by the devnet faucet at a key-less conditions puzzle. Travel spends need the owner's AGG_SIG_ME:
 * they are signed when the simulator is given the owner's secret key and a BLS backend, and otherwise carry the
 * empty signature (accepted only by a chain that does not verify signatures).
 */
export interface PlotNftSimulatorOptions {
  /** With `ownerSecretKeys`, travel spends are signed (needed on a chain built with `verifySignatures`). */
  bls?: BlsBackend;
  ownerSecretKeys?: readonly Uint8Array[];
}

export class PlotNftSimulator {
  constructor(
    private readonly chain: DevnetChain,
    private readonly options: PlotNftSimulatorOptions = {},
  ) {}

  /**
   * Spends a minted origin coin into the singleton launcher, whose solution commits to the first singleton puzzle
   * hash, amount 1 and the extra data ((p . PoolState) (t . delay_time) (h . delay_puzzle_hash)). The launcher
   * coin and the eve singleton appear at the next block.
   */
  launchPlotNft(request: LaunchPlotNftRequest): LaunchedPlotNft {
    const genesisChallenge = this.chain.network.genesisChallenge;
    const originPuzzle = conditionsPuzzle(`plot-nft-owner:${request.ownerPk}`);
    const origin = this.chain.mint(originPuzzle.hashHex(), 1n);
    const launcherCoin: Coin = { parentCoinInfo: coinId(origin), puzzleHash: SINGLETON_LAUNCHER.treeHash, amount: 1n };
    const launcherId = coinId(launcherCoin);
    const poolState: PoolState = {
      version: 1,
      state: STATE_BY_NAME[request.state],
      targetPuzzleHash: request.targetPuzzleHash,
      ownerPubkey: request.ownerPk,
      poolUrl: request.poolUrl,
      relativeLockHeight: request.relativeLockHeight,
    };
    const identity: PlotNftIdentity = {
      launcherId,
      genesisChallenge,
      delayTime: request.delayTime,
      delayPuzzleHash: request.delayPuzzleHash,
    };
    const singletonPuzzle = poolSingletonPuzzle(launcherId, poolStateToInnerPuzzle(poolState, identity));
    const singletonPuzzleHash = singletonPuzzle.hashHex();
    const extraData = clvmList([
      keyValue('p', Program.fromBytes(encodePoolState(poolState))),
      keyValue('t', Program.fromBigInt(BigInt(request.delayTime))),
      keyValue('h', Program.fromBytes(hexToBytes(request.delayPuzzleHash))),
    ]);
    const launcherSolution = clvmList([Program.fromBytes(hexToBytes(singletonPuzzleHash)), Program.fromInt(1), extraData]);
    // The launcher announces the tree hash of its solution; the origin spend asserts it, tying the two together.
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
      p2SingletonPuzzleHash: p2SingletonOrDelayedPuzzleHash(launcherId, request.delayTime, request.delayPuzzleHash),
      singletonCoin: { parentCoinInfo: launcherId, puzzleHash: singletonPuzzleHash, amount: 1n },
      poolState,
      bundle,
    };
  }

  /** Walks the singleton from its launcher to its unspent coin on the current chain. */
  view(launcherId: Hex): PlotNftView {
    const launcherRecord = this.chain.coinRecord(launcherId);
    const launcherSpend = this.chain.coinSpend(launcherId);
    if (launcherRecord === undefined || launcherSpend === undefined) {
      throw new DevnetChainError('PLOT_NFT_NOT_FOUND', `launcher ${launcherId} is not spent on the chain (yet)`);
    }
    const launch = decodeLauncherSpend(launcherSpend);
    const identity: PlotNftIdentity = {
      launcherId,
      genesisChallenge: this.chain.network.genesisChallenge,
      delayTime: launch.delayTime,
      delayPuzzleHash: launch.delayPuzzleHash,
    };
    let poolState = launch.poolState;
    let parentSpend = launcherSpend;
    for (;;) {
      const child = singletonChildCoin(parentSpend);
      if (child === undefined) throw new DevnetChainError('PLOT_NFT_MELTED', `singleton ${launcherId} has no odd child`);
      const childId = coinId(child);
      const record = this.chain.coinRecord(childId);
      if (record === undefined) throw new DevnetChainError('PLOT_NFT_NOT_FOUND', `singleton coin ${childId} is not on the chain`);
      const spend = this.chain.coinSpend(childId);
      if (!record.spent || spend === undefined) return { identity, poolState, currentCoin: record.coin, parentSpend };
      poolState = poolStateFromSpend(spend) ?? poolState;
      parentSpend = spend;
    }
  }

  /** Member → waiting room in state LEAVING_POOL (same target and lock height); the pool keeps it until the lock passes. */
  leavePool(launcherId: Hex): SpendBundle {
    const view = this.view(launcherId);
    if (view.poolState.state !== PoolSingletonState.FARMING_TO_POOL) {
      throw new DevnetChainError('PLOT_NFT_WRONG_STATE', 'only a plot NFT farming to a pool can leave it');
    }
    const leaving: PoolState = { ...view.poolState, state: PoolSingletonState.LEAVING_POOL };
    return this.travel(view, clvmList([poolStateKeyValues(leaving), Program.nil]));
  }

  /**
   * Waiting room → member of a pool. From LEAVING_POOL the waiting room's ASSERT_HEIGHT_RELATIVE requires
   * relative_lock_height blocks since the waiting-room coin was created (pushTx refuses earlier).
   */
  joinPool(launcherId: Hex, request: JoinPoolRequest): SpendBundle {
    const view = this.view(launcherId);
    const target: PoolState = {
      ...view.poolState,
      version: 1,
      state: PoolSingletonState.FARMING_TO_POOL,
      targetPuzzleHash: request.targetPuzzleHash,
      poolUrl: request.poolUrl,
      relativeLockHeight: request.relativeLockHeight,
    };
    return this.travelFromWaitingRoom(view, target);
  }

  /** Waiting room → SELF_POOLING with rewards to `ownerPuzzleHash` (lock height 0, no pool URL). */
  selfPool(launcherId: Hex, ownerPuzzleHash: Hex): SpendBundle {
    const view = this.view(launcherId);
    const target: PoolState = {
      ...view.poolState,
      version: 1,
      state: PoolSingletonState.SELF_POOLING,
      targetPuzzleHash: ownerPuzzleHash,
      poolUrl: null,
      relativeLockHeight: 0,
    };
    return this.travelFromWaitingRoom(view, target);
  }

  private travelFromWaitingRoom(view: PlotNftView, target: PoolState): SpendBundle {
    if (view.poolState.state === PoolSingletonState.FARMING_TO_POOL) {
      throw new DevnetChainError('PLOT_NFT_WRONG_STATE', 'leave the pool first (leavePool), then travel from the waiting room');
    }
    const destination = poolStateToInnerPuzzleHash(target, view.identity);
    const innerSolution = clvmList([Program.fromInt(1), poolStateKeyValues(target), Program.fromBytes(hexToBytes(destination))]);
    return this.travel(view, innerSolution);
  }

  private travel(view: PlotNftView, innerSolution: Program): SpendBundle {
    const innerPuzzle = poolStateToInnerPuzzle(view.poolState, view.identity);
    const puzzle = poolSingletonPuzzle(view.identity.launcherId, innerPuzzle);
    if (puzzle.hashHex() !== view.currentCoin.puzzleHash) {
      throw new DevnetChainError('PLOT_NFT_WRONG_STATE', 'the singleton coin does not carry the puzzle of its latest PoolState');
    }
    const lineage = lineageProofFromParentSpend(view.parentSpend);
    const lineageItems = [Program.fromBytes(hexToBytes(lineage.parentName))];
    if (lineage.innerPuzzleHash !== undefined) lineageItems.push(Program.fromBytes(hexToBytes(lineage.innerPuzzleHash)));
    lineageItems.push(Program.fromBigInt(lineage.amount));
    const solution = clvmList([clvmList(lineageItems), Program.fromBigInt(view.currentCoin.amount), innerSolution]);
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
}
