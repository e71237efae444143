import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { farmerStream } from '@pool/domain';
import type { Projection, ReadModelDatabase } from '@pool/read-models';
import type { ViewProjectionOptions } from '@pool/projections';
import { openEventStore } from '@pool/event-store';
import { StreamNotFoundError, type EventStore } from '@pool/event-sourcing';
import { loadPoolConfig, type PoolConfig } from '@pool/config';
import { redactUrl } from '../devnet/devnet-data-dir';
import { ledgerNetwork, type LedgerNetwork } from './ledger-network';

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
 * The projections as the live projector built them for this ledger. Space estimates depend on the network's
 * constants (the devnet run builds its read models with the devnet's), so they are chosen by the network the
 * ledger's own chain facts name (ledgerNetwork), wherever the read models are kept.
 */
export async function projectionsFor(
  store: Pick<EventStore, 'readAll'>,
): Promise<{ projections: readonly Projection[]; network: LedgerNetwork; options: ViewProjectionOptions }> {
  const network = await ledgerNetwork(store);
  // The read side (TypeORM and every projection) is loaded by the commands that use it, not by every command.
  const { allProjections, createProjections } = await import('@pool/projections');
  if (network.network === 'mainnet') return { projections: allProjections, network, options: {} };
  const options = { space: network.space };
  return { projections: createProjections(options), network, options };
}

/**
 * The ledger a read-only command reads: it must exist already (nothing is created, so a mistyped URL is an error
 * naming it, never a new empty ledger that passes every check).
 */
export function openLedgerForReading(url: string): Promise<EventStore> {
  return openEventStore(url, { readOnly: true });
}

/** Runs `work` on the ledger opened for reading, and closes it. */
export async function withLedger<T>(url: string, work: (store: EventStore) => Promise<T>): Promise<T> {
  const store = await openLedgerForReading(url);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/** A `--threads` option's parser: a whole number of at least `minimum`; `meaning` says what the smallest does. */
export function threadsOption(minimum: number, meaning: string): (value: string) => number {
  return (value) => {
    const threads = Number(value);
    if (!Number.isInteger(threads) || threads < minimum) throw new Error(`--threads takes a whole number of at least ${minimum} (${minimum}: ${meaning}), not ${value}`);
    return threads;
  };
}

/** The launcher id a person typed (0x and capitals allowed), or an error saying what was expected. */
export function parseLauncherId(typed: string): string {
  const id = typed.trim().toLowerCase().replace(/^0x/, '');
  if (!/^[0-9a-f]{64}$/.test(id)) throw new Error(`launcher id must be 32 bytes of hex, got ${typed}`);
  return id;
}

/** Has the ledger ever heard of this farmer: a registration (its farmer stream) or, failing that, any of its events? */
export async function farmerIsKnown(store: EventStore, launcherId: string, hasEvents: boolean): Promise<boolean> {
  if (hasEvents) return true;
  try {
    return (await store.readStream(farmerStream(launcherId), { maxCount: 1 })).length > 0;
  } catch (error) {
    if (error instanceof StreamNotFoundError) return false;
    throw error;
  }
}

export const unknownFarmer = (launcherId: string, url: string): Error =>
  new Error(`unknown farmer ${launcherId}: the ledger ${redactUrl(url)} has never seen this launcher id (no registration, no partial)`);

/**
 * The ledger (opened for reading: these commands never write it) and the read models. `readModelsMustExist`: for
 * commands that only look at the read models, a SQLite file that is not there is an error, not a new database.
 */
export async function withConnections<T>(
  config: PoolConfig,
  work: (store: EventStore, readModels: ReadModelDatabase) => Promise<T>,
  options: { readModelsMustExist?: boolean } = {},
): Promise<T> {
  if (options.readModelsMustExist === true) assertReadModelsExist(config.readModelsUrl);
  const store = await openLedgerForReading(config.eventStoreUrl);
  try {
    const { ReadModelDatabase } = await import('@pool/read-models');
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

function assertReadModelsExist(url: string): void {
  if (!url.startsWith('sqlite:')) return;
  const path = url.slice('sqlite:'.length);
  if (path !== ':memory:' && !existsSync(resolve(path))) {
    throw new Error(`no read models at ${resolve(path)}: the file does not exist (check the read-model URL, or run the pool or \`poolctl projections rebuild\` first)`);
  }
}
