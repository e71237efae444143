import { type FullNodeRpc } from '@pool/chia';

export interface Reorg {
  /** The highest height both branches share. */
  forkHeight: number;
  /** Blocks of the old branch that are no longer in the chain. */
  depth: number;
  peakHeight: number;
  /** The old branch's block just above the fork: names this reorg for every observer. */
  firstOrphanedHash: string;
  oldPeak: { height: number; headerHash: string };
  newPeak: { height: number; headerHash: string };
}

export interface ChainFollowerOptions {
  chain: Pick<FullNodeRpc, 'getBlockchainState' | 'getBlockRecordByHeight'>;
  /** Blocks of header hashes kept to find fork points; a deeper reorg is reported as at least this deep. */
  window?: number;
}

/**
 * Follows the node's peak and notices when the chain changed its mind: it remembers the header hash of the
 * last `window` heights and, when the node's block at a remembered height differs, walks down to the fork.
 */
export class ChainFollower {
  private readonly hashes = new Map<number, string>();
  private peak = -1;

  constructor(private readonly options: ChainFollowerOptions) {}

  get peakHeight(): number {
    return this.peak;
  }

  /** One look at the node: returns the reorg it found, if any. */
  async poll(): Promise<Reorg | undefined> {
    const state = await this.options.chain.getBlockchainState();
    const peak = state.peak;
    if (!peak) return undefined;
    const window = this.options.window ?? 200;
    let reorg: Reorg | undefined;
    const knownTop = Math.min(this.peak, peak.height);
    if (knownTop >= 0 && (await this.hashAt(knownTop)) !== this.hashes.get(knownTop)) {
      let fork = knownTop - 1;
      while (fork >= 0 && this.hashes.has(fork) && (await this.hashAt(fork)) !== this.hashes.get(fork)) fork--;
      const oldTop = this.peak;
      const oldPeak = { height: oldTop, headerHash: this.hashes.get(oldTop) ?? '' };
      const firstOrphanedHash = this.hashes.get(fork + 1) ?? '';
      for (let h = fork + 1; h <= oldTop; h++) this.hashes.delete(h);
      reorg = {
        forkHeight: fork,
        depth: oldTop - fork,
        peakHeight: peak.height,
        firstOrphanedHash,
        oldPeak,
        newPeak: { height: peak.height, headerHash: peak.headerHash },
      };
    }
    const from = Math.max(this.hashes.size === 0 ? peak.height - window + 1 : this.highestKnown() + 1, 0);
    for (let h = from; h <= peak.height; h++) {
      const hash = h === peak.height ? peak.headerHash : await this.hashAt(h);
      if (hash !== undefined) this.hashes.set(h, hash);
    }
    for (const h of this.hashes.keys()) if (h <= peak.height - window) this.hashes.delete(h);
    this.peak = peak.height;
    return reorg;
  }

  private highestKnown(): number {
    let top = -1;
    for (const h of this.hashes.keys()) top = Math.max(top, h);
    return top;
  }

  private async hashAt(height: number): Promise<string | undefined> {
    return (await this.options.chain.getBlockRecordByHeight(height))?.headerHash;
  }
}
