import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { DEVNET_SPACE_CONSTANTS } from '@pool/domain';
import { allProjections, createProjections } from '@pool/projections';
import { type Projection } from '@pool/read-models';
import { openEventStore } from '@pool/event-store';
import { type EventStore } from '@pool/event-sourcing';
import { ReadModelDatabase } from '@pool/read-models';
import { loadPoolConfig, type PoolConfig } from '@pool/config';
import { DEVNET_CHIA_ROOT } from '../devnet/devnet-data-dir';

/** The pool config, with --event-store / --read-models taking precedence over the environment. */
export function configFrom(command: Command): PoolConfig {
  const options = command.optsWithGlobals<{ eventStore?: string; readModels?: string }>();
  const config = loadPoolConfig();
  return {
    ...config,
    eventStoreUrl: options.eventStore ?? config.eventStoreUrl,
    readModelsUrl: options.readModels ?? config.readModelsUrl,
  };
}

/**
 * The projections for these read models. Space estimates depend on the network's constants, so read models kept
 * beside a devnet run's certificates (a data directory `poolctl devnet run` has used) are rebuilt with the devnet's
 * constants, exactly as the run built them live; anything else is a real network's (mainnet constants).
 */
export function projectionsFor(config: Pick<PoolConfig, 'readModelsUrl'>): readonly Projection[] {
  const file = config.readModelsUrl.startsWith('sqlite:') ? config.readModelsUrl.slice('sqlite:'.length) : undefined;
  const devnet = file !== undefined && existsSync(join(dirname(file), DEVNET_CHIA_ROOT));
  return devnet ? createProjections({ space: DEVNET_SPACE_CONSTANTS }) : allProjections;
}

export async function withConnections<T>(
  config: PoolConfig,
  work: (store: EventStore, readModels: ReadModelDatabase) => Promise<T>,
): Promise<T> {
  const store = await openEventStore(config.eventStoreUrl);
  try {
    const readModels = await ReadModelDatabase.open(config.readModelsUrl);
    try {
      return await work(store, readModels);
    } finally {
      await readModels.close();
    }
  } finally {
    await store.close();
  }
}
