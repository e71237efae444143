import { Inject, Injectable } from '@nestjs/common';
import { type FullNodeRpc } from '@pool/chia';
import { CHAIN } from '@pool/runtime';

/** The node's peak height, asked at most once per `maxAgeMs` (every partial needs it). */
@Injectable()
export class PeakTracker {
  private cached?: { height: number; at: number };
  private pending?: Promise<number>;
  private readonly maxAgeMs = 2_000;

  constructor(@Inject(CHAIN) private readonly chain: FullNodeRpc) {}

  async height(): Promise<number> {
    if (this.cached && Date.now() - this.cached.at < this.maxAgeMs) return this.cached.height;
    return this.fresh();
  }

  /**
   * Asks the node now. Registration and updates use it: they are rare, and a waiting room's end judged against a
   * cached peak would refuse a farmer whose plot NFT joined this pool a block ago.
   */
  async fresh(): Promise<number> {
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
