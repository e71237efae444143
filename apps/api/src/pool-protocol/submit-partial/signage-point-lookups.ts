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

export interface WaitingLookupOptions {
  /** Looks after the first one that found nothing; each is `intervalMs` after the one before. */
  retries: number;
  intervalMs: number;
  /** Ends every wait at once (the app is closing): waiters are told "not found". */
  signal: AbortSignal;
  /** Injected by unit tests, which must not sleep for real. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
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
 * point found answers every waiter at once; an RPC failure fails every waiter (as a single lookup would have).
 * Nothing is kept once a loop ends, so an answer is never older than the round it came from.
 */
export function waitingSignagePointLookups(chain: SignagePointLookup, options: WaitingLookupOptions): SignagePointLookup {
  const sleep = options.sleep ?? abortableSleep;
  const loops = new Map<string, Waiter[]>();

  async function lookAgainAndAgain(key: string, query: SignagePointOrEosQuery, waiters: Waiter[]): Promise<void> {
    try {
      for (;;) {
        const seen = await chain.getRecentSignagePointOrEos(query);
        if (seen !== null) {
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
