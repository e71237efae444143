import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { farmerDecider, farmerStream, type FarmerEvent } from '@pool/domain';
import { type StreamCommandRunner } from '@pool/event-sourcing';
import { COMMAND_RUNNER } from '@pool/runtime';
import { RecordMembershipCommand } from './record-membership.command';

@CommandHandler(RecordMembershipCommand)
export class RecordMembershipHandler implements ICommandHandler<RecordMembershipCommand> {
  constructor(@Inject(COMMAND_RUNNER) private readonly runner: StreamCommandRunner) {}

  /**
   * No idempotency key: the decider records a change only when the membership differs from the farmer's state, so
   * a retried check that already landed records nothing. The farmer's stream is read through the runner's cache
   * (the trackers look at every farmer on every check).
   */
  async execute({ membership }: RecordMembershipCommand): Promise<FarmerEvent[]> {
    const { events } = await this.runner.run(farmerStream(membership.launcherId), farmerDecider, { type: 'RecordMembership', ...membership });
    return events;
  }
}
