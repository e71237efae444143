import { type DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { type BlsBackend, type FullNodeRpc, type PosConsensusConstants } from '@pool/chia';
import { EVENT_STORE, POOL_CONFIG, type PoolConfig, READ_MODELS } from '@pool/config';
import { type EventStore } from '@pool/event-store';
import { type ReadModelDatabase } from '@pool/read-models';
import { type PartialCryptoVerifier } from './crypto/partial-crypto';
import { partialCryptoProviders } from './crypto/partial-crypto.provider';
import { FarmerService } from './farmers/farmer.service';
import { PeakTracker } from './farmers/peak-tracker';
import { HealthController } from './health/health.controller';
import { FarmerPointsController } from './ledger/farmer-points.controller';
import { StreamCommandRunner } from './ledger/stream-command-runner';
import { POOL_LOOPS_ENABLED, PoolLoopsService } from './confirmation/pool-loops.service';
import { PartialService } from './partials/partial.service';
import { FarmerV1Controller } from './protocol/farmer-v1.controller';
import { PoolInfoController } from './protocol/pool-info.controller';
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
}

/** The api: protocol routes, read API and pool loops share these providers. */
@Module({})
export class ApiModule {
  static with(deps: ApiDependencies): DynamicModule {
    return {
      module: ApiModule,
      imports: [CqrsModule.forRoot()],
      controllers: [HealthController, FarmerPointsController, PoolInfoController, FarmerV1Controller],
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
        FarmerService,
        PartialService,
        { provide: POOL_LOOPS_ENABLED, useValue: deps.poolLoops ?? false },
        PoolLoopsService,
      ],
    };
  }
}
