import {
  type BlsBackend,
  type Coin,
  type CoinSpend,
  type Hex,
  type OwnerSpend,
  type OwnerSpendInput,
  type PlotNftV2Identity,
  type PlotNftV2Pool,
  type PlotNftV2State,
  type PlotNftV2StateName,
  type SingletonLineageProof,
  type SpendBundle,
  G2_INFINITY_HEX,
  buildExitToWaitingRoomSpend,
  buildJoinPoolSpend,
  buildLaunchSpends,
  buildLeaveWaitingRoomSpend,
  coinId,
  decodePlotNftV2Spend,
  isPlotNftV2Moved,
  plotNftV2StateName,
  rewardPuzzleHash,
  singletonChildCoin,
} from '@pool/chia';
import { DevnetChainError } from './chain-errors';
import { type DevnetChain } from './devnet-chain';
import { clvmList, conditionsPuzzle } from './devnet-puzzles';
import { signRequired } from './signature-checks';

export interface LaunchPlotNftV2Request {
  /** The owner's synthetic public key (48 bytes hex): the farmer's v2 authentication key. */
  ownerPublicKey: Hex;
  /**
   * The first state, as `chia plotnft create` offers both: pooling to `pool` from the start, or self-pooling
   * with null.
   */
  pool: PlotNftV2Pool | null;
  /** First memo of the first Plot NFT coin (the wallet hints its own puzzle hash); default the origin coin's puzzle hash. */
  hint?: Hex;
}

export interface LaunchedPlotNftV2 {
  launcherId: Hex;
  /** Launcher id and this chain's genesis challenge: what the pooling and exiting puzzle hashes depend on. */
  id: PlotNftV2Identity;
  /** RewardPuzzle(launcher_id): the plots' pool_contract_puzzle_hash and where pool rewards are paid. */
  rewardPuzzleHash: Hex;
  /** The first Plot NFT coin: origin, launcher and eve are spent in one bundle, so it appears in the next block. */
  singletonCoin: Coin;
  state: PlotNftV2State;
  bundle: SpendBundle;
}

/** A v2 Plot NFT as the chain shows it now, walked from its launcher and read from its spends. */
export interface PlotNftV2View {
  launcherId: Hex;
  id: PlotNftV2Identity;
  state: PlotNftV2State;
  /** The unspent Plot NFT coin. */
  currentCoin: Coin;
  /** The spend that created `currentCoin` (the eve spend, an owner's move or a pool's reward forward). */
  parentSpend: CoinSpend;
  /** What a spend of `currentCoin` proves its lineage with. */
  lineageProof: SingletonLineageProof;
}

export interface PlotNftV2SimulatorOptions {
  /** With `ownerSecretKeys` (the owners' synthetic secret keys), owner spends are signed (needed on a chain built with `verifySignatures`). */
  bls?: BlsBackend;
  ownerSecretKeys?: readonly Uint8Array[];
}

/**
 * Launches and moves Chia's v2 Plot NFTs (CHIP-59: singleton v1.1 around a CHIP-43 custody tree) on a DevnetChain
 * with the spends a wallet makes, built by @pool/chia: launch, join a pool, exit to the waiting room, leave it.
 * Every spend goes through the chain's mempool, which runs the real puzzles, so a move the puzzles forbid (leaving
 * before the lock height, a move the owner's restrictions do not allow) is refused as a node would refuse it.
 * The simulator remembers nothing: a Plot NFT's state is read back from the chain, spend by spend from its
 * launcher, as a wallet reads it from memos.
 */
export class PlotNftV2Simulator {
  constructor(
    private readonly chain: DevnetChain,
    private readonly options: PlotNftV2SimulatorOptions = {},
  ) {}

  /** A launcher's identity on this chain: the claim path curries the network's genesis challenge. */
  identity(launcherId: Hex): PlotNftV2Identity {
    return { launcherId, genesisChallenge: this.chain.network.genesisChallenge };
  }

  /**
   * Origin coin (minted by the faucet at a key-less puzzle) → launcher → eve singleton → the first Plot NFT coin in
   * the requested state, all in one bundle: the origin asserts the launcher's and the eve's announcements, so no
   * other eve can be put behind this launcher. Needs no signature.
   */
  launch(request: LaunchPlotNftV2Request): LaunchedPlotNftV2 {
    const state: PlotNftV2State = { ownerPublicKey: request.ownerPublicKey, pool: request.pool, exiting: false };
    const originPuzzle = conditionsPuzzle(`plot-nft-v2-owner:${request.ownerPublicKey}`);
    const origin = this.chain.mint(originPuzzle.hashHex(), 1n);
    const spends = buildLaunchSpends({
      originCoinId: coinId(origin),
      genesisChallenge: this.chain.network.genesisChallenge,
      state,
      hint: request.hint ?? originPuzzle.hashHex(),
    });
    const bundle: SpendBundle = {
      coinSpends: [
        // The key-less puzzle's solution is its list of conditions.
        { coin: origin, puzzleReveal: originPuzzle.serializeHex(), solution: clvmList(spends.originConditions).serializeHex() },
        spends.launcherSpend,
        spends.eveSpend,
      ],
      aggregatedSignature: G2_INFINITY_HEX,
    };
    this.chain.addToMempool(bundle);
    return {
      launcherId: spends.id.launcherId,
      id: spends.id,
      rewardPuzzleHash: rewardPuzzleHash(spends.id.launcherId),
      singletonCoin: spends.plotNftCoin,
      state,
      bundle,
    };
  }

  /**
   * Walks the Plot NFT from its launcher to its unspent coin on the current chain, reading each spend into the
   * next state. Only the eve spend must say its state in a memo; later moves are recognised from the state before.
   */
  view(launcherId: Hex): PlotNftV2View {
    const id = this.identity(launcherId);
    const launcherSpend = this.chain.coinSpend(launcherId);
    if (this.chain.coinRecord(launcherId) === undefined || launcherSpend === undefined) {
      throw new DevnetChainError('PLOT_NFT_NOT_FOUND', `launcher ${launcherId} is not spent on the chain (yet)`);
    }
    const eve = singletonChildCoin(launcherSpend);
    let parentSpend = eve === undefined ? undefined : this.chain.coinSpend(coinId(eve));
    if (parentSpend === undefined) throw new DevnetChainError('PLOT_NFT_NOT_FOUND', `the eve singleton of ${launcherId} is not spent on the chain (yet)`);
    let known: PlotNftV2State | null = null;
    for (;;) {
      const reading = decodePlotNftV2Spend(id, known, parentSpend);
      if ('error' in reading) throw new DevnetChainError('PLOT_NFT_UNREADABLE', `a spend of ${launcherId} is not a v2 Plot NFT move: ${reading.error}`);
      if (!isPlotNftV2Moved(reading)) throw new DevnetChainError('PLOT_NFT_MELTED', `Plot NFT ${launcherId} was melted`);
      const childId = coinId(reading.childCoin);
      const record = this.chain.coinRecord(childId);
      if (record === undefined) throw new DevnetChainError('PLOT_NFT_NOT_FOUND', `Plot NFT coin ${childId} is not on the chain`);
      const spend = this.chain.coinSpend(childId);
      if (!record.spent || spend === undefined) {
        return { launcherId, id, state: reading.next, currentCoin: record.coin, parentSpend, lineageProof: reading.lineageProof };
      }
      known = reading.next;
      parentSpend = spend;
    }
  }

  /** Self-pooling → pooling to `pool` (`chia plotnft join`). */
  joinPool(launcherId: Hex, pool: PlotNftV2Pool): SpendBundle {
    const view = this.viewIn(launcherId, 'self_pooling', 'join a pool');
    return this.submit(buildJoinPoolSpend({ ...this.ownerInput(view), pool }));
  }

  /** Pooling → the pool's waiting room: from then on the owner waits out the pool's relative lock height. */
  leavePool(launcherId: Hex): SpendBundle {
    const view = this.viewIn(launcherId, 'pooling', 'leave its pool');
    return this.submit(buildExitToWaitingRoomSpend(this.ownerInput(view)));
  }

  /**
   * Out of the waiting room to another pool, or self-pooling with `pool` null; the chain refuses it until the
   * lock height has passed. From self-pooling, a pool is joined directly (the one move that needs no waiting).
   */
  switchPool(launcherId: Hex, pool: PlotNftV2Pool | null): SpendBundle {
    const view = this.view(launcherId);
    const current = plotNftV2StateName(view.state);
    if (current === 'self_pooling' && pool !== null) return this.submit(buildJoinPoolSpend({ ...this.ownerInput(view), pool }));
    if (current === 'pooling') throw wrongState(launcherId, current, 'switch pools before it leaves its pool (leavePool)');
    if (current !== 'exiting') throw wrongState(launcherId, current, 'move to self-pooling');
    return this.submit(buildLeaveWaitingRoomSpend({ ...this.ownerInput(view), nextPool: pool }));
  }

  private viewIn(launcherId: Hex, expected: PlotNftV2StateName, action: string): PlotNftV2View {
    const view = this.view(launcherId);
    const current = plotNftV2StateName(view.state);
    if (current !== expected) throw wrongState(launcherId, current, action);
    return view;
  }

  private ownerInput(view: PlotNftV2View): OwnerSpendInput {
    return { id: view.id, state: view.state, plotNftCoin: view.currentCoin, lineageProof: view.lineageProof };
  }

  /**
   * Signs the owner's AGG_SIG_ME as the chain states it (message, coin id, genesis challenge) and pushes the
   * bundle. Without keys it goes unsigned, which only a chain that does not verify signatures accepts.
   */
  private submit(spend: OwnerSpend): SpendBundle {
    const unsigned: SpendBundle = { coinSpends: [spend.coinSpend], aggregatedSignature: G2_INFINITY_HEX };
    const { bls, ownerSecretKeys } = this.options;
    const bundle =
      bls !== undefined && ownerSecretKeys !== undefined
        ? { ...unsigned, aggregatedSignature: signRequired(bls, this.chain.requiredSignatures(unsigned), ownerSecretKeys) }
        : unsigned;
    this.chain.addToMempool(bundle);
    return bundle;
  }
}

function wrongState(launcherId: Hex, current: PlotNftV2StateName, action: string): DevnetChainError {
  return new DevnetChainError('PLOT_NFT_WRONG_STATE', `Plot NFT ${launcherId} is ${current} and cannot ${action}`);
}
