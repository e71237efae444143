import { eventTypesOf } from '../ledger/pool-event';
/** What a PartialSubmitted recorded at schema version 1 holds (every partial accepted before schema 2). */
export interface PartialSubmittedV1Data {
  launcherId: string;
  proofHash: string;
  /** Difficulty in force when the partial was accepted: the points it is worth. */
  points: string;
  signagePointHash: string;
  receivedAt: number;
  plotSize: number;
}

/**
 * What the farmer sends with a partial beyond what it is worth, kept from schema version 2 on. Events recorded at
 * schema 1 are upcast with every field null, meaning "not recorded before schema 2": a partial accepted then can
 * never get them back (the harvester id was signed into it and thrown away).
 */
export interface PartialOrigin {
  /** The harvester's node id (bytes32 hex), signed into the payload. */
  harvesterId: string | null;
  /** The plot's public key (G1 hex) from the proof of space. */
  plotPublicKey: string | null;
  /** The plot id, computed from the pool contract puzzle hash and the plot public key. */
  plotId: string | null;
  /** True when the partial answers an end of sub-slot rather than a signage point. */
  endOfSubSlot: boolean | null;
  /** Headers the farmer chooses freely (null when it did not send one), cut to PARTIAL_HEADER_MAX_LENGTH characters. */
  farmerVersion: string | null;
  harvesterVersion: string | null;
  userAgent: string | null;
}

/**
 * Facts about one partial, in stream `partial-<proofHash>`. Points are decimal strings (uint64 on the
 * wire; never a JS number in the ledger). Every event names the farmer so that read models need no joins.
 * Written at schema version PARTIAL_SUBMITTED_SCHEMA_VERSION; readers see older versions upcast (decodePoolEvent).
 */
export interface PartialSubmitted {
  type: 'PartialSubmitted';
  data: PartialSubmittedV1Data & PartialOrigin;
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
