import { type DynamicModule, Inject, Injectable, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type EventStore } from '@pool/event-sourcing';
import { type ReadModelDatabase } from '@pool/read-models';
import type { Projection, RebuildPrefill } from '@pool/read-models';
import { Projector } from '@pool/read-models';
import { allProjections } from '@pool/projections';
import { BOOKS_CLOSING_EVENT_TYPES } from '@pool/domain';

const PROJECTOR = Symbol('PROJECTOR');
const RESTART_DELAY_MS = 5_000;

/** Runs the live projector for as long as the Nest application lives. */
@Injectable()
export class ProjectorService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Projector');
  private readonly controller = new AbortController();
  private running?: Promise<void>;

  constructor(@Inject(PROJECTOR) private readonly projector: Projector) {}

  onApplicationBootstrap(): void {
    this.running = this.follow(this.controller.signal);
  }

  /**
   * A failed batch (a read-model database locked by an operator's rebuild, a lost connection) rolls back with its
   * checkpoint, so the projector simply starts again from the checkpoint after a pause instead of staying down.
   */
  private async follow(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.projector.run(signal, () => this.logger.log('caught up with the event store; following live'));
        return;
      } catch (error) {
        if (signal.aborted) return;
        this.logger.error(`projector stopped, restarting from its checkpoints in ${RESTART_DELAY_MS / 1000} s: ${(error as Error).stack ?? String(error)}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, RESTART_DELAY_MS);
          signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
        });
      }
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.controller.abort();
    await this.running;
  }
}

@Module({})
export class ProjectorModule {
  /**
   * `projections`: e.g. createProjections({ space: DEVNET_SPACE_CONSTANTS }) on the devnet (default: mainnet constants).
   * `prefill`: how a rebuild at start (a projection of a new version) fills its generations first, e.g. rebuildInThreads.
   */
  static with(store: EventStore, readModels: ReadModelDatabase, projections: readonly Projection[] = allProjections, options: { prefill?: RebuildPrefill } = {}): DynamicModule {
    const logger = new Logger('Projector');
    return {
      module: ProjectorModule,
      providers: [
        // A failed batch (a full disk, a database restarting) rolls back and is retried from the checkpoints with
        // a growing pause, without restarting the whole runner or logging a stack trace per attempt.
        { provide: PROJECTOR, useValue: new Projector(store, readModels, projections, {
            logger,
            retry: { initialDelayMs: 1_000, maxDelayMs: 30_000 },
            // Every table imaged after each settlement: \`poolctl projections rebuild --from-closing\` starts there.
            images: { after: BOOKS_CLOSING_EVENT_TYPES },
            prefill: options.prefill,
          }) },
        ProjectorService,
      ],
    };
  }
}
