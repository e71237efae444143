import { Command } from '@nestjs/cqrs';
import { type RefusedPartialData } from './refused-partial';

/** What a batch of refusals came to: kept in farmers' logs, or not kept because their launcher is not registered. */
export interface RecordRefusedPartialsResult {
  recorded: number;
  unregistered: number;
}

/** Keep refused partials in their farmers' refusal logs (`refusals-<launcherId>`), registered farmers only. */
export class RecordRefusedPartialsCommand extends Command<RecordRefusedPartialsResult> {
  constructor(readonly refusals: readonly RefusedPartialData[]) {
    super();
  }
}
