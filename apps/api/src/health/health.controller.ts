import { Controller, Get, Inject } from '@nestjs/common';
import { type EventStore } from '@pool/event-store';
import { allProjections, projectionStatus } from '@pool/projector';
import { type ReadModelDatabase } from '@pool/read-models';
import { EVENT_STORE, READ_MODELS } from '@pool/config';

@Controller()
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly readModels: ReadModelDatabase,
  ) {}

  /** Liveness plus where the ledger and its projections stand. */
  @Get('health')
  async health(): Promise<object> {
    const head = await this.store.headPosition();
    const projections = await projectionStatus(this.store, this.readModels, allProjections, 100_000);
    return { status: 'ok', eventStore: this.store.name, headPosition: head ?? null, projections };
  }
}
