import { Command } from '@nestjs/cqrs';
import { type PartialEvent } from '@pool/domain';

/** The partial's delay has passed, its signage point stands and its farmer is a member: its points count. */
export class ConfirmPartialCommand extends Command<PartialEvent[]> {
  constructor(
    readonly proofHash: string,
    /** Unix seconds on the chain's clock. */
    readonly now: number,
  ) {
    super();
  }
}
