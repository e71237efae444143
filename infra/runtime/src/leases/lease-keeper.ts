import { performance } from 'node:perf_hooks';
import { abortableSleep } from '../abortable-sleep';
import { type LeaseStore } from './sql-lease.store';

export interface LeaseLogger {
  log(message: string): void;
  warn(message: string): void;
}

export interface LeaseKeeperOptions {
  store: LeaseStore;
  /** The lease's name: one per set of work that must run in one place (here: the pool loops). */
  name: string;
  /** This instance (host, pid and a random part: two processes never share it). */
  holder: string;
  /** How long a grant lasts without renewal. */
  ttlMs: number;
  /** Renewal period; well within the ttl so one slow renewal does not lose the lease. Default ttl / 4. */
  renewEveryMs?: number;
  /** How often an instance without the lease tries to take it. Default ttl / 2. */
  retryEveryMs?: number;
  /**
   * The work stops this long before the grant would expire when renewals have not come through, so it has
   * stopped before any other instance can take over. Default ttl / 5.
   */
  safetyMarginMs?: number;
  logger?: LeaseLogger;
}

/**
 * Runs work only while this instance holds the lease. Without it: no work, and a retry every `retryEveryMs`.
 * With it: renew every `renewEveryMs`; the work gets its own abort signal, aborted when a renewal is refused,
 * or when no renewal has succeeded by (start of the last successful renewal + ttl - safety margin) on this
 * process's monotonic clock. The grant was made no earlier than that start, so the work is told to stop
 * before the row can expire for anyone else. Work already in flight (an append) may still land after that;
 * every loop command is idempotent and appends at an expected revision, so such a straggler cannot double
 * count. The lease is released when the keeper's own signal aborts.
 */
export class LeaseKeeper {
  private held = false;
  private epoch = 0;

  constructor(private readonly options: LeaseKeeperOptions) {}

  get isHolder(): boolean {
    return this.held;
  }

  get currentEpoch(): number {
    return this.epoch;
  }

  async run(signal: AbortSignal, work: (signal: AbortSignal) => Promise<unknown>): Promise<void> {
    const { ttlMs } = this.options;
    const retryEvery = this.options.retryEveryMs ?? Math.floor(ttlMs / 2);
    while (!signal.aborted) {
      const started = performance.now();
      if (await this.tryAcquire(signal)) {
        await this.hold(signal, work, started);
        if (signal.aborted) break;
      }
      await abortableSleep(retryEvery, signal);
    }
    this.held = false;
    await this.options.store.release(this.options.name, this.options.holder).catch(() => undefined);
  }

  /** One attempt; a database call that hangs counts as a refusal once `signal` aborts. */
  private async tryAcquire(signal: AbortSignal): Promise<boolean> {
    try {
      const grant = await untilAborted(this.options.store.acquire(this.options.name, this.options.holder, this.options.ttlMs), signal);
      if (grant === undefined) return false;
      this.epoch = grant.epoch;
      return grant.held;
    } catch (error) {
      this.options.logger?.warn(`lease ${this.options.name}: ${(error as Error).message}`);
      return false;
    }
  }

  /** Runs the work while renewals succeed; returns once the work has stopped. */
  private async hold(signal: AbortSignal, work: (signal: AbortSignal) => Promise<unknown>, grantedAt: number): Promise<void> {
    const { ttlMs, name, logger } = this.options;
    const renewEvery = this.options.renewEveryMs ?? Math.floor(ttlMs / 4);
    const margin = this.options.safetyMarginMs ?? Math.floor(ttlMs / 5);
    const controller = new AbortController();
    const stop = (): void => controller.abort();
    signal.addEventListener('abort', stop, { once: true });
    let deadline: NodeJS.Timeout | undefined;
    const armDeadline = (from: number): void => {
      clearTimeout(deadline);
      const left = from + ttlMs - margin - performance.now();
      deadline = setTimeout(() => {
        if (!controller.signal.aborted) logger?.warn(`lease ${name}: no renewal in time; stopping the work before the lease can pass on`);
        controller.abort();
      }, Math.max(0, left));
    };
    this.held = true;
    armDeadline(grantedAt);
    logger?.log(`lease ${name}: held by ${this.options.holder} (epoch ${this.epoch})`);
    const working = work(controller.signal)
      .catch((error: unknown) => logger?.warn(`lease ${name}: work failed: ${(error as Error).stack ?? String(error)}`))
      // Work that ends by itself gives the lease up, so another instance can run it.
      .finally(() => {
        if (!controller.signal.aborted) void this.options.store.release(name, this.options.holder).catch(() => undefined);
        controller.abort();
      });
    try {
      while (!controller.signal.aborted) {
        await abortableSleep(renewEvery, controller.signal);
        if (controller.signal.aborted) break;
        const attempt = performance.now();
        if (await this.tryAcquire(controller.signal)) {
          if (!controller.signal.aborted) armDeadline(attempt);
        } else if (!controller.signal.aborted) {
          logger?.warn(`lease ${name}: lost; stopping the work`);
          controller.abort();
        }
      }
    } finally {
      clearTimeout(deadline);
      signal.removeEventListener('abort', stop);
      controller.abort();
      await working;
      this.held = false;
    }
  }
}

/** `promise`, or undefined as soon as `signal` aborts (the promise is left to settle on its own). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.resolve(undefined);
  }
  return new Promise<T | undefined>((resolve, reject) => {
    const onAbort = (): void => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
