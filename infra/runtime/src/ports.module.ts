import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { type FullNodeRpc } from '@pool/chia';
import { type PoolConfig } from '@pool/config';
import { StreamCommandRunner, type EventStore } from '@pool/event-sourcing';
import { type ReadModelDatabase } from '@pool/read-models';
import { CHAIN, CLOCK, COMMAND_RUNNER, EVENT_STORE, POOL_CONFIG, READ_MODELS, type Clock } from './tokens';

export interface PortsOf {
  config: PoolConfig;
  store: EventStore;
  readModels: ReadModelDatabase;
  chain: FullNodeRpc;
  clock?: Clock;
}

/**
 * An app's ports (config, event store, read models, node, clock and the one command runner of the process), global
 * so that every feature module of the app, and the ledger command handlers in libs/commands, inject them without
 * listing them again. `extra` adds the app's own (the api's BLS, the worker's wallet).
 */
@Module({})
export class PortsModule {
  static with(ports: PortsOf, extra: Provider[] = []): DynamicModule {
    const providers: Provider[] = [
      { provide: POOL_CONFIG, useValue: ports.config },
      { provide: EVENT_STORE, useValue: ports.store },
      { provide: READ_MODELS, useValue: ports.readModels },
      { provide: CHAIN, useValue: ports.chain },
      { provide: CLOCK, useValue: ports.clock ?? (() => Date.now() / 1000) },
      { provide: COMMAND_RUNNER, useValue: new StreamCommandRunner(ports.store) },
      ...extra,
    ];
    return { module: PortsModule, global: true, providers, exports: providers.map((p) => ('provide' in p ? p.provide : p)) };
  }
}
