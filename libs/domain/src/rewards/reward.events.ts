import { eventTypesOf } from '../ledger/pool-event';
/**
 * Facts about one pool reward coin (the 7/8 coinbase at a member's p2 singleton puzzle hash), in stream
 * `reward-<coinId>`. Amounts are mojos as decimal strings; heights are chain facts carried by the command.
 */
export interface RewardDetected {
  type: 'RewardDetected';
  data: {
    coinId: string;
    launcherId: string;
    /** The member's p2 singleton (v1) or RewardPuzzle (v2) puzzle hash the coin sits at. */
    puzzleHash: string;
    amount: string;
    /** Height of the block the farmer won (from the coinbase parent id). */
    farmedHeight: number;
    /** Height the coin was confirmed at. */
    confirmedHeight: number;
    detectedAt: number;
  };
}

export interface RewardAbsorbed {
  type: 'RewardAbsorbed';
  data: {
    coinId: string;
    launcherId: string;
    amount: string;
    /** Name (id) of the spend bundle that absorbed it. */
    absorbTransactionId: string;
    /** Height the absorb was confirmed at, and the coin it created at the pool's target puzzle hash. */
    absorbedHeight: number;
    poolCoinId: string;
    /** Blockchain fee paid for this absorb (mojos), out of the pool's wallet. */
    fee: string;
    absorbedAt: number;
  };
}

export interface RewardReverted {
  type: 'RewardReverted';
  data: {
    coinId: string;
    launcherId: string;
    amount: string;
    reason: 'reorg';
    forkHeight: number;
    /** True when the absorb had been recorded before the reorg orphaned it. */
    wasAbsorbed: boolean;
    revertedAt: number;
  };
}

export type RewardEvent = RewardDetected | RewardAbsorbed | RewardReverted;

export const REWARD_EVENT_TYPES = eventTypesOf('reward');

export const rewardStream = (coinId: string): string => `reward-${coinId}`;
