import 'reflect-metadata';
import { type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiModule, type ApiDependencies } from './api.module';
import { installChiaJson, MAX_BODY_BYTES } from './protocol/chia-json-body';
import { PoolProtocolExceptionFilter } from './protocol/pool-protocol.filter';

/** Builds the api on Fastify; the caller owns the store, read-model and node connections. */
export async function createApiServer(deps: ApiDependencies, logger: false | LogLevel[] = ['error', 'warn', 'log']): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    ApiModule.with(deps),
    new FastifyAdapter({ bodyLimit: MAX_BODY_BYTES }),
    // Our own JSON parser (exact integers) replaces the one Nest would register.
    { logger, bodyParser: false },
  );
  installChiaJson(app.getHttpAdapter().getInstance());
  app.useGlobalFilters(new PoolProtocolExceptionFilter());
  app.enableShutdownHooks();
  await app.init();
  return app;
}
