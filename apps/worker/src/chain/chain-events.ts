import { Injectable } from '@nestjs/common';
import { type Reorg } from './chain-follower';

export interface ReorgNotice extends Reorg {
  deep: boolean;
}

/**
 * What the chain loops saw, as plain counters for the metrics endpoint to read on scrape (no prom-client
 * here: the metrics module owns the registry), plus listeners for whoever wants each reorg as it happens.
 */
@Injectable()
export class ChainEvents {
  peakHeight = -1;
  reorgs = 0;
  deepReorgs = 0;
  lastReorgDepth = 0;
  maxReorgDepth = 0;
  /** Confirmed partials reverted because a reorg removed their signage point. */
  partialsRevertedByReorg = 0;
  private readonly listeners = new Set<(reorg: ReorgNotice) => void>();

  onReorg(listener: (reorg: ReorgNotice) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  recordPeak(height: number): void {
    this.peakHeight = height;
  }

  recordReorg(reorg: ReorgNotice): void {
    this.reorgs++;
    if (reorg.deep) this.deepReorgs++;
    this.lastReorgDepth = reorg.depth;
    this.maxReorgDepth = Math.max(this.maxReorgDepth, reorg.depth);
    for (const listener of this.listeners) listener(reorg);
  }
}
