import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { type Worker } from 'node:worker_threads';
import { type BlsBackendName } from '@pool/chia';
import { type PartialCryptoJob, type PartialCryptoResult, type PartialCryptoVerifier } from './partial-crypto';
import { packJobs, unpackResults, type WorkerReply, type WorkerRequest } from './worker-messages';
import { startWorker } from '@pool/runtime';

export interface WorkerPoolOptions {
  /** Threads; defaults to the cores this process may use. */
  size?: number;
  /** Most jobs handed to one worker at once: bigger batches save final exponentiations, smaller ones latency. */
  maxBatch?: number;
  /**
   * Fewer jobs than this wait up to `gatherMs` for company before a thread takes them (see DEFAULT_GATHER): a
   * batch of one costs 1.47x a partial's share of a big batch.
   */
  minBatch?: number;
  gatherMs?: number;
  /** Forces a BLS backend in the workers; by default each loads native blst, falling back to WASM. */
  blsBackend?: BlsBackendName;
  /** Where worker notices go (a backend fallback, a crashed thread); defaults to console.warn. */
  log?: (message: string) => void;
}

/** Counters for benchmarks and health pages. */
export interface WorkerPoolStats {
  jobs: number;
  batches: number;
  /** Thread time spent on signatures and on proofs, summed over workers, in ms. */
  signatureMs: number;
  proofMs: number;
}

interface Pending {
  job: PartialCryptoJob;
  /** performance.now() when it was queued. */
  queuedAt: number;
  resolve(result: PartialCryptoResult): void;
  reject(error: Error): void;
}

interface PoolWorker {
  thread: Worker;
  ready: boolean;
  /** The BLS backend the thread loaded (its 'ready' reply), e.g. native or wasm after a fallback. */
  backend?: string;
  inFlight?: { batch: number; pending: Pending[] };
}

const WORKER_SCRIPT = join(__dirname, 'partial-crypto.worker');
/** Most jobs one thread verifies as one batch, unless told otherwise (WorkerPoolOptions.maxBatch). */
export const DEFAULT_CRYPTO_BATCH = 64;
/**
 * How long a few jobs wait for more before a thread takes them. A batch's fixed cost (its final exponentiation and
 * a thread's wake-up, about 0.46 ms with native blst) is paid once per batch: one partial alone costs 1.44 ms, one of
 * 64 costs 0.98 ms (`npm run bench:chia`). Under a steady load below saturation the threads are often idle, so
 * without waiting every partial went alone and the process spent 1.35x the CPU per partial it spends at
 * saturation, which queued the load it was meant to absorb. 4 ms is little beside a farmer's round trip, and
 * at 900 partials a second it gathers about 4 partials a batch; a queue already this long goes at once.
 */
export const DEFAULT_GATHER = { minBatch: 8, gatherMs: 4 };

/**
 * Partial crypto on worker threads, so the event loop never does a pairing. Jobs that arrive in the same turn
 * of the event loop, or while every worker is busy, queue up and go to the next free worker as one batch
 * (one `verifyBatch` per batch). Threads start on the first job and idle without holding the process open.
 */
export class WorkerPoolPartialVerifier implements PartialCryptoVerifier {
  private readonly size: number;
  private readonly maxBatch: number;
  private readonly log: (message: string) => void;
  private readonly workers: PoolWorker[] = [];
  private readonly queue: Pending[] = [];
  private readonly running = new Set<Worker>();
  private dispatchScheduled = false;
  /** Set while a few queued jobs wait for company (DEFAULT_GATHER). */
  private gatherTimer: NodeJS.Timeout | undefined;
  private readonly minBatch: number;
  private readonly gatherMs: number;
  private closed = false;
  private nextBatch = 1;
  private readonly counters: WorkerPoolStats = { jobs: 0, batches: 0, signatureMs: 0, proofMs: 0 };

  constructor(private readonly options: WorkerPoolOptions = {}) {
    this.size = Math.max(1, options.size ?? availableParallelism());
    this.maxBatch = Math.max(1, options.maxBatch ?? DEFAULT_CRYPTO_BATCH);
    this.minBatch = Math.min(this.maxBatch, Math.max(1, options.minBatch ?? DEFAULT_GATHER.minBatch));
    this.gatherMs = Math.max(0, options.gatherMs ?? DEFAULT_GATHER.gatherMs);
    this.log = options.log ?? console.warn;
  }

  verify(job: PartialCryptoJob): Promise<PartialCryptoResult> {
    if (this.closed) return Promise.reject(new Error('the partial verifier is closed'));
    return new Promise<PartialCryptoResult>((resolve, reject) => {
      this.queue.push({ job, queuedAt: performance.now(), resolve, reject });
      this.startThreads();
      this.scheduleDispatch();
    });
  }

  /** Starts the threads now instead of on the first job, and resolves once every one has loaded BLS. */
  async warmUp(): Promise<void> {
    this.startThreads();
    await Promise.all(
      this.workers.map(
        (worker) =>
          worker.ready ||
          new Promise<void>((resolve, reject) => {
            const onMessage = (reply: WorkerReply): void => {
              if (reply.type === 'ready') done(resolve);
              if (reply.type === 'fatal') done(() => reject(new Error(reply.message)));
            };
            const onExit = (): void => done(() => reject(new Error('a crypto worker exited while starting')));
            const done = (then: () => void): void => {
              worker.thread.off('message', onMessage);
              worker.thread.off('exit', onExit);
              then();
            };
            worker.thread.on('message', onMessage);
            worker.thread.on('exit', onExit);
          }),
      ),
    );
  }

  stats(): WorkerPoolStats {
    return { ...this.counters };
  }

  /** The BLS backend of each started thread, so a silent fallback to WASM (about 7x slower) is visible. */
  backends(): string[] {
    return this.workers.flatMap((worker) => (worker.backend === undefined ? [] : [worker.backend]));
  }

  /** Threads started and not yet exited (for tests and diagnostics). */
  runningThreads(): number {
    return this.running.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.gatherTimer);
    const closing = new Error('the partial verifier is closed');
    for (const pending of this.queue.splice(0)) pending.reject(closing);
    const workers = this.workers.splice(0);
    for (const worker of workers) worker.inFlight?.pending.forEach((pending) => pending.reject(closing));
    await Promise.all(workers.map((worker) => worker.thread.terminate()));
  }

  private startThreads(): void {
    while (!this.closed && this.workers.length < this.size) this.workers.push(this.spawn());
  }

  private spawn(): PoolWorker {
    const thread = startWorker(WORKER_SCRIPT, { workerData: { blsBackend: this.options.blsBackend } });
    const worker: PoolWorker = { thread, ready: false };
    this.running.add(thread);
    thread.on('message', (reply: WorkerReply) => this.onReply(worker, reply));
    thread.on('error', (error) => this.retire(worker, error));
    thread.on('exit', (code) => {
      this.running.delete(thread);
      this.retire(worker, new Error(`a crypto worker exited with code ${code}`));
    });
    return worker;
  }

  private onReply(worker: PoolWorker, reply: WorkerReply): void {
    switch (reply.type) {
      case 'ready':
        worker.ready = true;
        worker.backend = reply.backend;
        // Held open while starting (someone may be awaiting warmUp) and while busy, not while idle.
        if (worker.inFlight === undefined) worker.thread.unref();
        this.dispatch();
        return;
      case 'log':
        this.log(reply.message);
        return;
      case 'fatal':
        this.retire(worker, new Error(`a crypto worker could not start: ${reply.message}`));
        void worker.thread.terminate();
        return;
      case 'results':
      case 'failed': {
        const inFlight = worker.inFlight;
        if (inFlight === undefined || inFlight.batch !== reply.batch) return;
        worker.inFlight = undefined;
        worker.thread.unref();
        if (reply.type === 'results') {
          const results = unpackResults(reply.results);
          if (results.length === inFlight.pending.length) {
            this.counters.signatureMs += reply.signatureMs;
            this.counters.proofMs += reply.proofMs;
            inFlight.pending.forEach((pending, i) => pending.resolve(results[i]!));
          } else {
            const error = new Error(`a crypto worker answered ${results.length} results for ${inFlight.pending.length} jobs`);
            inFlight.pending.forEach((pending) => pending.reject(error));
          }
        } else {
          const error = new Error(`partial crypto failed in a worker: ${reply.message}`);
          inFlight.pending.forEach((pending) => pending.reject(error));
        }
        this.dispatch();
        return;
      }
    }
  }

  /** A thread that failed or exited: its jobs fail, and another thread replaces it unless it never started. */
  private retire(worker: PoolWorker, error: Error): void {
    const index = this.workers.indexOf(worker);
    if (index === -1) return;
    this.workers.splice(index, 1);
    worker.inFlight?.pending.forEach((pending) => pending.reject(error));
    worker.inFlight = undefined;
    if (this.closed) return;
    this.log(`[crypto] ${error.message}`);
    if (worker.ready) {
      this.startThreads();
    } else if (this.workers.length === 0) {
      // Nothing can load: fail what waits rather than respawning forever.
      for (const pending of this.queue.splice(0)) pending.reject(error);
    }
  }

  private scheduleDispatch(): void {
    if (this.dispatchScheduled) return;
    this.dispatchScheduled = true;
    // Wait for the rest of this turn's requests so they can share a batch.
    setImmediate(() => {
      this.dispatchScheduled = false;
      this.dispatch();
    });
  }

  private dispatch(): void {
    const idle = this.workers.filter((worker) => worker.ready && worker.inFlight === undefined);
    const oldest = this.queue[0];
    if (idle.length === 0 || oldest === undefined) return;
    const waited = performance.now() - oldest.queuedAt;
    if (this.queue.length < this.minBatch && waited < this.gatherMs) return this.dispatchAfter(this.gatherMs - waited);
    for (let i = 0; i < idle.length && this.queue.length > 0; i++) {
      // Share what is queued among the idle workers rather than giving it all to the first, down to minBatch each.
      const take = Math.min(this.maxBatch, Math.max(this.minBatch, Math.ceil(this.queue.length / (idle.length - i))));
      this.send(idle[i]!, this.queue.splice(0, take));
    }
  }

  private dispatchAfter(ms: number): void {
    if (this.gatherTimer !== undefined) return;
    this.gatherTimer = setTimeout(() => {
      this.gatherTimer = undefined;
      this.dispatch();
    }, Math.ceil(ms));
  }

  private send(worker: PoolWorker, pending: Pending[]): void {
    const batch = this.nextBatch++;
    worker.inFlight = { batch, pending };
    worker.thread.ref();
    this.counters.jobs += pending.length;
    this.counters.batches += 1;
    const jobs = packJobs(pending.map((p) => p.job));
    worker.thread.postMessage({ batch, jobs } satisfies WorkerRequest, [jobs.buffer]);
  }
}
