import { openEventStore } from '@pool/event-store';
import { ReadModelDatabase } from '@pool/read-models';
import { createApiServer } from './api-server';
import { loadPoolConfig } from '@pool/config';

/** The api alone (the projector runs elsewhere): `node dist/apps/api/src/main.js`. */
async function main(): Promise<void> {
  const config = loadPoolConfig();
  const store = await openEventStore(config.eventStoreUrl);
  const readModels = await ReadModelDatabase.open(config.readModelsUrl);
  const app = await createApiServer(config, store, readModels);
  await app.listen(config.port, config.host);
  console.log(`api listening on ${await app.getUrl()} (event store: ${store.name})`);
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
