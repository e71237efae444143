import 'reflect-metadata';
import { type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type EventStore } from '@pool/event-store';
import { type ReadModelDatabase } from '@pool/read-models';
import { ApiModule } from './api.module';
import { installChiaJson, installProtocolErrorHandler, MAX_BODY_BYTES } from './protocol/chia-json-body';
import { type PoolConfig } from '@pool/config';

/** Builds the api on Fastify; the caller owns the store and read-model connections. */
export async function createApiServer(
  config: PoolConfig,
  store: EventStore,
  readModels: ReadModelDatabase,
  logger: false | LogLevel[] = ['error', 'warn', 'log'],
): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    ApiModule.with(config, store, readModels),
    new FastifyAdapter({ bodyLimit: MAX_BODY_BYTES }),
    // Our own JSON parser (exact integers) replaces the one Nest would register.
    { logger, bodyParser: false },
  );
  installChiaJson(app.getHttpAdapter().getInstance());
  app.enableShutdownHooks();
  await app.init();
  installProtocolErrorHandler(app.getHttpAdapter().getInstance());
  return app;
}
