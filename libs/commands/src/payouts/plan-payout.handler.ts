import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { canonicalJson, DomainError, payoutDecider, payoutStream } from '@pool/domain';
import { type EventStore, type StreamCommandRunner } from '@pool/event-sourcing';
import { COMMAND_RUNNER, EVENT_STORE } from '@pool/runtime';
import { PlanPayoutCommand, type PlanPayoutResult } from './plan-payout.command';

/** Stream `payout-<sequence>`, created with "no stream": two planners can never both plan payout N. */
@CommandHandler(PlanPayoutCommand)
export class PlanPayoutHandler implements ICommandHandler<PlanPayoutCommand> {
  constructor(
    @Inject(COMMAND_RUNNER) private readonly runner: StreamCommandRunner,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async execute({ plan }: PlanPayoutCommand): Promise<PlanPayoutResult> {
    const stream = payoutStream(plan.sequence);
    try {
      const { events } = await this.runner.run(stream, payoutDecider, { type: 'PlanPayout', plan }, { cache: false, expectNew: true, idempotencyKey: 'plan' });
      if (events.length === 0) return { recorded: false };
    } catch (error) {
      // Another instance planned this sequence first: its plan stands and is reconciled next run.
      if (error instanceof DomainError && error.reason === 'INVALID_STATE') return { recorded: false };
      throw error;
    }
    // Both instances' first events share one deterministic id (stream, revision 0, 'plan'), and a store answers a
    // repeated id at the same revision as the original append: only the plan read back is the one recorded.
    const recorded = (await this.store.readStream(stream, { maxCount: 1 }))[0];
    return { recorded: recorded !== undefined && canonicalJson(recorded.data) === canonicalJson(plan) };
  }
}
