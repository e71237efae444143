import { Inject, Injectable } from '@nestjs/common';
import { type FullNodeRpc, type PosConsensusConstants } from '@pool/chia';
import { CHAIN, POS_CONSTANTS } from '@pool/runtime';
import type { NetworkDifficulty } from './pool-effort';

export interface NetworkState extends NetworkDifficulty {
  peakHeight: number | null;
  space: bigint;
}

const NETWORK_TTL_MS = 30_000;
const NETWORK_RETRY_MS = 10_000;

/**
 * The chain's difficulty and space as the full node reports them, asked at most every 30 s (every 10 s while it does
 * not answer) however many pages read them: the pool overview and the blocks list turn points into effort with them.
 */
@Injectable()
export class NetworkFigures {
  private network?: { at: number; state: NetworkState | null; error: string | null };

  constructor(
    @Inject(CHAIN) private readonly chain: FullNodeRpc,
    @Inject(POS_CONSTANTS) private readonly constants: PosConsensusConstants,
  ) {}

  /** The node's figures, or null with why when it does not answer. */
  async current(): Promise<{ state: NetworkState | null; error: string | null }> {
    const cached = this.network;
    const age = cached ? Date.now() - cached.at : Infinity;
    if (cached && age < (cached.state ? NETWORK_TTL_MS : NETWORK_RETRY_MS)) return cached;
    try {
      const chain = await this.chain.getBlockchainState();
      const state: NetworkState = {
        difficulty: chain.difficulty,
        subSlotIters: chain.subSlotIters,
        poolSubSlotIters: this.constants.poolSubSlotIters,
        space: chain.space,
        peakHeight: chain.peak?.height ?? null,
      };
      this.network = { at: Date.now(), state, error: null };
    } catch (error) {
      this.network = { at: Date.now(), state: null, error: `the full node did not answer: ${(error as Error).message}` };
    }
    return this.network;
  }
}
