import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
/** Timing helpers shared by the benchmarks (figures are printed, never asserted). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Replaces `target[method]` (an async method) with itself timed: `record` gets, per call, the milliseconds until it
 * returned its promise (the work done synchronously on the caller's thread) and until that promise settled.
 */
export function timeMethod<T extends object>(target: T, method: keyof T & string, record: (syncMs: number, ms: number) => void): void {
  const original = (target[method] as (...args: unknown[]) => Promise<unknown>).bind(target);
  (target as Record<string, unknown>)[method] = async (...args: unknown[]) => {
    const start = performance.now();
    const pending = original(...args);
    const syncMs = performance.now() - start;
    try {
      return await pending;
    } finally {
      record(syncMs, performance.now() - start);
    }
  };
}

/** Wall time of one synchronous call, in milliseconds. */
export function timeMs(run: () => void): number {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/**
 * A full collection of this process's heap, now: what a bench's set-up left behind (the partials it generated, the
 * devnet's walk) is old-space garbage that V8 would otherwise collect whenever it chose, in one stop of 100-200 ms
 * in the middle of a measured set. Collected before measuring, the sets measure the api's own garbage only.
 */
export function collectSetUpGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}
