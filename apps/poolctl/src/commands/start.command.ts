import type { Command } from 'commander';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { chainEnvironment } from '@pool/config';
import { openEventStore } from '@pool/event-store';
import { ProjectorModule } from '@pool/projector';
import { ReadModelDatabase } from '@pool/read-models';
import { loadBls } from '@pool/chia';
import { createApiServer } from '../../../api/src/api-server';
import { openChain } from '../../../api/src/chain/open-chain';
import { shutdownOnSignals } from '../../../api/src/health/graceful-shutdown';
import { createPinoLogger, PinoNestLogger } from '../../../api/src/logging/pino-nest-logger';
import { configFrom } from './connections';
import { DEVNET_DEFAULTS, runDevnetUntilStopped } from './devnet.command';

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('the pool: against the built-in devnet with simulated farmers, or the full node (and wallet) that --config or POOL_FULL_NODE_HOST names')
    .action(async (_options: unknown, command: Command) => {
      const config = configFrom(command);
      if (!config.chia.fullNode) {
        await runDevnetUntilStopped({ ...DEVNET_DEFAULTS, port: config.port, host: config.host, log: (line) => console.log(line) });
        return;
      }
      // The RPC clients read their certificates from CHIA_ROOT; this process is ours to set it for.
      if (config.chia.chiaRoot !== undefined) process.env.CHIA_ROOT = config.chia.chiaRoot;
      // The node first: missing certificates or a bad address should stop us before any database is opened.
      const node = openChain(chainEnvironment(config));
      const store = await openEventStore(config.eventStoreUrl);
      const readModels = await ReadModelDatabase.open(config.readModelsUrl);
      const projector = await NestFactory.createApplicationContext(ProjectorModule.with(store, readModels), {
        logger: new PinoNestLogger(createPinoLogger(config.logLevel)),
      });
      const api = await createApiServer({
        config,
        store,
        readModels,
        chain: node.chain,
        constants: node.constants,
        bls: await loadBls(),
        ...(node.wallet ? { wallet: node.wallet } : {}),
        poolLoops: true,
      });
      await projector.init();
      const logger = new Logger('Start');
      // The api first (in-flight requests drain while everything they need is still open), the stores last.
      shutdownOnSignals(
        [
          { name: 'api', run: () => api.close() },
          { name: 'projector', run: () => projector.close() },
          { name: 'chain', run: () => node.close() },
          { name: 'read models', run: () => readModels.close() },
          { name: 'event store', run: () => store.close() },
        ],
        { log: (line) => logger.log(line) },
      );
      await api.listen(config.port, config.host);
      logger.log(
        `chia-pool-ledger: api on ${await api.getUrl()}, chain ${node.describe}, event store ${store.name}, read models ${readModels.dialect}` +
          (config.source ? `, config ${config.source}` : ''),
      );
    });
}
