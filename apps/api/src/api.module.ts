import { type DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { LedgerCommandsModule, PAYOUTS_CONTROL_HANDLERS } from '@pool/commands';
import { type BlsBackend, type FullNodeRpc, type PosConsensusConstants } from '@pool/chia';
import { type PoolConfig } from '@pool/config';
import { type EventStore } from '@pool/event-sourcing';
import { type ReadModelDatabase } from '@pool/read-models';
import { PoolProtocolModule } from './pool-protocol/pool-protocol.module';
import { type PartialCryptoVerifier } from './pool-protocol/submit-partial/crypto/partial-crypto';
import { HealthController } from './health/health.controller';
import { TerminusModule } from '@nestjs/terminus';
import { PoolHealthIndicators } from './health/pool-health.indicators';
import { MetricsCollector } from './metrics/metrics-collector';
import { MetricsController } from './metrics/metrics.controller';
import { BLS, PoolMetrics, PortsModule, POS_CONSTANTS } from '@pool/runtime';
import { OperatorController } from './operator/operator.controller';
import { OperatorKeyGuard } from './operator/operator-key.guard';
import { ListFarmersHandler } from './operator/list-farmers/list-farmers.handler';
import { OperatorHealthHandler } from './operator/operator-health/operator-health.handler';
import { GetPayoutsControlHandler } from './operator/payouts-control/get-payouts-control.handler';
import { PayoutsControlController } from './operator/payouts-control/payouts-control.controller';
import { ReadApiModule } from './read-api/read-api.module';
import { FarmerAreaModule } from './farmer-area/farmer-area.module';
import { type NotificationTargetsOptions } from '@pool/notifications';
import { type Clock } from '@pool/runtime';

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
  /**
   * How old a farmer's state a partial may first be judged by, in ms (default 1000): another api process's change
   * reaches this one's partials within it; a refusal is always made on the stored state.
   */
  recentFarmerStateMs?: number;
  /** The farmer area's notification targets (default: e-mail when SMTP is configured; tests allow local webhook URLs). */
  notificationTargets?: NotificationTargetsOptions;
}

/** The api: HTTP only (protocol, read API, dashboard, operator, health, metrics), stateless, any number of replicas. */
@Module({})
export class ApiModule {
  static with(deps: ApiDependencies): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        CqrsModule.forRoot(),
        TerminusModule.forRoot({ logger: false }),
        PortsModule.with(deps, [
          { provide: BLS, useValue: deps.bls },
          { provide: POS_CONSTANTS, useValue: deps.constants },
        ]),
        PoolProtocolModule.with(deps.partialCrypto, deps.recentFarmerStateMs),
        LedgerCommandsModule.handlers(PAYOUTS_CONTROL_HANDLERS),
        ReadApiModule,
        FarmerAreaModule.with(deps.notificationTargets),
      ],
      controllers: [HealthController, MetricsController, OperatorController, PayoutsControlController],
      providers: [
        { provide: PoolMetrics, useValue: deps.metrics ?? new PoolMetrics() }, PoolHealthIndicators, MetricsCollector, OperatorKeyGuard, ListFarmersHandler, OperatorHealthHandler, GetPayoutsControlHandler,
      ],
    };
  }
}
