import 'reflect-metadata';
import { Logger, type LogLevel } from '@nestjs/common';
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
import { installRateLimits } from './pool-protocol/rate-limits/rate-limits.hooks';
import { installOpenApi } from './read-api/openapi';
import { installProtocolCors } from './cors/protocol-cors';
import { installLandingPage } from './landing/landing-page';
import { fastifyConnectionOptions, installConnectionLimits } from './connections/connection-limits';
import { followTlsRenewals, initialTlsPair, warnIfFarmersCannotConnect } from './tls/api-tls';

/**
 * Builds the api on Fastify; the caller owns the store, read-model and node connections, and its process's
 * signals: `app.close()` stops accepting, lets in-flight requests finish (Fastify's close), and only then stops the
 * pool loops and worker threads (their onApplicationShutdown hooks run after the HTTP server is closed). Nest's
 * enableShutdownHooks is left to the entry points (see graceful-shutdown.ts): inside `poolctl devnet run` or a
 * test it would close this app behind the owner's back and re-raise the signal before the owner cleaned up.
 *
 * Logs are pino JSON lines at `config.logLevel`; `logger` (Nest level names, or false for none) overrides it.
 *
 * With `config.tls` it serves HTTPS from those PEM files and follows them on disk (a renewal is served without a
 * restart); `config.trustProxy` says which proxies in front of it to believe about the client's address and scheme.
 * `config.connections` bounds how long a client may take to send its request and how many sockets it may hold.
 */
export async function createApiServer(deps: ApiDependencies, logger?: false | LogLevel[], options: ApiServerOptions = {}): Promise<NestFastifyApplication> {
  const metrics = deps.metrics ?? new PoolMetrics();
  const pino = createPinoLogger(logger === undefined ? deps.config.logLevel : pinoLevelFor(logger));
  const tls = initialTlsPair(deps.config.tls);
  const app = await NestFactory.create<NestFastifyApplication>(
    ApiModule.with({ ...deps, metrics, store: instrumentEventStore(deps.store, metrics) }),
    // The connection limits ride on the server options (and carry the TLS pair when there is one).
    new FastifyAdapter({ bodyLimit: MAX_BODY_BYTES, trustProxy: deps.config.trustProxy, ...fastifyConnectionOptions(deps.config.connections, tls) }),
    // Our own JSON parser (exact integers) replaces the one Nest would register. Nest reads `httpsOptions` only
    // to say https in getUrl(); Fastify above is what serves TLS.
    { logger: new PinoNestLogger(pino), bodyParser: false, ...(tls ? { httpsOptions: tls } : {}) },
  );
  const fastify = app.getHttpAdapter().getInstance();
  const connectionLogger = new Logger('Connections');
  installConnectionLimits(fastify.server, deps.config.connections, { metrics, trustProxy: deps.config.trustProxy, warn: (line) => connectionLogger.warn(line) });
  installChiaJson(fastify);
  installProtocolCors(fastify);
  installOperatorKeyCheck(fastify, deps.config);
  installPartialMetrics(fastify, metrics);
  installRateLimits(fastify, deps.config.rateLimits, { clock: deps.clock }); // after the metrics: refusals are counted too
  installGracefulClose(fastify);
  app.useGlobalFilters(new PoolProtocolExceptionFilter());
  installOpenApi(app);
  installDashboard(app);
  installLandingPage(app);
  if (deps.config.tls) followTlsRenewals(fastify, deps.config.tls, options.tlsCheckEveryMs);
  warnIfFarmersCannotConnect(deps.config);
  await app.init();
  return app;
}

export interface ApiServerOptions {
  /** How often the TLS files are checked for a renewal (default 10 s; tests shorten it). */
  tlsCheckEveryMs?: number;
}
