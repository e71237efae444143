import { Command } from '@nestjs/cqrs';
import { type PauseSource } from '@pool/domain';
import { type PayoutsSwitchResult } from './payouts-switch';

/** Turn one payout switch on (an operator, the config or the pause file), with the reason recorded. */
export class PausePayoutsCommand extends Command<PayoutsSwitchResult> {
  constructor(
    readonly reason: string,
    readonly by: PauseSource,
    /** Unix seconds. */
    readonly now: number,
  ) {
    super();
  }
}
