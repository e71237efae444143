import { type DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { type EventStore } from '@pool/event-store';
import { type ReadModelDatabase } from '@pool/read-models';
import { HealthController } from './health/health.controller';
import { FarmerPointsController } from './ledger/farmer-points.controller';
import { PoolInfoController } from './protocol/pool-info.controller';
import { EVENT_STORE, POOL_CONFIG, type PoolConfig, READ_MODELS } from '@pool/config';

/** The api: protocol routes, read API and pool loops share these providers. */
@Module({})
export class ApiModule {
  static with(config: PoolConfig, store: EventStore, readModels: ReadModelDatabase): DynamicModule {
    return {
      module: ApiModule,
      imports: [CqrsModule.forRoot()],
      controllers: [HealthController, FarmerPointsController, PoolInfoController],
      providers: [
        { provide: POOL_CONFIG, useValue: config },
        { provide: EVENT_STORE, useValue: store },
        { provide: READ_MODELS, useValue: readModels },
      ],
    };
  }
}
