/** A block as the pool saw it: enough to tell two branches apart. */
export interface ChainPoint {
  height: number;
  headerHash: string;
}

/**
 * The chain changed its mind: blocks above `forkHeight` that the pool had seen were orphaned. Recorded in
 * stream `chain-reorgs` so an operator (and an auditor) can see every reorg next to the reverts it caused.
 */
export interface ChainReorgDetected {
  type: 'ChainReorgDetected';
  data: {
    /** `<forkHeight>:<header hash of the first orphaned block>`: the same for every observer of this reorg. */
    reorgId: string;
    /** The highest height both branches share. */
    forkHeight: number;
    /** Blocks of the old branch no longer in the chain (as far as the observer had seen that branch). */
    depth: number;
    oldPeak: ChainPoint;
    newPeak: ChainPoint;
    /** The safety depth in force; `deep` is `depth > safeDepth`. */
    safeDepth: number;
    deep: boolean;
    at: number;
  };
}

export type ChainEvent = ChainReorgDetected;

/** One stream for the whole chain: reorgs are rare, so it stays short. */
export const CHAIN_REORGS_STREAM = 'chain-reorgs';

export const reorgId = (forkHeight: number, firstOrphanedHash: string): string => `${forkHeight}:${firstOrphanedHash}`;
