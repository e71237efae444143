import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { apiProcessExecArgv, DEFAULT_CRYPTO_BATCH, partialCryptoJob, verifyPartialCryptoBatch, type PartialCryptoJob } from '@pool/api';
import { type BlsBackend, type PostPartialRequest } from '@pool/chia';
import { type RegisteredFarmer } from '@pool/domain';
import { processCpuMs } from './partials-scenario';
import { API_PROCESSES_JOB_VARIABLE, type ApiProcessesJob } from '../support/api-processes.child';

/**
 * Whether this process has the node flags the api's supervisor gives its processes (API_PROCESS_V8_FLAGS, a larger
 * young generation): an api run inside the bench's process is measured with them only if the bench was started with
 * them, as the npm scripts do.
 */
export function inProcessApiFlags(): string {
  const missing = apiProcessExecArgv(process.execArgv, process.env.NODE_OPTIONS).slice(process.execArgv.length);
  return missing.length === 0
    ? "the api in this process has the api processes' node flags"
    : `the api in this process lacks ${missing.join(' ')}, which the api's processes get (npm run bench:partials and bench:load pass it)`;
}

/** The api in processes of its own (test/support/api-processes.child.ts), as `node dist/apps/api/src/main.js` runs it. */
export interface BenchApi {
  url: string;
  /** The processes that serve requests (with their crypto threads), and the supervising primary if any. */
  pids: number[];
  /** CPU time (user + system, all threads) those processes have used so far, in ms. */
  cpuMs(): number;
  stop(): Promise<void>;
}

export async function startBenchApi(job: ApiProcessesJob & { port: number }): Promise<BenchApi> {
  const child: ChildProcess = fork(join(__dirname, '..', 'support', 'api-processes.child.js'), [], {
    env: { ...process.env, [API_PROCESSES_JOB_VARIABLE]: JSON.stringify(job) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`the bench api exited (${code}) before it was ready`))));
  const served = await Promise.race([
    new Promise<number[]>((resolve) => child.on('message', (message: { ready?: number | number[] }) => message.ready !== undefined && resolve([message.ready].flat()))),
    exited,
  ]);
  const pids = [...new Set([child.pid!, ...served])];
  return {
    url: `http://127.0.0.1:${job.port}`,
    pids,
    cpuMs: () => pids.reduce((sum, pid) => sum + (processCpuMs(pid) ?? 0), 0),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * The crypto bound: partial crypto (one batched BLS check per batch of DEFAULT_CRYPTO_BATCH, as the api's crypto threads batch at most, and
 * each proof of space) timed alone on this thread over `partials`; the machine's cores divided by that time per
 * partial is the most partials a second it could accept if the api did nothing else.
 */
export function measureCryptoBound(bls: BlsBackend, partials: { partial: PostPartialRequest; authenticationPublicKey: Uint8Array }[]): { msPerPartial: number; cores: number; partialsPerSecond: number } {
  const jobs: PartialCryptoJob[] = partials.map(({ partial, authenticationPublicKey }) =>
    partialCryptoJob(partial, { authenticationPublicKey: Buffer.from(authenticationPublicKey).toString('hex') } as RegisteredFarmer),
  );
  const batches = (): void => {
    for (let i = 0; i < jobs.length; i += DEFAULT_CRYPTO_BATCH) {
      const results = verifyPartialCryptoBatch(bls, jobs.slice(i, i + DEFAULT_CRYPTO_BATCH));
      if (results.some((r) => !r.signatureValid || !r.proof.valid)) throw new Error('a bench partial failed its crypto check');
    }
  };
  batches(); // warm-up: JIT and caches
  const started = performance.now();
  batches();
  const msPerPartial = (performance.now() - started) / jobs.length;
  const cores = availableParallelism();
  return { msPerPartial, cores, partialsPerSecond: (cores * 1000) / msPerPartial };
}
