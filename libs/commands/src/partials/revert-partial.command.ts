import { Command } from '@nestjs/cqrs';
import { type PartialEvent, type PartialRevertReason } from '@pool/domain';

/**
 * A partial's points do not (or no longer) count: at settlement (its signage point is gone, its farmer left) or
 * after a reorg took its signage point back (reason "reorg", with the fork height).
 */
export class RevertPartialCommand extends Command<PartialEvent[]> {
  constructor(
    readonly proofHash: string,
    readonly reason: PartialRevertReason,
    /** Unix seconds on the chain's clock. */
    readonly now: number,
    readonly forkHeight?: number,
  ) {
    super();
  }
}
