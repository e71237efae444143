import { bytesToHex, PoolErrorCode, ProofOfSpaceSchema } from '@pool/chia';
import { boundedReason, type PartialRefused } from '@pool/domain';

export type RefusedPartialData = PartialRefused['data'];

/** What the interceptor hands over for one refused POST /partial or /v2/partial: the body as received and the answer. */
export interface RefusedRequest {
  body: unknown;
  errorCode: PoolErrorCode;
  message: string;
  /** Unix seconds (fractional) when the request arrived. */
  receivedAt: number;
  protocolVersion: 1 | 2;
}

const HEX32 = /^(?:0x)?([0-9a-fA-F]{64})$/;

function bytes32(value: unknown): string | undefined {
  const match = typeof value === 'string' ? HEX32.exec(value) : null;
  return match ? match[1]!.toLowerCase() : undefined;
}

const object = (value: unknown): Record<string, unknown> | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

/** The proof's hash as the partial's stream names it, or null when the proof cannot be read (a refused body can be anything). */
function proofHashOf(proofOfSpace: unknown): string | null {
  try {
    return bytesToHex(ProofOfSpaceSchema.hash(ProofOfSpaceSchema.fromJson(proofOfSpace)));
  } catch {
    return null;
  }
}

/** Whose refusal it is and what it answered: read from the body without decoding it (no hex, no hashing). */
export interface RefusalOwner {
  launcherId: string;
  harvesterId: string;
  signagePointHash: string;
  endOfSubSlot: boolean;
  payload: Record<string, unknown>;
}

/**
 * Whose refusal it is, or undefined when there is nothing to show anyone: the body does not name a launcher, a
 * harvester and a signage point (a malformed request nobody could attribute), or the answer was "farmer not
 * known" (an unknown launcher's partials are shown to no one).
 */
export function ownerOf(refused: RefusedRequest): RefusalOwner | undefined {
  if (refused.errorCode === PoolErrorCode.FARMER_NOT_KNOWN) return undefined;
  const payload = object(object(refused.body)?.payload);
  const launcherId = bytes32(payload?.launcher_id);
  const harvesterId = bytes32(payload?.harvester_id);
  const signagePointHash = bytes32(payload?.sp_hash);
  if (!payload || launcherId === undefined || harvesterId === undefined || signagePointHash === undefined) return undefined;
  return { launcherId, harvesterId, signagePointHash, endOfSubSlot: payload.end_of_sub_slot === true, payload };
}

/** The refusal as the ledger keeps it (this one decodes and hashes the proof: call it only for a refusal to keep). */
export function refusedPartialOf(refused: RefusedRequest, owner: RefusalOwner): RefusedPartialData {
  return {
    launcherId: owner.launcherId,
    harvesterId: owner.harvesterId,
    proofHash: proofHashOf(owner.payload.proof_of_space),
    signagePointHash: owner.signagePointHash,
    endOfSubSlot: owner.endOfSubSlot,
    errorCode: refused.errorCode,
    reason: boundedReason(refused.message),
    receivedAt: Math.floor(refused.receivedAt),
    protocolVersion: refused.protocolVersion,
  };
}
