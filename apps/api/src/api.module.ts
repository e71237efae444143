import { type DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { type BlsBackend, type FullNodeRpc, type PosConsensusConstants, type WalletRpc } from '@pool/chia';
import { EVENT_STORE, POOL_CONFIG, type PoolConfig, READ_MODELS } from '@pool/config';
import { type EventStore } from '@pool/event-store';
import { type ReadModelDatabase } from '@pool/read-models';
import { type PartialCryptoVerifier } from './crypto/partial-crypto';
import { partialCryptoProviders } from './crypto/partial-crypto.provider';
import { FarmerService } from './farmers/farmer.service';
import { PeakTracker } from './farmers/peak-tracker';
import { HealthController } from './health/health.controller';
import { TerminusModule } from '@nestjs/terminus';
import { PoolHealthIndicators } from './health/pool-health.indicators';
import { MetricsCollector } from './metrics/metrics-collector';
import { MetricsController } from './metrics/metrics.controller';
import { PoolMetrics } from './metrics/pool-metrics';
import { OperatorController } from './operator/operator.controller';
import { OperatorKeyGuard } from './operator/operator-key.guard';
import { FarmerPointsController } from './ledger/farmer-points.controller';
import { READ_API_CONTROLLERS, READ_API_PROVIDERS } from './read-api/read-api.controllers';
import { StreamCommandRunner } from './ledger/stream-command-runner';
import { POOL_LOOPS_ENABLED, PoolLoopsService } from './confirmation/pool-loops.service';
import { ChainEvents } from './chain/chain-events';
import { PartialService } from './partials/partial.service';
import { FarmerV1Controller } from './protocol/farmer-v1.controller';
import { FarmerV2Controller } from './protocol/farmer-v2.controller';
import { FarmerV2Service } from './v2/farmer-v2.service';
import { V2AuthService } from './v2/v2-auth.service';
import { PoolInfoController } from './protocol/pool-info.controller';
import { WALLET } from './payouts/payout-saga.loop';
import { BLS, CHAIN, CLOCK, COMMAND_RUNNER, POS_CONSTANTS, type Clock } from './tokens';

export interface ApiDependencies {
  config: PoolConfig;
  store: EventStore;
  readModels: ReadModelDatabase;
  /** The full node the pool follows (the devnet's, over its RPC, unless a real node is configured). */
  chain: FullNodeRpc;
  bls: BlsBackend;
  /** Consensus constants of the network the chain belongs to. */
  constants: PosConsensusConstants;
  clock?: Clock;
  /**
   * Where partial signatures and proofs are verified. Default: a worker-thread pool sized to the cores, closed
   * with the app. A verifier passed here (e.g. `InProcessPartialVerifier` in tests) is the caller's to close.
   */
  partialCrypto?: PartialCryptoVerifier;
  /** Run this instance's pool loops (chain follower, partial confirmer). Off unless asked for. */
  poolLoops?: boolean;
  /** The pool's wallet (the devnet's over its RPC, or a real one). Without it the payout saga does not run. */
  wallet?: WalletRpc;
  /** Where this app's Prometheus series live (createApiServer makes one; pass one to read it in tests). */
  metrics?: PoolMetrics;
}

/** The api: protocol routes, read API and pool loops share these providers. */
@Module({})
export class ApiModule {
  static with(deps: ApiDependencies): DynamicModule {
    return {
      module: ApiModule,
      imports: [CqrsModule.forRoot(), TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController, MetricsController, OperatorController, FarmerPointsController, PoolInfoController, FarmerV1Controller, FarmerV2Controller, ...READ_API_CONTROLLERS],
      providers: [
        { provide: POOL_CONFIG, useValue: deps.config },
        { provide: EVENT_STORE, useValue: deps.store },
        { provide: READ_MODELS, useValue: deps.readModels },
        { provide: CHAIN, useValue: deps.chain },
        { provide: WALLET, useValue: deps.wallet ?? null },
        { provide: BLS, useValue: deps.bls },
        { provide: POS_CONSTANTS, useValue: deps.constants },
        { provide: CLOCK, useValue: deps.clock ?? (() => Date.now() / 1000) },
        { provide: COMMAND_RUNNER, useValue: new StreamCommandRunner(deps.store) },
        ...partialCryptoProviders(deps.partialCrypto),
        PeakTracker,
        { provide: PoolMetrics, useValue: deps.metrics ?? new PoolMetrics() }, PoolHealthIndicators, MetricsCollector, OperatorKeyGuard,
        FarmerService,
        PartialService,
        V2AuthService,
        FarmerV2Service,
        { provide: POOL_LOOPS_ENABLED, useValue: deps.poolLoops ?? false },
        PoolLoopsService,
        ChainEvents,
        ...READ_API_PROVIDERS,
      ],
    };
  }
}
