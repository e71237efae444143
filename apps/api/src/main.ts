import { Logger } from '@nestjs/common';
import { openEventStore } from '@pool/event-store';
import { ReadModelDatabase } from '@pool/read-models';
import { loadBls } from '@pool/chia';
import { chainEnvironment, loadPoolConfig } from '@pool/config';
import { createApiServer } from './api-server';
import { openChain } from './chain/open-chain';
import { shutdownOnSignals } from './health/graceful-shutdown';

/**
 * The api alone (the projector runs elsewhere): `node dist/apps/api/src/main.js`, configured by POOL_CONFIG_FILE
 * and the environment. Every replica contends for the pool-loops lease (POOL_LOOPS=false opts one out).
 */
async function main(): Promise<void> {
  const config = loadPoolConfig();
  // The RPC clients read their certificates from CHIA_ROOT; this process is ours to set it for.
  if (config.chia.chiaRoot !== undefined) process.env.CHIA_ROOT = config.chia.chiaRoot;
  const store = await openEventStore(config.eventStoreUrl);
  const readModels = await ReadModelDatabase.open(config.readModelsUrl);
  const node = openChain(chainEnvironment(config));
  const app = await createApiServer({
    config,
    store,
    readModels,
    chain: node.chain,
    constants: node.constants,
    bls: await loadBls(),
    ...(node.wallet ? { wallet: node.wallet } : {}),
    poolLoops: process.env.POOL_LOOPS !== 'false',
  });
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
