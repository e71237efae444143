import { availableParallelism } from 'node:os';
import { type PartialCryptoJob, type PartialCryptoResult, type PartialCryptoVerifier } from './partial-crypto';

/**
 * Jobs each crypto thread may have waiting or in hand. A job costs about 3.5 ms of thread time, so 512 of them are
 * under 2 s of work: a burst of every farmer's partials at one signage point fits, a flood does not pile up behind it.
 */
export const OUTSTANDING_JOBS_PER_THREAD = 512;

/** The default bound: OUTSTANDING_JOBS_PER_THREAD for each core the worker pool sizes itself to. */
export function defaultMaxOutstandingJobs(): number {
  return OUTSTANDING_JOBS_PER_THREAD * Math.max(1, availableParallelism());
}

/** verify() refused the job without running it: the bound was reached. Nothing about the job was judged. */
export class PartialCryptoBusyError extends Error {
  constructor(readonly outstanding: number) {
    super(`the partial verifier already has ${outstanding} jobs waiting or running`);
    this.name = 'PartialCryptoBusyError';
  }
}

/**
 * A verifier that refuses new jobs while `maxOutstanding` are waiting or running in the one it wraps. The worker
 * pool queues whatever it is given (a queue that grows with a flood delays every honest partial behind it and holds
 * memory without limit); refusing at the door keeps the wait, and the memory, bounded for everyone, and costs the
 * refused caller nothing but an answer.
 */
export class BoundedPartialCrypto implements PartialCryptoVerifier {
  private outstanding = 0;

  constructor(
    private readonly inner: PartialCryptoVerifier,
    readonly maxOutstanding: number = defaultMaxOutstandingJobs(),
  ) {
    if (!(maxOutstanding >= 1)) throw new RangeError('the partial verifier needs room for at least one job');
  }

  verify(job: PartialCryptoJob): Promise<PartialCryptoResult> {
    if (this.outstanding >= this.maxOutstanding) return Promise.reject(new PartialCryptoBusyError(this.outstanding));
    this.outstanding += 1;
    let inner: Promise<PartialCryptoResult>;
    try {
      inner = this.inner.verify(job);
    } catch (error) {
      this.outstanding -= 1;
      return Promise.reject(error as Error);
    }
    return inner.finally(() => {
      this.outstanding -= 1;
    });
  }

  /** Jobs waiting or running now (for tests and diagnostics). */
  get pending(): number {
    return this.outstanding;
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
