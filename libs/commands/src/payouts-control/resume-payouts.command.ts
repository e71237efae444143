import { Command } from '@nestjs/cqrs';
import { type PauseSource } from '@pool/domain';
import { type PayoutsSwitchResult } from './payouts-switch';

/** Turn one payout switch off; the other sources keep holding payouts until they are lifted too. */
export class ResumePayoutsCommand extends Command<PayoutsSwitchResult> {
  constructor(
    readonly reason: string,
    readonly by: PauseSource,
    /** Unix seconds. */
    readonly now: number,
  ) {
    super();
  }
}
