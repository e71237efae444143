import { Logger } from '@nestjs/common';
import { loadBls } from '@pool/chia';
import { loadPoolConfig } from '@pool/config';
import { openEventStore } from '@pool/event-store';
import { ReadModelDatabase } from '@pool/read-models';
import { openChiaNode, shutdownOnSignals } from '@pool/runtime';
import { createApiServer } from './api-server';

/**
 * The api alone (the worker and the projector run elsewhere): `node dist/apps/api/src/main.js`, configured by
 * POOL_CONFIG_FILE and the environment. It needs a configured full node; run as many replicas as the load needs.
 */
async function main(): Promise<void> {
  const config = loadPoolConfig();
  const node = openChiaNode(config, { withWallet: false });
  const store = await openEventStore(config.eventStoreUrl);
  const readModels = await ReadModelDatabase.open(config.readModelsUrl);
  const app = await createApiServer({ config, store, readModels, chain: node.chain, constants: node.constants, bls: await loadBls() });
  const logger = new Logger('Main');
  shutdownOnSignals(
    [
      { name: 'api', run: () => app.close() },
      { name: 'chain', run: () => node.close() },
      { name: 'read models', run: () => readModels.close() },
      { name: 'event store', run: () => store.close() },
    ],
    { log: (line) => logger.log(line) },
  );
  await app.listen(config.port, config.host);
  logger.log(`api listening on ${await app.getUrl()}; chain ${node.describe}; event store ${store.name}${config.source ? `; config ${config.source}` : ''}`);
}

void main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
