import { type DynamicModule, Inject, Injectable, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type EventStore } from '@pool/event-store';
import { type ReadModelDatabase } from '@pool/read-models';
import type { Projection } from './projection';
import { Projector } from './projector';
import { allProjections } from './projections';

const PROJECTOR = Symbol('PROJECTOR');

/** Runs the live projector for as long as the Nest application lives. */
@Injectable()
export class ProjectorService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Projector');
  private readonly controller = new AbortController();
  private running?: Promise<void>;

  constructor(@Inject(PROJECTOR) private readonly projector: Projector) {}

  onApplicationBootstrap(): void {
    this.running = this.projector
      .run(this.controller.signal, () => this.logger.log('caught up with the event store; following live'))
      .catch((error: unknown) => {
        this.logger.error(`projector stopped: ${(error as Error).stack ?? String(error)}`);
        process.exitCode = 1;
      });
  }

  async onApplicationShutdown(): Promise<void> {
    this.controller.abort();
    await this.running;
  }
}

@Module({})
export class ProjectorModule {
  /** `projections`: e.g. createProjections({ space: DEVNET_SPACE_CONSTANTS }) on the devnet (default: mainnet constants). */
  static with(store: EventStore, readModels: ReadModelDatabase, projections: readonly Projection[] = allProjections): DynamicModule {
    const logger = new Logger('Projector');
    return {
      module: ProjectorModule,
      providers: [
        { provide: PROJECTOR, useValue: new Projector(store, readModels, projections, { logger }) },
        ProjectorService,
      ],
    };
  }
}
