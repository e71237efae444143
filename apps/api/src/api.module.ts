import { type DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { type BlsBackend, type FullNodeRpc, type PosConsensusConstants } from '@pool/chia';
import { type PoolConfig } from '@pool/config';
import { EVENT_STORE, POOL_CONFIG, READ_MODELS } from '@pool/runtime';
import { type EventStore } from '@pool/event-sourcing';
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
import { PoolMetrics } from '@pool/runtime';
import { OperatorController } from './operator/operator.controller';
import { OperatorKeyGuard } from './operator/operator-key.guard';
import { FarmerPointsController } from './ledger/farmer-points.controller';
import { READ_API_CONTROLLERS, READ_API_PROVIDERS } from './read-api/read-api.controllers';
import { StreamCommandRunner } from '@pool/event-sourcing';
import { PartialService } from './partials/partial.service';
import { FarmerV1Controller } from './protocol/farmer-v1.controller';
import { FarmerV2Controller } from './protocol/farmer-v2.controller';
import { FarmerV2Service } from './v2/farmer-v2.service';
import { V2AuthService } from './v2/v2-auth.service';
import { PoolInfoController } from './protocol/pool-info.controller';
import { BLS, CHAIN, CLOCK, COMMAND_RUNNER, POS_CONSTANTS, type Clock } from '@pool/runtime';

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
  /** Where this app's Prometheus series live (createApiServer makes one; pass one to read it in tests). */
  metrics?: PoolMetrics;
}

/** The api: HTTP only (protocol, read API, dashboard, operator, health, metrics), stateless, any number of replicas. */
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
        ...READ_API_PROVIDERS,
      ],
    };
  }
}
