import { NotFoundException } from '@nestjs/common';
import { isKnownFarmer } from '@pool/projections';
import type { ReadModelDatabase } from '@pool/read-models';

/** The 404 of every farmer page for a launcher the projections have never seen. */
export function unknownFarmer(launcherId: string): NotFoundException {
  return new NotFoundException(`no farmer with launcher id ${launcherId} is known to the pool`);
}

export async function assertKnownFarmer(readModels: ReadModelDatabase, launcherId: string): Promise<void> {
  if (!(await isKnownFarmer(readModels, launcherId))) throw unknownFarmer(launcherId);
}
