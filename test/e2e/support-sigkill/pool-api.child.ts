/**
 * The pool api alone in a process, for the SIGKILL-at-load test: createApiServer over a SQLite ledger in the
 * test's data folder, reaching the test's devnet node over its mutual-TLS RPC, exactly as `npm start` composes it
 * (without the worker, which the test does not need: partials are recorded by the api). The test kills it with
 * SIGKILL in the middle of a burst of partials and starts it again on the same folder.
 *
 * Environment: POOL_CHILD_CONFIG (JSON: dataDir, chiaRoot, nodePort, port, targetPuzzleHash, now).
 * The devnet runs on the test's manual clock: the test sends `{ now }` over the IPC channel whenever it moves it
 * and waits for the echo, so this api judges partials by the same time as the chain that made them.
 * Sends `{ ready: url }` once listening; SIGTERM closes it cleanly.
 */
import 'reflect-metadata';
import { join } from 'node:path';
import { FullNodeRpcClient, loadBls } from '@pool/chia';
import { loadPoolConfig, type PoolConfig } from '@pool/config';
import { DEVNET_NETWORK, posConstantsFor } from '@pool/devnet';
import { SqliteEventStore } from '@pool/event-store';
import { ReadModelDatabase } from '@pool/read-models';
import { createApiServer, InProcessPartialVerifier } from '@pool/api';
import { exitApiOnSigterm } from '../../support/processes';

interface ChildConfig {
  dataDir: string;
  chiaRoot: string;
  nodePort: number;
  port: number;
  targetPuzzleHash: string;
  now: number;
}

async function main(): Promise<void> {
  const child = JSON.parse(process.env.POOL_CHILD_CONFIG ?? '{}') as ChildConfig;
  let now = child.now;
  process.on('message', (message: { now?: number }) => {
    if (typeof message.now === 'number') {
      now = message.now;
      process.send?.({ now });
    }
  });
  const bls = await loadBls();
  const chain = FullNodeRpcClient.fromChiaRoot({ host: '127.0.0.1', port: child.nodePort, tls: { chiaRoot: child.chiaRoot } });
  const store = new SqliteEventStore({ path: join(child.dataDir, 'events.db') });
  const readModels = await ReadModelDatabase.open(`sqlite:${join(child.dataDir, 'read-models.db')}`);
  const base = loadPoolConfig({});
  const config: PoolConfig = {
    ...base,
    settings: { ...base.settings, targetPuzzleHash: child.targetPuzzleHash, confirmationSecurityThreshold: 4, signagePointWaitSeconds: 0 },
    // The load is the test's own farmers from one address: the limiter is not what is under test.
    rateLimits: { ...base.rateLimits, enabled: false },
  };
  // Crypto in this thread: the worker-thread pool would load the TypeScript sources again in every worker (tens of
  // seconds on two cores) after each start; the ledger's durability, under test here, does not depend on it.
  const partialCrypto = new InProcessPartialVerifier(bls);
  const app = await createApiServer({ config, store, readModels, chain, bls, constants: posConstantsFor(DEVNET_NETWORK), clock: () => now, partialCrypto }, ['error']);
  await app.listen(child.port, '127.0.0.1');
  exitApiOnSigterm({ app, partialCrypto, chain, readModels, store });
  process.send?.({ ready: await app.getUrl() });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
