import cluster from 'node:cluster';
import { Logger } from '@nestjs/common';
import { loadBls } from '@pool/chia';
import { loadPoolConfig } from '@pool/config';
import { openEventStore } from '@pool/event-store';
import { ReadModelDatabase } from '@pool/read-models';
import { openChiaNode, shutdownOnSignals } from '@pool/runtime';
import { createApiServer } from './api-server';
import { apiProcessCount, cryptoThreadsPerProcess, rateLimitsPerProcess, superviseApiProcesses } from './api-processes';
import { WorkerPoolPartialVerifier } from './pool-protocol/submit-partial/crypto/worker-pool-verifier';

/**
 * The api alone (the worker and the projector run elsewhere): `node dist/apps/api/src/main.js`, configured by
 * POOL_CONFIG_FILE and the environment. It needs a configured full node. It runs as one process per core on one
 * port (server.processes / POOL_API_PROCESSES); run as many machines of it as the load needs.
 */
async function main(): Promise<void> {
  const configured = loadPoolConfig();
  const processes = apiProcessCount(configured.apiProcesses);
  if (processes > 1 && cluster.isPrimary) return superviseApiProcesses({ processes, log: (line) => new Logger('Main').log(line) });
  const config = { ...configured, rateLimits: rateLimitsPerProcess(configured.rateLimits, processes) };
  const node = openChiaNode(config, { withWallet: false });
  const store = await openEventStore(config.eventStoreUrl);
  const readModels = await ReadModelDatabase.open(config.readModelsUrl);
  // The cores shared out between the processes' crypto threads.
  const partialCrypto = new WorkerPoolPartialVerifier({ size: cryptoThreadsPerProcess(processes) });
  const app = await createApiServer({ config, store, readModels, chain: node.chain, constants: node.constants, bls: await loadBls(), partialCrypto });
  const logger = new Logger('Main');
  shutdownOnSignals(
    [
      { name: 'api', run: () => app.close() },
      { name: 'crypto threads', run: () => partialCrypto.close() },
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
