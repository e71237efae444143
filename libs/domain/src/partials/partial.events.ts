import { eventTypesOf } from '../ledger/pool-event';
/**
 * Facts about one partial, in stream `partial-<proofHash>`. Points are decimal strings (uint64 on the
 * wire; never a JS number in the ledger). Every event names the farmer so that read models need no joins.
 */
export interface PartialSubmitted {
  type: 'PartialSubmitted';
  data: {
    launcherId: string;
    proofHash: string;
    /** Difficulty in force when the partial was accepted: the points it is worth. */
    points: string;
    signagePointHash: string;
    receivedAt: number;
    plotSize: number;
  };
}

export interface PartialConfirmed {
  type: 'PartialConfirmed';
  data: { launcherId: string; proofHash: string; points: string; confirmedAt: number };
}

export type PartialRevertReason = 'signage_point_reverted' | 'reorg' | 'duplicate' | 'left_pool';

export interface PartialReverted {
  type: 'PartialReverted';
  data: {
    launcherId: string;
    proofHash: string;
    points: string;
    reason: PartialRevertReason;
    /** True when the partial had been confirmed before it was reverted. */
    wasConfirmed: boolean;
    revertedAt: number;
    /** For reorgs: the height the chain forked at. */
    forkHeight?: number;
  };
}

export type PartialEvent = PartialSubmitted | PartialConfirmed | PartialReverted;

export const PARTIAL_EVENT_TYPES = eventTypesOf('partial');

export const partialStream = (proofHash: string): string => `partial-${proofHash}`;
