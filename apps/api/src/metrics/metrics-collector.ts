import { Inject, Injectable, Logger } from '@nestjs/common';
import { EVENT_STORE, READ_MODELS } from '@pool/runtime';
import { type EventStore } from '@pool/event-sourcing';
import { allProjections } from '@pool/projections';
import { projectionStatus } from '@pool/read-models';
import { type ReadModelDatabase } from '@pool/read-models';
import { PeakTracker } from '../pool-protocol/peak-tracker';
import { CLOCK, type Clock } from '@pool/runtime';
import { LedgerFigureFold } from './ledger-figures';
import { PoolMetrics } from '@pool/runtime';

/** A scrape must answer even when a dependency hangs; what times out keeps its previous value. */
const SOURCE_TIMEOUT_MS = 5_000;
const LAG_CAP = 10_000;

/** Sets the ledger, read-model and chain gauges just before a scrape is answered. */
@Injectable()
export class MetricsCollector {
  private readonly ledger = new LedgerFigureFold();
  private readonly logger = new Logger('Metrics');

  constructor(
    private readonly metrics: PoolMetrics,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly readModels: ReadModelDatabase,
    private readonly peak: PeakTracker,
    @Inject(CLOCK) private readonly now: Clock,
  ) {}

  async collect(): Promise<void> {
    await Promise.all([
      this.guard('ledger', () => this.collectLedger()),
      this.guard('projector', () => this.collectProjectorLag()),
      this.guard('read_models', () => this.collectReadModels()),
      this.collectChain(),
    ]);
  }

  private async guard(source: string, work: () => Promise<void>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        work(),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${source} timed out`)), SOURCE_TIMEOUT_MS))),
      ]);
    } catch (error) {
      // Counted for alerting; logged at debug only, since a scrape every 15 s would repeat it endlessly.
      this.metrics.collectErrors.inc({ source });
      this.logger.debug(`collecting ${source} failed: ${(error as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
  }

  private async collectLedger(): Promise<void> {
    await this.ledger.catchUp(this.store);
    const f = this.ledger.figures();
    const m = this.metrics;
    for (const [state, n] of Object.entries(f.rewards)) m.rewards.set({ state }, n);
    for (const [state, mojos] of Object.entries(f.rewardMojos)) m.rewardMojos.set({ state }, Number(mojos));
    for (const [state, n] of Object.entries(f.payouts)) m.payouts.set({ state }, n);
    for (const [state, mojos] of Object.entries(f.payoutMojos)) m.payoutMojos.set({ state }, Number(mojos));
    m.sagaPaused.set(f.pausedBy.length > 0 ? 1 : 0);
    for (const by of ['operator', 'config', 'pause_file']) m.sagaPaused.set({ by }, f.pausedBy.includes(by) ? 1 : 0);
    m.sagaInFlight.set(f.inFlight);
    m.sagaOldestInFlightSeconds.set(f.oldestInFlightPlannedAt === undefined ? 0 : Math.max(0, this.now() - f.oldestInFlightPlannedAt));
    m.reorgs.set({ deep: 'false' }, f.reorgs.shallow);
    m.reorgs.set({ deep: 'true' }, f.reorgs.deep);
    m.reorgMaxDepth.set(f.reorgs.maxDepth);
    m.reorgLastDepth.set(f.reorgs.lastDepth);
  }

  private async collectProjectorLag(): Promise<void> {
    for (const status of await projectionStatus(this.store, this.readModels, allProjections, LAG_CAP)) {
      this.metrics.projectorLag.set({ projection: status.name }, status.lag);
    }
  }

  private async collectReadModels(): Promise<void> {
    const [row] = await this.readModels
      .executor()
      .query<Record<string, number | string | null>>(
        'SELECT count(*) AS farmers, sum(partials_submitted) AS submitted, sum(partials_confirmed) AS confirmed, sum(partials_reverted) AS reverted FROM farmer_points',
      );
    this.metrics.farmers.set(Number(row?.farmers ?? 0));
    for (const state of ['submitted', 'confirmed', 'reverted']) this.metrics.ledgerPartials.set({ state }, Number(row?.[state] ?? 0));
  }

  private async collectChain(): Promise<void> {
    // The lease and chain-follower gauges are the worker's (it sets them as they change).
    let timer: NodeJS.Timeout | undefined;
    try {
      const height = await Promise.race([
        this.peak.height(),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('chain timed out')), SOURCE_TIMEOUT_MS))),
      ]);
      this.metrics.chainPeakHeight.set(height);
      this.metrics.chainReachable.set(1);
    } catch {
      this.metrics.chainReachable.set(0);
      this.metrics.collectErrors.inc({ source: 'chain' });
    } finally {
      clearTimeout(timer);
    }
  }
}
