import { type DynamicModule, Module } from '@nestjs/common';
import { StreamCommandRunner } from '@pool/event-sourcing';
import { BLS, CHAIN, CLOCK, COMMAND_RUNNER, EVENT_STORE, POOL_CONFIG, POS_CONSTANTS, READ_MODELS } from '@pool/runtime';
import { type ApiDependencies } from './api.module';

const PORTS = [POOL_CONFIG, EVENT_STORE, READ_MODELS, CHAIN, BLS, POS_CONSTANTS, CLOCK, COMMAND_RUNNER];

/**
 * The api's ports (config, event store, read models, node, BLS, consensus constants, clock, command runner), global
 * so that every feature module (the pool protocol, the read API, ...) injects them without listing them again.
 */
@Module({})
export class ApiPortsModule {
  static with(deps: ApiDependencies): DynamicModule {
    return {
      module: ApiPortsModule,
      global: true,
      providers: [
        { provide: POOL_CONFIG, useValue: deps.config },
        { provide: EVENT_STORE, useValue: deps.store },
        { provide: READ_MODELS, useValue: deps.readModels },
        { provide: CHAIN, useValue: deps.chain },
        { provide: BLS, useValue: deps.bls },
        { provide: POS_CONSTANTS, useValue: deps.constants },
        { provide: CLOCK, useValue: deps.clock ?? (() => Date.now() / 1000) },
        { provide: COMMAND_RUNNER, useValue: new StreamCommandRunner(deps.store) },
      ],
      exports: PORTS,
    };
  }
}
