import { Command } from '@nestjs/cqrs';

/** A farmer's changes from its settings page; a field left out is left as it is (null: back to none / the pool's). */
export interface FarmerSettingsChange {
  displayName?: string | null;
  minimumPayout?: bigint | null;
}

export class UpdateFarmerSettingsCommand extends Command<void> {
  constructor(
    readonly launcherId: string,
    readonly change: FarmerSettingsChange,
  ) {
    super();
  }
}
