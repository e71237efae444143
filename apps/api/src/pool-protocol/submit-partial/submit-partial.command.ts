import { type IncomingHttpHeaders } from 'node:http';
import { Command } from '@nestjs/cqrs';
import { type PostPartialRequestLegacy } from '@pool/chia';

/**
 * How the farmer says who it is: v1 signs a time token inside the payload; v2 carries a JWT beside it (the
 * payload's v1 token is then not checked: a v2 farmer still sends one, but pool2-reference ignores it).
 */
export type PartialCredentials = { edition: 1 } | { edition: 2; jwt: string | undefined };

/**
 * What Chia's farmer says about itself with each partial (chia/farmer/farmer_api.py, new_proof_of_space: it posts
 * the partial with `User-Agent`, `chia-farmer-version` and `chia-harvester-version`, the last being the version the
 * harvester that found the proof announced). Free text the farmer chooses: the ledger bounds it (boundedHeader).
 */
export interface PartialHeaders {
  farmerVersion: string | null;
  harvesterVersion: string | null;
  userAgent: string | null;
}

/** The version headers of a request (Node lower-cases header names; a repeated header is joined). */
export function partialHeadersOf(headers: IncomingHttpHeaders): PartialHeaders {
  const one = (name: string): string | null => {
    const value = headers[name];
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
  };
  return { farmerVersion: one('chia-farmer-version'), harvesterVersion: one('chia-harvester-version'), userAgent: one('user-agent') };
}

/** The protocol's answer to an accepted partial: the difficulty the farmer's next partials are judged at. */
export interface SubmitPartialResult {
  new_difficulty: bigint;
}

/** POST /partial and POST /v2/partial: a proof of space for this pool, to be credited once at the farmer's difficulty. */
export class SubmitPartialCommand extends Command<SubmitPartialResult> {
  constructor(
    readonly request: PostPartialRequestLegacy,
    readonly credentials: PartialCredentials,
    /** Unix seconds (fractional) when the request arrived: the signage point's time limit counts from it. */
    readonly receivedAt: number,
    readonly headers: PartialHeaders,
    /** The sender's address as the rate limits key it (addressKey): whose failure budget a bad partial spends. */
    readonly clientAddress: string,
  ) {
    super();
  }
}
