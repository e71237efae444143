import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { type FullNodeRpc } from '@pool/chia';
import { type PoolConfig } from '@pool/config';
import { EVENT_STORE, POOL_CONFIG, READ_MODELS } from '@pool/runtime';
import { type EventStore } from '@pool/event-sourcing';
import { allProjections } from '@pool/projections';
import { projectorProgress, type ReadModelDatabase } from '@pool/read-models';
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

/** An event store that can say whether it can write now (the SQLite adapter: a probe write after a failed append). */
interface WritableCheck {
  checkWritable(): Promise<void>;
}
const canCheckWritable = (store: EventStore): store is EventStore & WritableCheck =>
  typeof (store as Partial<WritableCheck>).checkWritable === 'function';

/** How long events may wait for the projector, with no checkpoint moving, before the read side counts as stuck. */
export const DEFAULT_PROJECTIONS_STALLED_AFTER_SECONDS = 60;

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
    @Inject(POOL_CONFIG) private readonly config: PoolConfig,
  ) {}

  /**
   * The store answers, and can be written: a pool whose ledger refuses every append (a full disk) refuses every
   * partial, so it must leave the rotation, and come back once a probe write succeeds again.
   */
  async checkEventStore(detailed = false): Promise<HealthIndicatorResult<'eventStore'>> {
    const session = this.indicator.check('eventStore');
    let head;
    try {
      head = await within(this.store.headPosition(), HEALTH_TIMEOUT_MS, 'the event store');
    } catch (error) {
      return detailed ? session.down({ message: messageOf(error) }) : session.down();
    }
    const store = this.store;
    if (canCheckWritable(store)) {
      try {
        await within(store.checkWritable(), HEALTH_TIMEOUT_MS, 'the event store write probe');
      } catch (error) {
        const reason = 'the ledger cannot be written';
        return detailed ? session.down({ reason, message: messageOf(error) }) : session.down({ reason });
      }
    }
    return detailed ? session.up({ adapter: this.store.name, headPosition: head ?? null }) : session.up();
  }

  /**
   * The projector keeps up: events that have waited longer than the configured time while no checkpoint moved mean
   * its batches fail (a full disk, a held lock) or it is not running, and the read API serves an ever older past.
   * Seen from the databases alone, so it holds for a projector in another process, or one that died.
   */
  async checkProjections(detailed = false): Promise<HealthIndicatorResult<'projections'>> {
    const session = this.indicator.check('projections');
    const stalledAfterMs = (this.config.projectionsStalledAfterSeconds ?? DEFAULT_PROJECTIONS_STALLED_AFTER_SECONDS) * 1000;
    try {
      const progress = await within(projectorProgress(this.store, this.readModels, allProjections), HEALTH_TIMEOUT_MS, 'the projection checkpoints');
      const now = Date.now();
      const waitingMs = progress.oldestWaitingAt === undefined ? 0 : now - progress.oldestWaitingAt.getTime();
      const idleMs = progress.lastProgressAt === undefined ? Number.POSITIVE_INFINITY : now - progress.lastProgressAt;
      const figures = {
        oldestWaitingSeconds: Math.max(0, Math.round(waitingMs / 1000)),
        sinceLastCheckpointSeconds: Number.isFinite(idleMs) ? Math.max(0, Math.round(idleMs / 1000)) : null,
      };
      if (waitingMs > stalledAfterMs && idleMs > stalledAfterMs) {
        const reason = `events have waited over ${Math.round(stalledAfterMs / 1000)} s for the projector and no checkpoint moved`;
        return detailed ? session.down({ reason, ...figures }) : session.down({ reason });
      }
      return detailed ? session.up(figures) : session.up();
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
