import { abortableSleep } from './abortable-sleep';

/**
 * The shape of every pool loop: run `work`, wait `intervalMs` (cut short when `signal` aborts), again, until the
 * signal aborts. The wait starts after a run ends, so a slow run is never overlapped by the next one.
 *
 * A run that throws is handed to `onError` and the loop goes on (the next run is the retry). Without `onError` the
 * first failure ends the loop: the returned promise rejects with it.
 */
export async function runEvery(intervalMs: number, signal: AbortSignal, work: () => unknown, onError?: (error: unknown) => void): Promise<void> {
  while (!signal.aborted) {
    try {
      await work();
    } catch (error) {
      if (onError === undefined) throw error;
      onError(error);
    }
    await abortableSleep(intervalMs, signal);
  }
}
