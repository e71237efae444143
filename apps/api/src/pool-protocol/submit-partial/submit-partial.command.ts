import { Command } from '@nestjs/cqrs';
import { type PostPartialRequestLegacy } from '@pool/chia';

/**
 * How the farmer says who it is: v1 signs a time token inside the payload; v2 carries a JWT beside it (the
 * payload's v1 token is then not checked: a v2 farmer still sends one, but pool2-reference ignores it).
 */
export type PartialCredentials = { edition: 1 } | { edition: 2; jwt: string | undefined };

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
  ) {
    super();
  }
}
