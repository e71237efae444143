import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadPoolConfig } from '@pool/config';
import { openEventStore } from '@pool/event-store';
import { ReadModelDatabase } from '@pool/read-models';
import { createPinoLogger, openChiaNode, PinoNestLogger, PoolMetrics, shutdownOnSignals } from '@pool/runtime';
import { PoolLoops } from './pool-loops';
import { WorkerModule } from './worker.module';
import { startWorkerHttp } from './worker-http';

/**
 * The worker alone: `node dist/apps/worker/src/main.js`, configured by POOL_CONFIG_FILE and the environment. Run two
 * or more: they contend for the pool-loops lease and one runs the loops (POOL_LOOPS=false keeps one out). Its
 * /metrics and /health listen on POOL_WORKER_PORT (default 9464).
 */
async function main(): Promise<void> {
  const config = loadPoolConfig();
  const node = openChiaNode(config, { withWallet: true });
  const store = await openEventStore(config.eventStoreUrl);
  const readModels = await ReadModelDatabase.open(config.readModelsUrl);
  const metrics = new PoolMetrics();
  const app = await NestFactory.createApplicationContext(
    WorkerModule.with({ config, store, readModels, chain: node.chain, ...(node.wallet ? { wallet: node.wallet } : {}), metrics, poolLoops: process.env.POOL_LOOPS !== 'false' }),
    { logger: new PinoNestLogger(createPinoLogger(config.logLevel)) },
  );
  const http = await startWorkerHttp(metrics, app.get(PoolLoops), Number(process.env.POOL_WORKER_PORT ?? '9464'), config.host);
  const logger = new Logger('Main');
  shutdownOnSignals(
    [
      { name: 'worker http', run: () => new Promise<void>((resolve) => http.close(() => resolve())) },
      { name: 'worker', run: () => app.close() },
      { name: 'chain', run: () => node.close() },
      { name: 'read models', run: () => readModels.close() },
      { name: 'event store', run: () => store.close() },
    ],
    { log: (line) => logger.log(line) },
  );
  await app.init();
  logger.log(`worker: chain ${node.describe}; event store ${store.name}${config.source ? `; config ${config.source}` : ''}`);
}

void main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
