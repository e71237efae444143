import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { openEventStore } from '@pool/event-store';
import { ReadModelDatabase } from '@pool/read-models';
import { allProjections } from '@pool/projections';
import { loadPoolConfig } from '@pool/config';
import { shutdownOnSignals } from '@pool/runtime';
import { createPinoLogger, PinoNestLogger } from '@pool/runtime';
import { ProjectorModule } from './projector.module';
import { rebuildInThreads } from './rebuild-threads/rebuild-threads';

/**
 * The projector as its own process (POOL_CONFIG_FILE and the environment configure it): follows the store and
 * keeps the read models current until SIGINT/SIGTERM, then finishes the batch in hand (its checkpoint commits with
 * it) and closes the databases.
 */
async function main(): Promise<void> {
  const config = loadPoolConfig();
  const store = await openEventStore(config.eventStoreUrl);
  const readModels = await ReadModelDatabase.open(config.readModelsUrl);
  // A projection of a new version is rebuilt at start, on every core (the mainnet projections: allProjections).
  const prefill = rebuildInThreads({ eventStoreUrl: config.eventStoreUrl, readModelsUrl: config.readModelsUrl });
  const app = await NestFactory.createApplicationContext(ProjectorModule.with(store, readModels, allProjections, { prefill }), {
    logger: new PinoNestLogger(createPinoLogger(config.logLevel)),
  });
  const logger = new Logger('Main');
  shutdownOnSignals(
    [
      { name: 'projector', run: () => app.close() },
      { name: 'read models', run: () => readModels.close() },
      { name: 'event store', run: () => store.close() },
    ],
    { log: (line) => logger.log(line) },
  );
  await app.init();
  logger.log(`projector following ${store.name} into ${readModels.dialect}${config.source ? `; config ${config.source}` : ''}`);
}

void main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
