import type { Command } from 'commander';
import { NestFactory } from '@nestjs/core';
import { openEventStore } from '@pool/event-store';
import { ProjectorModule } from '@pool/projector';
import { ReadModelDatabase } from '@pool/read-models';
import { loadBls } from '@pool/chia';
import { createApiServer } from '../../../api/src/api-server';
import { openChain } from '../../../api/src/chain/open-chain';
import { configFrom } from './connections';
import { DEVNET_DEFAULTS, runDevnetUntilStopped } from './devnet.command';

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('the pool: against the built-in devnet with simulated farmers, or a real node when POOL_FULL_NODE_HOST is set')
    .action(async (_options: unknown, command: Command) => {
      const config = configFrom(command);
      if (!process.env.POOL_FULL_NODE_HOST) {
        await runDevnetUntilStopped({ ...DEVNET_DEFAULTS, port: config.port, host: config.host, log: (line) => console.log(line) });
        return;
      }
      const store = await openEventStore(config.eventStoreUrl);
      const readModels = await ReadModelDatabase.open(config.readModelsUrl);
      const projector = await NestFactory.createApplicationContext(ProjectorModule.with(store, readModels), { logger: ['error', 'warn', 'log'] });
      const node = openChain();
      const api = await createApiServer({ config, store, readModels, chain: node.chain, constants: node.constants, bls: await loadBls(), poolLoops: true });
      await projector.init();
      await api.listen(config.port, config.host);
      console.log(
        `chia-pool-ledger: api on ${await api.getUrl()}, chain ${node.describe}, event store ${config.eventStoreUrl}, read models ${config.readModelsUrl}`,
      );

      const shutdown = async (): Promise<void> => {
        await api.close();
        node.close();
        await projector.close();
        await readModels.close();
        await store.close();
      };
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        process.once(signal, () => {
          console.log(`${signal}: shutting down`);
          void shutdown().then(() => process.exit(0));
        });
      }
    });
}
