import {
  coinId,
  decodePlotNftV2Spend,
  SINGLETON_LAUNCHER,
  type CoinRecord,
  type FullNodeRpc,
  type Hex,
  type PlotNftV2Identity,
  type PlotNftV2Pool,
  type PlotNftV2State,
  type SingletonLineageProof,
} from '@pool/chia';

export type PlotNftV2Chain = Pick<FullNodeRpc, 'getCoinRecordByName' | 'getCoinRecordsByParentIds' | 'getPuzzleAndSolution'>;

/** A v2 Plot NFT as its lineage shows it now: its unspent coin, its state, since when, and how to spend it. */
export interface PlotNftV2Tip {
  state: PlotNftV2State;
  /**
   * Height of the spend that put the Plot NFT in `state` (the launch for its first state). A reward forward
   * recreates the coin in the same state, so it moves the coin's height but not this one.
   */
  stateHeight: number;
  /** The unspent singleton coin. */
  coin: CoinRecord;
  /** The lineage proof a spend of `coin` presents (its parent was the same singleton, the eve at least). */
  lineageProof: SingletonLineageProof;
}

export type PlotNftV2Reading =
  | { kind: 'tip'; tip: PlotNftV2Tip }
  /** The singleton melted itself: the Plot NFT is gone. */
  | { kind: 'melted' }
  /** Not launched (yet), not a v2 Plot NFT, or the chain moved under the walk: nothing can be said now. */
  | { kind: 'unreadable'; reason: string };

/** Longest lineage followed in one read (a forward per pool reward adds one spend). */
const MAX_SPENDS = 10_000;

/** Where a walk starts: a coin of the singleton and what is known of it (nothing for the eve). */
interface WalkStart {
  coin: CoinRecord;
  state: PlotNftV2State | null;
  stateHeight: number;
  lineageProof: SingletonLineageProof | null;
}

function sameState(a: PlotNftV2State, b: PlotNftV2State): boolean {
  return a.ownerPublicKey === b.ownerPublicKey && a.exiting === b.exiting && samePool(a.pool, b.pool);
}

/** Same pool as a Plot NFT commits to it: claim hash, lock height and memoization (all three are in its puzzle). */
export function samePool(a: PlotNftV2Pool | null, b: PlotNftV2Pool | null): boolean {
  if (a === null || b === null) return a === b;
  const norm = (hex: string) => hex.toLowerCase().replace(/^0x/, '');
  return norm(a.poolClaimHash) === norm(b.poolClaimHash) && a.relativeLockHeight === b.relativeLockHeight && norm(a.poolMemoization) === norm(b.poolMemoization);
}

/**
 * Follows v2 Plot NFTs from their launcher through every spend to the unspent coin, reading each spend with
 * `decodePlotNftV2Spend` (which runs the inner puzzle and rebuilds the created puzzle hash). Only coins of the
 * singleton's own lineage are ever looked at, so a coin someone minted at a Plot NFT's puzzle hash is invisible
 * here: the stricter lineage rule of shared/reference/plotnft-v2.md §6.4, in its "follow the chain" form. The
 * state comes from the chain (memos and puzzle hashes), not from what the farmer registered.
 *
 * Each launcher's walk continues from the tip reached last time (in memory), so a read costs one lookup plus the
 * spends since; if a reorg removed or moved the known tip, the walk starts again from the launcher.
 */
export class PlotNftV2Follower {
  private readonly known = new Map<Hex, PlotNftV2Tip>();
  /** Walks that had to start from the launcher (first sight, or a reorg under the known tip). */
  fullWalks = 0;

  constructor(private readonly chain: PlotNftV2Chain) {}

  async read(id: PlotNftV2Identity): Promise<PlotNftV2Reading> {
    const known = this.known.get(id.launcherId);
    if (known) {
      const tip = await this.chain.getCoinRecordByName(coinId(known.coin.coin));
      if (tip && tip.confirmedBlockIndex === known.coin.confirmedBlockIndex) {
        const reading = await this.walk(id, { ...known, coin: tip });
        if (reading.kind !== 'unreadable') return this.remember(id, reading);
      }
    }
    this.known.delete(id.launcherId);
    this.fullWalks++;
    const start = await this.eve(id.launcherId);
    if ('reason' in start) return { kind: 'unreadable', reason: start.reason };
    return this.remember(id, await this.walk(id, start));
  }

  private remember(id: PlotNftV2Identity, reading: PlotNftV2Reading): PlotNftV2Reading {
    if (reading.kind === 'tip') this.known.set(id.launcherId, reading.tip);
    else this.known.delete(id.launcherId);
    return reading;
  }

  /** The launcher's one child (the eve singleton), where every walk from the launcher starts. */
  private async eve(launcherId: Hex): Promise<WalkStart | { reason: string }> {
    const launcher = await this.chain.getCoinRecordByName(launcherId);
    if (!launcher || !launcher.spent) return { reason: `launcher ${launcherId} is not spent on chain` };
    if (launcher.coin.puzzleHash !== SINGLETON_LAUNCHER.treeHash) return { reason: `${launcherId} is not a singleton launcher` };
    const children = await this.chain.getCoinRecordsByParentIds([launcherId], { includeSpentCoins: true });
    const eve = children.find((record) => record.coin.amount % 2n === 1n);
    if (!eve) return { reason: `launcher ${launcherId} created no singleton` };
    return { coin: eve, state: null, stateHeight: launcher.spentBlockIndex, lineageProof: null };
  }

  /** Spend by spend to the unspent coin; each spend must be a Plot NFT spend creating the next coin on chain. */
  private async walk(id: PlotNftV2Identity, start: WalkStart): Promise<PlotNftV2Reading> {
    let { coin, state, stateHeight, lineageProof } = start;
    for (let spends = 0; coin.spent; spends++) {
      if (spends >= MAX_SPENDS) throw new Error(`plot NFT ${id.launcherId} has more than ${MAX_SPENDS} new spends`);
      const spend = await this.chain.getPuzzleAndSolution(coinId(coin.coin), coin.spentBlockIndex);
      const reading = decodePlotNftV2Spend(id, state, spend);
      if ('melted' in reading) return { kind: 'melted' };
      if ('error' in reading) return { kind: 'unreadable', reason: `a spend of plot NFT ${id.launcherId} cannot be read: ${reading.error}` };
      const child = await this.chain.getCoinRecordByName(coinId(reading.childCoin));
      if (!child) return { kind: 'unreadable', reason: `the chain moved under the walk of plot NFT ${id.launcherId}` };
      if (state === null || !sameState(state, reading.next)) stateHeight = coin.spentBlockIndex;
      state = reading.next;
      lineageProof = reading.lineageProof;
      coin = child;
    }
    // An unspent eve: launched, but its first Plot NFT coin is not created yet.
    if (state === null || lineageProof === null) return { kind: 'unreadable', reason: `plot NFT ${id.launcherId} has no state on chain yet` };
    return { kind: 'tip', tip: { state, stateHeight, coin, lineageProof } };
  }
}
