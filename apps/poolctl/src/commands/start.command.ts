import type { Command } from 'commander';
import { Logger } from '@nestjs/common';
import { loadBls } from '@pool/chia';
import { openEventStore } from '@pool/event-store';
import { ReadModelDatabase } from '@pool/read-models';
import { openChiaNode, shutdownOnSignals } from '@pool/runtime';
import { composePool } from '../start/compose-pool';
import { configFrom } from './connections';
import { DEVNET_DEFAULTS, runDevnetUntilStopped } from './devnet.command';

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('the pool: against the built-in devnet with simulated farmers, or the full node (and wallet) that --config or POOL_FULL_NODE_HOST names')
    .action(async (_options: unknown, command: Command) => {
      const config = configFrom(command);
      if (!config.chia.fullNode) {
        // With a certificate configured the devnet's api serves https and its farmers trust that certificate.
        await runDevnetUntilStopped({ ...DEVNET_DEFAULTS, port: config.port, host: config.host, ...(config.tls ? { tls: config.tls } : {}), log: (line) => console.log(line) });
        return;
      }
      // The node first: missing certificates or a bad address should stop us before any database is opened.
      const node = openChiaNode(config, { withWallet: true });
      const store = await openEventStore(config.eventStoreUrl);
      const readModels = await ReadModelDatabase.open(config.readModelsUrl);
      const pool = await composePool({
        config,
        store,
        readModels,
        chain: node.chain,
        constants: node.constants,
        bls: await loadBls(),
        ...(node.wallet ? { wallet: node.wallet } : {}),
      });
      const logger = new Logger('Start');
      shutdownOnSignals(
        [
          ...pool.closers,
          { name: 'chain', run: () => node.close() },
          { name: 'read models', run: () => readModels.close() },
          { name: 'event store', run: () => store.close() },
        ],
        { log: (line) => logger.log(line) },
      );
      await pool.api.listen(config.port, config.host);
      logger.log(
        `chia-pool-ledger: api on ${await pool.api.getUrl()}, chain ${node.describe}, event store ${store.name}, read models ${readModels.dialect}` +
          (config.source ? `, config ${config.source}` : ''),
      );
    });
}
