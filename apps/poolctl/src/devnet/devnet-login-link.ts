import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getCurrentAuthenticationToken, type BlsBackend } from '@pool/chia';
import { devnetFarmerSeed, devnetLoginKeys, loginLink } from '@pool/devnet';
import { farmerStream, type FarmerEvent } from '@pool/domain';
import { StreamNotFoundError, type EventStore } from '@pool/event-sourcing';

/** What a running devnet leaves in its data directory for `poolctl devnet login-link`: where it is, and its clock. */
export const DEVNET_CLOCK_FILE = 'devnet-clock.json';

export interface DevnetClockNote {
  /** The pool's URL as the farmers (and a person) reach it. */
  poolUrl: string;
  /** Devnet time runs this many times faster than real time, from this pair of readings. */
  speed: number;
  realMs: number;
  devnetMs: number;
  pid: number;
}

/** Writes the note (replacing one a killed run left); the returned function removes it again when the run stops. */
export function writeDevnetClock(dataDir: string, note: DevnetClockNote): () => void {
  const file = join(dataDir, DEVNET_CLOCK_FILE);
  writeFileSync(file, `${JSON.stringify(note, null, 2)}\n`);
  return () => rmSync(file, { force: true });
}

export function readDevnetClock(dataDir: string): DevnetClockNote | undefined {
  try {
    return JSON.parse(readFileSync(join(dataDir, DEVNET_CLOCK_FILE), 'utf8')) as DevnetClockNote;
  } catch {
    return undefined;
  }
}

/**
 * The devnet's time now (unix seconds). It runs faster than the wall clock, and the pool judges a link's time token
 * by it, so a link signed at wall-clock time would be refused as stale after a few minutes of a devnet run.
 */
export function devnetNow(note: DevnetClockNote, realNowMs: number = Date.now()): number {
  return (note.devnetMs + (realNowMs - note.realMs) * note.speed) / 1000;
}

export interface DevnetLoginLinkOptions {
  store: Pick<EventStore, 'readStream'>;
  bls: BlsBackend;
  launcherId: string;
  poolUrl: string;
  /** Unix seconds on the pool's clock (the devnet's). */
  now: number;
  /** How many devnet farmer seeds to try (farmer 0, 1, ...). */
  seeds: number;
}

/**
 * The login link a devnet farmer's `chia plotnft get_login_link` would print for its plot NFT: the farmer is found by
 * the authentication key the ledger holds for the launcher (FarmerRegistered, then any FarmerUpdated that replaced
 * it) among the keys of the devnet's seeds; the target puzzle hash and token timeout come from the pool's
 * /pool_info, as a farmer's do.
 */
export async function devnetLoginLink(options: DevnetLoginLinkOptions): Promise<string> {
  const { launcherId, seeds } = options;
  const registered = await registeredKey(options.store, launcherId);
  const key = Array.from({ length: seeds }, (_, i) => devnetLoginKeys(options.bls, devnetFarmerSeed(i)))
    .flat()
    .find((k) => k.protocol === registered.protocol && k.authenticationPublicKey === registered.key);
  if (key === undefined) {
    throw new Error(`launcher ${launcherId} is registered with an authentication key none of the first ${seeds} devnet farmers holds: only farmers the devnet simulates can be logged in from here`);
  }
  const response = await fetch(`${options.poolUrl.replace(/\/+$/, '')}/pool_info`);
  if (!response.ok) throw new Error(`GET ${options.poolUrl}/pool_info answered ${response.status}: is the devnet pool running there?`);
  const info = (await response.json()) as { target_puzzle_hash: string; authentication_token_timeout: number };
  const token = getCurrentAuthenticationToken(info.authentication_token_timeout, Math.floor(options.now));
  return loginLink({ poolUrl: options.poolUrl, launcherId, targetPuzzleHash: info.target_puzzle_hash, token, key });
}

async function registeredKey(store: Pick<EventStore, 'readStream'>, launcherId: string): Promise<{ key: string; protocol: 1 | 2 }> {
  let events: { type: string; data: unknown }[] = [];
  try {
    events = await store.readStream(farmerStream(launcherId));
  } catch (error) {
    if (!(error instanceof StreamNotFoundError)) throw error;
  }
  let found: { key: string; protocol: 1 | 2 } | undefined;
  for (const event of events as FarmerEvent[]) {
    if (event.type === 'FarmerRegistered') found = { key: event.data.authenticationPublicKey, protocol: event.data.protocolVersion };
    else if (event.type === 'FarmerUpdated' && found !== undefined && event.data.authenticationPublicKey !== undefined) found = { ...found, key: event.data.authenticationPublicKey };
  }
  if (found === undefined) throw new Error(`unknown farmer ${launcherId}: the ledger has no registration of this launcher id`);
  return found;
}
