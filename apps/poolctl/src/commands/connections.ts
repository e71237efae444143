import type { Command } from 'commander';
import { openEventStore, type EventStore } from '@pool/event-store';
import { ReadModelDatabase } from '@pool/read-models';
import { loadPoolConfig, type PoolConfig } from '@pool/config';

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
