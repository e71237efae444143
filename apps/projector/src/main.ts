import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { openEventStore } from '@pool/event-store';
import { ReadModelDatabase } from '@pool/read-models';
import { loadPoolConfig } from '@pool/config';
import { ProjectorModule } from './projector.module';

/** The projector as its own process: follows the store and keeps the read models current until SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const config = loadPoolConfig();
  const store = await openEventStore(config.eventStoreUrl);
  const readModels = await ReadModelDatabase.open(config.readModelsUrl);
  const app = await NestFactory.createApplicationContext(ProjectorModule.with(store, readModels));
  app.enableShutdownHooks();
  await app.init();
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
