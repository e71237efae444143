import { type INestApplicationContext, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApiServer, type ApiDependencies } from '@pool/api';
import { type WalletRpc } from '@pool/chia';
import { type Projection } from '@pool/read-models';
import { ProjectorModule } from '@pool/projector';
import { createPinoLogger, PinoNestLogger, PoolMetrics } from '@pool/runtime';
import { WorkerModule } from '@pool/worker';

export interface ComposedPool {
  api: NestFastifyApplication;
  worker: INestApplicationContext;
  projector: INestApplicationContext;
  /** In the order a stop needs: the api first (in-flight requests drain while all they need is open). */
  closers: { name: string; run(): Promise<unknown> }[];
}

/**
 * The three apps in one process, as `npm start` runs them: the projector (read models), the worker (pool loops under
 * the lease, with the wallet) and the api (HTTP). They share the store, the read-model database and one metrics
 * registry, so the api's /metrics shows the worker's gauges too.
 */
export async function composePool(
  deps: ApiDependencies & { wallet?: WalletRpc; projections?: readonly Projection[] },
  logger?: false | LogLevel[],
): Promise<ComposedPool> {
  const metrics = deps.metrics ?? new PoolMetrics();
  const nestLogger = logger ?? new PinoNestLogger(createPinoLogger(deps.config.logLevel));
  const projector = await NestFactory.createApplicationContext(ProjectorModule.with(deps.store, deps.readModels, deps.projections), { logger: nestLogger });
  await projector.init();
  const worker = await NestFactory.createApplicationContext(
    WorkerModule.with({
      config: deps.config,
      store: deps.store,
      readModels: deps.readModels,
      chain: deps.chain,
      ...(deps.wallet ? { wallet: deps.wallet } : {}),
      ...(deps.clock ? { clock: deps.clock } : {}),
      metrics,
    }),
    { logger: nestLogger },
  );
  await worker.init();
  const { wallet: _wallet, projections: _projections, ...apiDeps } = deps;
  const api = await createApiServer({ ...apiDeps, metrics }, logger);
  return {
    api,
    worker,
    projector,
    closers: [
      { name: 'api', run: () => api.close() },
      { name: 'worker', run: () => worker.close() },
      { name: 'projector', run: () => projector.close() },
    ],
  };
}
