import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { readPayoutsControl } from '@pool/commands';
import { type PoolConfig } from '@pool/config';
import { type EventStore } from '@pool/event-sourcing';
import { allProjections } from '@pool/projections';
import { projectionStatus, type ReadModelDatabase } from '@pool/read-models';
import { EVENT_STORE, POOL_CONFIG, READ_MODELS } from '@pool/runtime';
import { PoolHealthIndicators } from '../../health/pool-health.indicators';
import { PayoutsControlResponse } from '../payouts-control/payouts-control.response';
import { type OperatorHealthResponse } from './operator-health.response';
import { OperatorHealthQuery } from './operator-health.query';

const startedAt = Date.now();
const errorOf = (error: unknown): { error: string } => ({ error: (error as Error).message });

@QueryHandler(OperatorHealthQuery)
export class OperatorHealthHandler implements IQueryHandler<OperatorHealthQuery> {
  constructor(
    @Inject(POOL_CONFIG) private readonly config: PoolConfig,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly readModels: ReadModelDatabase,
    private readonly indicators: PoolHealthIndicators,
  ) {}

  async execute(): Promise<OperatorHealthResponse> {
    const [eventStore, readModels, chain] = await Promise.all([
      this.indicators.checkEventStore(true),
      this.indicators.checkReadModels(true),
      this.indicators.checkChain(true),
    ]);
    const checks = { ...eventStore, ...readModels, ...chain };
    const projections = await projectionStatus(this.store, this.readModels, allProjections, 10_000).catch(errorOf);
    const payouts = await readPayoutsControl(this.store).then(PayoutsControlResponse.of, errorOf);
    const s = this.config.settings;
    return {
      status: Object.values(checks).every((c) => c.status === 'up') ? 'ok' : 'error',
      checks,
      projections,
      payouts,
      process: { pid: process.pid, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000), rssBytes: process.memoryUsage().rss, node: process.version },
      // What the pool runs with, secrets left out.
      config: {
        source: this.config.source ?? null,
        eventStore: this.store.name,
        readModels: this.readModels.dialect,
        chain: this.config.chia.fullNode ? `${this.config.chia.fullNode.host}:${this.config.chia.fullNode.port ?? 8555}` : 'devnet',
        logLevel: this.config.logLevel,
        pool: { name: s.name, feeBasisPoints: s.feeBasisPoints, targetPuzzleHash: s.targetPuzzleHash },
        payouts: { scheme: s.payouts.scheme, minimumPayout: s.payouts.minimumPayout.toString(), intervalSeconds: s.payouts.intervalSeconds },
      },
    };
  }
}
