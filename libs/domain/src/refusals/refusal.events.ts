import { eventTypesOf } from '../ledger/pool-event';

/**
 * A partial the pool refused, as its farmer sent it and as it was told: kept so the farmer can see why its
 * partials do not count, harvester by harvester. It is not a money fact: no fold of points, rewards or payouts
 * reads it (the audit reads the money capabilities only), and only registered farmers' refusals are recorded.
 * Stream `refusals-<launcherId>`, appended to as a log (any revision): there is no decision to protect.
 */
export interface PartialRefused {
  type: 'PartialRefused';
  data: {
    launcherId: string;
    /** The harvester's node id (bytes32 hex) from the payload; a refused partial's signature may not cover it. */
    harvesterId: string;
    /** Hash of the proof of space, or null when the request could not be read far enough to compute it. */
    proofHash: string | null;
    /** The signage point (or, with endOfSubSlot, the end of sub-slot's challenge hash) the partial answers. */
    signagePointHash: string;
    endOfSubSlot: boolean;
    /** The pool protocol's error code the farmer was answered with (PoolErrorCode). */
    errorCode: number;
    /** The message the farmer was answered with, cut to REFUSAL_REASON_MAX_LENGTH characters. */
    reason: string;
    /** Whole unix seconds when the request arrived. */
    receivedAt: number;
    /** The route it came by: POST /partial (1) or POST /v2/partial (2). */
    protocolVersion: 1 | 2;
  };
}

export type RefusalEvent = PartialRefused;

export const REFUSAL_EVENT_TYPES = eventTypesOf('refusal');

export const refusalStream = (launcherId: string): string => `refusals-${launcherId}`;

/**
 * The pool writes its refusal messages itself (a few hundred characters at most), but a message can quote what the
 * farmer sent: the bound keeps one refusal from weighing more in the ledger than the partial it refuses.
 */
export const REFUSAL_REASON_MAX_LENGTH = 500;

export function boundedReason(message: string): string {
  return message.length <= REFUSAL_REASON_MAX_LENGTH ? message : `${message.slice(0, REFUSAL_REASON_MAX_LENGTH - 1)}…`;
}
