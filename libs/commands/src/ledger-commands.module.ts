import { type DynamicModule, Module, type Provider, type Type } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { StreamCommandRunner, type EventStore } from '@pool/event-sourcing';
import { COMMAND_RUNNER, EVENT_STORE } from '@pool/runtime';
import { RecordReorgHandler } from './chain/record-reorg.handler';
import { RecordMembershipHandler } from './farmers/record-membership.handler';
import { ConfirmPartialHandler } from './partials/confirm-partial.handler';
import { RevertPartialHandler } from './partials/revert-partial.handler';
import { AbsorbRewardHandler } from './rewards/absorb-reward.handler';
import { DetectRewardHandler } from './rewards/detect-reward.handler';
import { RevertRewardHandler } from './rewards/revert-reward.handler';
import { PausePayoutsHandler } from './payouts-control/pause-payouts.handler';
import { ResumePayoutsHandler } from './payouts-control/resume-payouts.handler';
import { PlanPayoutHandler } from './payouts/plan-payout.handler';
import { RecordPayoutSignedHandler } from './payouts/record-payout-signed.handler';
import { RecordPayoutSentHandler } from './payouts/record-payout-sent.handler';
import { RecordPayoutFeeBumpedHandler } from './payouts/record-payout-fee-bumped.handler';
import { ResolvePayoutHandler } from './payouts/resolve-payout.handler';
import { RecordPayoutConfirmedHandler } from './payouts/record-payout-confirmed.handler';
import { RecordPayoutFailedHandler } from './payouts/record-payout-failed.handler';

/**
 * Every @CommandHandler of the ledger's shared commands (dispatched by the worker, the operator endpoints and
 * poolctl), one folder per capability beside this file. Each handler owns its stream, its decider and its
 * idempotency key; callers only build the command and `commandBus.execute` it.
 */
export const LEDGER_COMMAND_HANDLERS: Type[] = [
  ConfirmPartialHandler,
  RevertPartialHandler,
  RecordMembershipHandler,
  DetectRewardHandler,
  AbsorbRewardHandler,
  RevertRewardHandler,
  RecordReorgHandler,
  PausePayoutsHandler,
  ResumePayoutsHandler,
  PlanPayoutHandler,
  RecordPayoutSignedHandler,
  RecordPayoutFeeBumpedHandler,
  ResolvePayoutHandler,
  RecordPayoutSentHandler,
  RecordPayoutConfirmedHandler,
  RecordPayoutFailedHandler,
];

/** What the api dispatches (its operator endpoints): the payout switches, nothing of the pool loops. */
export const PAYOUTS_CONTROL_HANDLERS: Type[] = [PausePayoutsHandler, ResumePayoutsHandler];

@Module({})
export class LedgerCommandsModule {
  /** The handlers (all, or those named), for an app that provides EVENT_STORE and COMMAND_RUNNER and imports CqrsModule. */
  static handlers(handlers: readonly Type[] = LEDGER_COMMAND_HANDLERS): DynamicModule {
    return { module: LedgerCommandsModule, providers: [...handlers], exports: [] };
  }

  /**
   * A bus of its own over one store, for a process that is not an app (a poolctl command, a test): CqrsModule, the
   * store, a command runner and every handler. Build it with `NestFactory.createApplicationContext` and take
   * `CommandBus` from it.
   */
  static forStore(store: EventStore, extra: Provider[] = []): DynamicModule {
    return {
      module: LedgerCommandsModule,
      imports: [CqrsModule.forRoot()],
      providers: [{ provide: EVENT_STORE, useValue: store }, { provide: COMMAND_RUNNER, useValue: new StreamCommandRunner(store) }, ...extra, ...LEDGER_COMMAND_HANDLERS],
    };
  }
}
