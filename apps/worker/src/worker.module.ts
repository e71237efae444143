import { type DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { type FullNodeRpc, type WalletRpc } from '@pool/chia';
import { LedgerCommandsModule } from '@pool/commands';
import { type PoolConfig } from '@pool/config';
import { type EventStore } from '@pool/event-sourcing';
import { type ReadModelDatabase } from '@pool/read-models';
import { PoolMetrics, PortsModule, type Clock } from '@pool/runtime';
import { ChainEvents } from './chain/chain-events';
import { PoolLoops } from './pool-loops';
import { POOL_LOOPS_ENABLED, WALLET } from './worker.tokens';

export interface WorkerDependencies {
  config: PoolConfig;
  store: EventStore;
  /** Holds the pool-loops lease table (the read-model database every worker shares). */
  readModels: ReadModelDatabase;
  /** The full node the pool follows. */
  chain: FullNodeRpc;
  /** The pool's wallet; without it no payouts are made. */
  wallet?: WalletRpc;
  clock?: Clock;
  /** Where the worker's gauges go (poolctl start shares the api's, so one /metrics shows both). */
  metrics?: PoolMetrics;
  /** Contend for the pool-loops lease (default true; POOL_LOOPS=false keeps a worker out of the contest). */
  poolLoops?: boolean;
}

/** The worker: the pool loops under one lease, and the only holder of the wallet. */
@Module({})
export class WorkerModule {
  static with(deps: WorkerDependencies): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        CqrsModule.forRoot(),
        PortsModule.with(deps, [
          { provide: WALLET, useValue: deps.wallet ?? null },
          { provide: POOL_LOOPS_ENABLED, useValue: deps.poolLoops ?? true },
          { provide: PoolMetrics, useValue: deps.metrics ?? new PoolMetrics() },
        ]),
        LedgerCommandsModule.handlers(),
      ],
      providers: [ChainEvents, PoolLoops],
      exports: [PoolLoops, ChainEvents],
    };
  }
}
