import { eventTypesOf } from '../ledger/pool-event';
/**
 * Facts about one farmer (a plot NFT launcher id), in stream `farmer-<launcherId>`. Difficulties are
 * decimal strings (uint64); times are unix seconds chosen by the command, never read inside the domain.
 */
export interface FarmerRegistered {
  type: 'FarmerRegistered';
  data: {
    launcherId: string;
    authenticationPublicKey: string;
    ownerPublicKey: string;
    /** What the farmer sent (an address or a puzzle hash), returned to it as-is. */
    payoutInstructions: string;
    /** The puzzle hash payouts go to, decoded from the instructions. */
    payoutPuzzleHash: string;
    p2SingletonPuzzleHash: string;
    delayTime: number;
    delayPuzzleHash: string;
    difficulty: string;
    protocolVersion: 1 | 2;
    registeredAt: number;
  };
}

export interface FarmerUpdated {
  type: 'FarmerUpdated';
  data: {
    launcherId: string;
    authenticationPublicKey?: string;
    payoutInstructions?: string;
    payoutPuzzleHash?: string;
    updatedAt: number;
  };
}

export type DifficultyChangeReason = 'farmer_request' | 'policy';

export interface DifficultyChanged {
  type: 'DifficultyChanged';
  data: {
    launcherId: string;
    from: string;
    to: string;
    reason: DifficultyChangeReason;
    changedAt: number;
    /** After an increase, partials the farmer computed at the old difficulty are still accepted until then. */
    graceUntil: number | null;
  };
}

export interface FarmerLeftPool {
  type: 'FarmerLeftPool';
  data: { launcherId: string; height: number; at: number; reason: 'leaving' | 'self_pooling' | 'other_pool' };
}

export interface FarmerRejoinedPool {
  type: 'FarmerRejoinedPool';
  data: { launcherId: string; height: number; at: number };
}

/**
 * The name the farmer chose for itself in its farmer area, shown on the leaderboard (null: the name was removed).
 * Public, as the whole ledger is: only what the farmer typed to be shown, never a contact detail.
 */
export interface FarmerDisplayNameSet {
  type: 'FarmerDisplayNameSet';
  data: { launcherId: string; displayName: string | null; setAt: number };
}

/**
 * The farmer's own minimum payout in mojos (decimal string), at or above the pool's minimum when it was set; null:
 * back to the pool's. The planner carries the farmer's balance until it reaches the larger of the two, so the audit
 * needs this fact to recompute every carried balance: it changes money, hence a ledger event.
 */
export interface FarmerMinimumPayoutSet {
  type: 'FarmerMinimumPayoutSet';
  data: { launcherId: string; minimumPayout: string | null; poolMinimumPayout: string; setAt: number };
}

export type FarmerEvent =
  | FarmerRegistered
  | FarmerUpdated
  | DifficultyChanged
  | FarmerLeftPool
  | FarmerRejoinedPool
  | FarmerDisplayNameSet
  | FarmerMinimumPayoutSet;

export const FARMER_EVENT_TYPES = eventTypesOf('farmer');

export const farmerStream = (launcherId: string): string => `farmer-${launcherId}`;
