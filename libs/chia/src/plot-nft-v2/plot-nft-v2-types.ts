import { type Hex } from '../chain/chain-types';

/** The pool a v2 Plot NFT farms to (chia-blockchain `PoolConfig`). */
export interface PlotNftV2Pool {
  /** pool_claim_hash: where forwarded rewards go (the pool's target puzzle hash). */
  poolClaimHash: Hex;
  /** Blocks the owner waits in the waiting room before leaving (uint32). */
  relativeLockHeight: number;
  /** Serialized CLVM spliced after the amount of the pool's CREATE_COIN; "80" (nil) adds nothing. */
  poolMemoization: Hex;
}

/**
 * What a v2 Plot NFT's inner puzzle commits to. `pool` null = self-pooling; `exiting` (only with a pool) = in
 * the waiting room of that pool.
 */
export interface PlotNftV2State {
  /** The owner's 48-byte synthetic key, curried as it is: also the farmer's v2 authentication_public_key. */
  ownerPublicKey: Hex;
  pool: PlotNftV2Pool | null;
  exiting: boolean;
}

/** What the puzzle hashes depend on besides the state: the singleton and the network (through the claim path). */
export interface PlotNftV2Identity {
  launcherId: Hex;
  genesisChallenge: Hex;
}

/** Singleton v1.1 lineage proof of a coin whose parent was the same singleton (not its launcher). */
export interface SingletonLineageProof {
  parentParentCoinId: Hex;
  parentInnerPuzzleHash: Hex;
  parentAmount: bigint;
}

/** The three states by the names the vectors, the CLI and chia-blockchain's drivers use. */
export type PlotNftV2StateName = 'self_pooling' | 'pooling' | 'exiting';

export function plotNftV2StateName(state: PlotNftV2State): PlotNftV2StateName {
  if (state.pool === null) return 'self_pooling';
  return state.exiting ? 'exiting' : 'pooling';
}
