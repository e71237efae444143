import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { type FullNodeRpc, type RecentSignagePointOrEos, type SignagePointOrEosQuery } from '@pool/chia';
import { type PoolConfig } from '@pool/config';
import { abortableSleep, CHAIN, POOL_CONFIG } from '@pool/runtime';

export type SignagePointLookup = Pick<FullNodeRpc, 'getRecentSignagePointOrEos'>;

/**
 * Real milliseconds between two looks for a signage point the node does not know yet. Farmers hear of a signage
 * point from their own node and often send a partial before the pool's node has it; pool-reference
 * (pool/pool.py, process_partial) looks once more after 10 s. Looking every second answers as soon as the point
 * arrives instead of 10 s later, for the same total wait (PoolSettings.signagePointWaitSeconds).
 */
export const SIGNAGE_POINT_LOOK_INTERVAL_MS = 1000;

/**
 * Real milliseconds a point the node knows is answered from memory. A pool's partials for one signage point arrive
 * over a second or two, and without it each that arrived after the last look's answer cost an RPC of its own (a third
 * of all partials under bench:load's steady load). A point the node marks reverted within this time still answers as
 * it was, as it would have for a partial that came a moment earlier: the settlement (PartialConfirmer) reverts a
 * partial whose signage point is reverted when it confirms.
 */
export const FOUND_POINT_MEMORY_MS = 1000;

export interface WaitingLookupOptions {
  /** Looks after the first one that found nothing; each is `intervalMs` after the one before. */
  retries: number;
  intervalMs: number;
  /** Ends every wait at once (the app is closing): waiters are told "not found". */
  signal: AbortSignal;
  /** How long a point found is answered without asking the node (FOUND_POINT_MEMORY_MS); 0 asks every time. */
  rememberFoundMs?: number;
  /** Injected by unit tests, which must not sleep for real, nor wait for real time to pass. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  now?: () => number;
}

interface Waiter {
  /** Looks this waiter still takes part in; it is told "not found" when none is left. */
  looksLeft: number;
  resolve(seen: RecentSignagePointOrEos | null): void;
  reject(error: unknown): void;
}

/**
 * Looks up signage points (or ends of sub-slot) for partials, sharing both the RPC call and the wait: every
 * farmer's partials for a signage point arrive within seconds of each other, so all partials waiting for the same
 * point take part in ONE loop of looks, one RPC per round however many wait. Each partial waits its own full budget
 * (`retries` looks after the first) from when it joined: one that joins late keeps the loop going for itself. A
 * point found answers every waiter at once, and the partials that ask for it within `rememberFoundMs`; an RPC
 * failure fails every waiter (as a single lookup would have). "Not found" is never remembered.
 */
export function waitingSignagePointLookups(chain: SignagePointLookup, options: WaitingLookupOptions): SignagePointLookup {
  const sleep = options.sleep ?? abortableSleep;
  const now = options.now ?? (() => performance.now());
  const rememberFoundMs = options.rememberFoundMs ?? FOUND_POINT_MEMORY_MS;
  const loops = new Map<string, Waiter[]>();
  /** Points found, oldest first (a point found again moves to the end). */
  const found = new Map<string, { seen: RecentSignagePointOrEos; at: number }>();

  function remember(key: string, seen: RecentSignagePointOrEos): void {
    if (rememberFoundMs <= 0) return;
    const at = now();
    found.delete(key);
    found.set(key, { seen, at });
    for (const [oldest, entry] of found) {
      if (at - entry.at < rememberFoundMs) break;
      found.delete(oldest);
    }
  }

  function remembered(key: string): RecentSignagePointOrEos | undefined {
    const entry = found.get(key);
    return entry !== undefined && now() - entry.at < rememberFoundMs ? entry.seen : undefined;
  }

  async function lookAgainAndAgain(key: string, query: SignagePointOrEosQuery, waiters: Waiter[]): Promise<void> {
    try {
      for (;;) {
        const seen = await chain.getRecentSignagePointOrEos(query);
        if (seen !== null) {
          remember(key, seen);
          for (const waiter of waiters.splice(0)) waiter.resolve(seen);
          return;
        }
        const stillWaiting: Waiter[] = [];
        for (const waiter of waiters.splice(0)) {
          waiter.looksLeft -= 1;
          if (waiter.looksLeft > 0 && !options.signal.aborted) stillWaiting.push(waiter);
          else waiter.resolve(null);
        }
        waiters.push(...stillWaiting);
        if (waiters.length === 0) return;
        await sleep(options.intervalMs, options.signal);
        if (options.signal.aborted) {
          for (const waiter of waiters.splice(0)) waiter.resolve(null);
          return;
        }
      }
    } catch (error) {
      for (const waiter of waiters.splice(0)) waiter.reject(error);
    } finally {
      // Synchronously after the last answer: a partial arriving from now on starts a fresh loop.
      loops.delete(key);
    }
  }

  return {
    getRecentSignagePointOrEos(query) {
      const key = 'spHash' in query ? `sp:${query.spHash}` : `eos:${query.challengeHash}`;
      const known = remembered(key);
      if (known !== undefined) return Promise.resolve(known);
      return new Promise((resolve, reject) => {
        const waiter: Waiter = { looksLeft: 1 + options.retries, resolve, reject };
        const running = loops.get(key);
        if (running !== undefined) {
          running.push(waiter);
          return;
        }
        const waiters = [waiter];
        loops.set(key, waiters);
        void lookAgainAndAgain(key, query, waiters);
      });
    },
  };
}

/**
 * The api's signage point lookups for partials: waits up to `signagePointWaitSeconds` for a point the node does
 * not know yet, shared by all partials of that point. The waits end when the app starts closing (before the HTTP
 * server drains its requests, which would otherwise wait for them), answering "not found".
 */
@Injectable()
export class SignagePointLookups implements SignagePointLookup, BeforeApplicationShutdown {
  private readonly closing = new AbortController();
  private readonly lookups: SignagePointLookup;

  constructor(@Inject(CHAIN) chain: FullNodeRpc, @Inject(POOL_CONFIG) config: PoolConfig) {
    this.lookups = waitingSignagePointLookups(chain, {
      retries: Math.ceil((config.settings.signagePointWaitSeconds * 1000) / SIGNAGE_POINT_LOOK_INTERVAL_MS),
      intervalMs: SIGNAGE_POINT_LOOK_INTERVAL_MS,
      signal: this.closing.signal,
    });
  }

  getRecentSignagePointOrEos(query: SignagePointOrEosQuery): Promise<RecentSignagePointOrEos | null> {
    return this.lookups.getRecentSignagePointOrEos(query);
  }

  beforeApplicationShutdown(): void {
    this.closing.abort();
  }
}
