import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { type FullNodeRpc } from '@pool/chia';
import { EVENT_STORE, READ_MODELS } from '@pool/runtime';
import { type EventStore } from '@pool/event-sourcing';
import { type ReadModelDatabase } from '@pool/read-models';
import { CHAIN } from '@pool/runtime';

/** A dependency that does not answer within this is down: readiness probes must answer quickly either way. */
export const HEALTH_TIMEOUT_MS = 3_000;

function within<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * What the api needs to do its work: the event store (every command appends), the read models (the read API
 * and operator views) and a synced full node (every partial is checked against its signage points).
 * `detailed` adds figures that help an operator but should not be public (positions, heights).
 */
@Injectable()
export class PoolHealthIndicators {
  constructor(
    private readonly indicator: HealthIndicatorService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly readModels: ReadModelDatabase,
    @Inject(CHAIN) private readonly chain: FullNodeRpc,
  ) {}

  async checkEventStore(detailed = false): Promise<HealthIndicatorResult<'eventStore'>> {
    const session = this.indicator.check('eventStore');
    try {
      const head = await within(this.store.headPosition(), HEALTH_TIMEOUT_MS, 'the event store');
      return detailed ? session.up({ adapter: this.store.name, headPosition: head ?? null }) : session.up();
    } catch (error) {
      return detailed ? session.down({ message: messageOf(error) }) : session.down();
    }
  }

  async checkReadModels(detailed = false): Promise<HealthIndicatorResult<'readModels'>> {
    const session = this.indicator.check('readModels');
    try {
      await within(this.readModels.executor().query('SELECT 1 AS ok'), HEALTH_TIMEOUT_MS, 'the read-model database');
      return detailed ? session.up({ dialect: this.readModels.dialect }) : session.up();
    } catch (error) {
      return detailed ? session.down({ message: messageOf(error) }) : session.down();
    }
  }

  async checkChain(detailed = false): Promise<HealthIndicatorResult<'chain'>> {
    const session = this.indicator.check('chain');
    try {
      const state = await within(this.chain.getBlockchainState(), HEALTH_TIMEOUT_MS, 'the full node');
      const figures = { peakHeight: state.peak?.height ?? null, synced: state.sync.synced };
      // A node that is still syncing answers, but its signage points are not the network's: partials would fail.
      if (!state.sync.synced || state.peak === null) {
        return detailed ? session.down({ ...figures, message: 'the full node is not synced' }) : session.down();
      }
      return detailed ? session.up(figures) : session.up();
    } catch (error) {
      return detailed ? session.down({ message: messageOf(error) }) : session.down();
    }
  }
}
