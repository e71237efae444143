import { openEventStore } from '@pool/event-store';
import { ReadModelDatabase } from '@pool/read-models';
import { loadBls } from '@pool/chia';
import { createApiServer } from './api-server';
import { openChain } from './chain/open-chain';
import { loadPoolConfig } from '@pool/config';

/** The api alone (the projector runs elsewhere): `node dist/apps/api/src/main.js`. */
async function main(): Promise<void> {
  const config = loadPoolConfig();
  const store = await openEventStore(config.eventStoreUrl);
  const readModels = await ReadModelDatabase.open(config.readModelsUrl);
  const { chain, constants, describe } = openChain();
  const app = await createApiServer({ config, store, readModels, chain, constants, bls: await loadBls() });
  console.log(`following ${describe}`);
  await app.listen(config.port, config.host);
  console.log(`api listening on ${await app.getUrl()} (event store: ${store.name})`);
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
