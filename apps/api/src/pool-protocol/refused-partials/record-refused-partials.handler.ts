import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { refusalStream, type PartialRefused } from '@pool/domain';
import { type EventStore } from '@pool/event-sourcing';
import { EVENT_STORE } from '@pool/runtime';
import { FarmerRecords } from '../authentication/farmer-records';
import { RecordRefusedPartialsCommand, type RecordRefusedPartialsResult } from './record-refused-partials.command';
import { type RefusedPartialData } from './refused-partial';

/**
 * One append per farmer, at any revision: a refusal log records what happened and decides nothing, so there is no
 * state to read first and two replicas appending at once are both right. Random event ids: nothing retries these.
 */
@CommandHandler(RecordRefusedPartialsCommand)
export class RecordRefusedPartialsHandler implements ICommandHandler<RecordRefusedPartialsCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly records: FarmerRecords,
  ) {}

  async execute({ refusals }: RecordRefusedPartialsCommand): Promise<RecordRefusedPartialsResult> {
    const result: RecordRefusedPartialsResult = { recorded: 0, unregistered: 0 };
    for (const [launcherId, own] of byLauncher(refusals)) {
      // An unknown launcher's garbage is nobody's to see, and must not grow the ledger.
      if ((await this.records.state(launcherId)).status !== 'registered') {
        result.unregistered += own.length;
        continue;
      }
      const events: PartialRefused[] = own.map((data) => ({ type: 'PartialRefused', data }));
      await this.store.append(
        refusalStream(launcherId),
        events.map((event) => ({ id: randomUUID(), type: event.type, data: event.data })),
        { expectedRevision: 'any' },
      );
      result.recorded += own.length;
    }
    return result;
  }
}

function byLauncher(refusals: readonly RefusedPartialData[]): Map<string, RefusedPartialData[]> {
  const groups = new Map<string, RefusedPartialData[]>();
  for (const refusal of refusals) {
    const group = groups.get(refusal.launcherId);
    if (group) group.push(refusal);
    else groups.set(refusal.launcherId, [refusal]);
  }
  return groups;
}
