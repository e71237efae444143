import { Inject, Injectable } from '@nestjs/common';
import { type FullNodeRpc } from '@pool/chia';
import { CHAIN } from '../tokens';

/** The node's peak height, asked at most once per `maxAgeMs` (every partial needs it). */
@Injectable()
export class PeakTracker {
  private cached?: { height: number; at: number };
  private pending?: Promise<number>;
  private readonly maxAgeMs = 2_000;

  constructor(@Inject(CHAIN) private readonly chain: FullNodeRpc) {}

  async height(): Promise<number> {
    if (this.cached && Date.now() - this.cached.at < this.maxAgeMs) return this.cached.height;
    this.pending ??= this.chain
      .getBlockchainState()
      .then((state) => {
        const height = state.peak?.height ?? 0;
        this.cached = { height, at: Date.now() };
        return height;
      })
      .finally(() => (this.pending = undefined));
    return this.pending;
  }
}
