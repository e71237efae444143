import { Command } from '@nestjs/cqrs';
import { type PayoutPlanned } from '@pool/domain';

export interface PlanPayoutResult {
  /** The plan read back from `payout-<sequence>` is this one (another instance did not record its own first). */
  recorded: boolean;
}

/** Record a computed plan (with the coin ids it will create) before anything is signed. */
export class PlanPayoutCommand extends Command<PlanPayoutResult> {
  constructor(readonly plan: PayoutPlanned['data']) {
    super();
  }
}
