import 'reflect-metadata';
import { type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiModule, type ApiDependencies } from './api.module';
import { installDashboard } from './dashboard/dashboard.static';
import { installGracefulClose } from '@pool/runtime';
import { createPinoLogger, pinoLevelFor, PinoNestLogger } from '@pool/runtime';
import { instrumentEventStore } from '@pool/runtime';
import { installPartialMetrics } from './metrics/partial-metrics.hooks';
import { PoolMetrics } from '@pool/runtime';
import { installOperatorKeyCheck } from './operator/operator-key.guard';
import { installChiaJson, MAX_BODY_BYTES } from './pool-protocol/chia-json-body';
import { PoolProtocolExceptionFilter } from './pool-protocol/pool-protocol.filter';
import { installOpenApi } from './read-api/openapi';

/**
 * Builds the api on Fastify; the caller owns the store, read-model and node connections, and its process's
 * signals: `app.close()` stops accepting, lets in-flight requests finish (Fastify's close), and only then stops the
 * pool loops and worker threads (their onApplicationShutdown hooks run after the HTTP server is closed). Nest's
 * enableShutdownHooks is left to the entry points (see graceful-shutdown.ts): inside `poolctl devnet run` or a
 * test it would close this app behind the owner's back and re-raise the signal before the owner cleaned up.
 *
 * Logs are pino JSON lines at `config.logLevel`; `logger` (Nest level names, or false for none) overrides it.
 */
export async function createApiServer(deps: ApiDependencies, logger?: false | LogLevel[]): Promise<NestFastifyApplication> {
  const metrics = deps.metrics ?? new PoolMetrics();
  const pino = createPinoLogger(logger === undefined ? deps.config.logLevel : pinoLevelFor(logger));
  const app = await NestFactory.create<NestFastifyApplication>(
    ApiModule.with({ ...deps, metrics, store: instrumentEventStore(deps.store, metrics) }),
    new FastifyAdapter({ bodyLimit: MAX_BODY_BYTES }),
    // Our own JSON parser (exact integers) replaces the one Nest would register.
    { logger: new PinoNestLogger(pino), bodyParser: false },
  );
  const fastify = app.getHttpAdapter().getInstance();
  installChiaJson(fastify);
  installOperatorKeyCheck(fastify, deps.config);
  installPartialMetrics(fastify, metrics);
  installGracefulClose(fastify);
  app.useGlobalFilters(new PoolProtocolExceptionFilter());
  installOpenApi(app);
  installDashboard(app);
  await app.init();
  return app;
}
