/**
 * The api as several processes on one port over the devnet's node, for the partials bench and the failover e2e:
 * `node [-r register-typescript.js] api-processes.child.(js|ts)` with its job in API_PROCESSES_JOB (JSON, see
 * ApiProcessesJob). The primary supervises `processes` api processes with the supervisor
 * `node dist/apps/api/src/main.js` uses (node:cluster); each is createApiServer over the job's store and read models,
 * reaching the devnet node over its mutual-TLS RPC, with the devnet's consensus constants (main.js has mainnet's:
 * the devnet's k=18 plots are too small for them). Each process says `{ ready }` to the primary once it listens; the
 * primary says `{ ready: pids }` to its parent once all do. SIGTERM closes them.
 */
import 'reflect-metadata';
import cluster from 'node:cluster';
import { FullNodeRpcClient, loadBls } from '@pool/chia';
import { loadPoolConfig, type PoolConfig, type PoolSettings, type RateLimitSettings } from '@pool/config';
import { DEVNET_NETWORK, posConstantsFor } from '@pool/devnet';
import { openEventStore } from '@pool/event-store';
import { ReadModelDatabase } from '@pool/read-models';
import { createApiServer, cryptoThreadsPerProcess, rateLimitsPerProcess, superviseApiProcesses, WorkerPoolPartialVerifier } from '@pool/api';
import { exitApiOnSigterm } from './processes';

export interface ApiProcessesJob {
  processes: number;
  port: number;
  nodePort: number;
  chiaRoot: string;
  /** A pool.yaml to read (as main.js does); or, without one, the store URLs and settings below on the defaults. */
  configFile?: string;
  eventStoreUrl?: string;
  readModelsUrl?: string;
  /** Pool settings over the config's (the bench's pool target, say). */
  settings?: Partial<PoolSettings>;
  /** A pinned clock, unix seconds (the bench's partials were made at that time); the wall clock when absent. */
  now?: number;
  /** Pool-wide rate limits (shared out between the processes); the config's when absent. */
  rateLimits?: RateLimitSettings;
}

export const API_PROCESSES_JOB_VARIABLE = 'API_PROCESSES_JOB';

function configOf(job: ApiProcessesJob): PoolConfig {
  const base = job.configFile === undefined ? loadPoolConfig({}) : loadPoolConfig(process.env, job.configFile);
  return {
    ...base,
    ...(job.eventStoreUrl === undefined ? {} : { eventStoreUrl: job.eventStoreUrl }),
    ...(job.readModelsUrl === undefined ? {} : { readModelsUrl: job.readModelsUrl }),
    rateLimits: rateLimitsPerProcess(job.rateLimits ?? base.rateLimits, job.processes),
    settings: { ...base.settings, ...job.settings },
  };
}

async function serveOne(job: ApiProcessesJob): Promise<void> {
  const config = configOf(job);
  const bls = await loadBls();
  const chain = FullNodeRpcClient.fromChiaRoot({ host: '127.0.0.1', port: job.nodePort, tls: { chiaRoot: job.chiaRoot } });
  const store = await openEventStore(config.eventStoreUrl);
  const readModels = await ReadModelDatabase.open(config.readModelsUrl);
  const partialCrypto = new WorkerPoolPartialVerifier({ size: cryptoThreadsPerProcess(job.processes) });
  const pinned = job.now;
  const app = await createApiServer(
    { config, store, readModels, chain, bls, constants: posConstantsFor(DEVNET_NETWORK), ...(pinned === undefined ? {} : { clock: () => pinned }), partialCrypto },
    ['error'],
  );
  await app.listen(job.port, '127.0.0.1');
  exitApiOnSigterm({ app, partialCrypto, chain, readModels, store });
  process.send?.({ ready: process.pid });
}

function supervise(job: ApiProcessesJob): void {
  const ready = new Set<number>();
  cluster.on('message', (_worker, message: { ready?: number }) => {
    if (typeof message.ready !== 'number') return;
    ready.add(message.ready);
    if (ready.size === job.processes) process.send?.({ ready: [...ready] });
  });
  superviseApiProcesses({ processes: job.processes, log: (line) => console.log(line) });
}

const job = JSON.parse(process.env[API_PROCESSES_JOB_VARIABLE] ?? 'null') as ApiProcessesJob | null;
if (job !== null) {
  if (cluster.isPrimary && job.processes > 1) supervise(job);
  else
    void serveOne(job).catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
