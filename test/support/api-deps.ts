import { FullNodeRpcClient, loadBls, MAINNET_POS_CONSTANTS, type FullNodeRpc } from '@pool/chia';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApiServer } from '@pool/api';
import { loadPoolConfig, type PoolConfig } from '@pool/config';
import { InMemoryEventStore } from '@pool/event-store';
import { type EventStore } from '@pool/event-sourcing';
import { ReadModelDatabase } from '@pool/read-models';
import type { ApiDependencies } from '@pool/api';

/**
 * Api dependencies for tests that exercise no chain call (read API, pool info): the chain port throws
 * if anything does call it, so a test cannot pass by accident against a missing node.
 */
export async function apiDepsWithoutChain(config: PoolConfig, store: EventStore, readModels: ReadModelDatabase): Promise<ApiDependencies> {
  // Only the port's own methods answer (and fail); anything else Nest probes for (then, onModuleInit) is absent.
  const methods = new Set(Object.getOwnPropertyNames(FullNodeRpcClient.prototype));
  const chain = new Proxy({} as FullNodeRpc, {
    get: (_target, method) =>
      typeof method === 'string' && methods.has(method) && method !== 'constructor'
        ? () => Promise.reject(new Error(`this test has no chain, but ${method} was called`))
        : undefined,
  });
  return { config, store, readModels, chain, bls: await loadBls(), constants: MAINNET_POS_CONSTANTS };
}

/**
 * An api with an empty in-memory ledger, empty read models and no chain, listening on 127.0.0.1: for specs of HTTP
 * behaviour that no ledger fact changes (headers, redirects). The caller closes the app.
 */
export async function listeningApiWithoutChain(config: PoolConfig = loadPoolConfig({})): Promise<{ app: NestFastifyApplication; url: string }> {
  const readModels = await ReadModelDatabase.open('sqlite::memory:');
  const app = await createApiServer(await apiDepsWithoutChain(config, new InMemoryEventStore(), readModels), ['error']);
  await app.listen(0, '127.0.0.1');
  return { app, url: await app.getUrl() };
}
