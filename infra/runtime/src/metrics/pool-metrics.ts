import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Every Prometheus series the api exposes, in a registry of its own (never prom-client's global one), so two
 * apps in one process (tests, the devnet) do not collide. Names start with `pool_`; infra/deploy's alert rules
 * and dashboard use only names declared here (deploy-files.spec.ts checks that).
 *
 * Two kinds of series:
 * - events this instance saw (partials answered, appends) are counted as they happen: sum them across replicas;
 * - ledger and read-model figures (rewards, payouts, reorgs, projector lag, chain height) are set on scrape by
 *   MetricsCollector, so every replica reports the same pool-wide value: take max, not sum.
 */
export class PoolMetrics {
  readonly registry = new Registry();

  readonly partials = new Counter({
    name: 'pool_partials_total',
    help: 'Partials this instance answered, by protocol version, result (accepted, rejected, error) and pool protocol error code',
    labelNames: ['version', 'result', 'error_code'] as const,
    registers: [this.registry],
  });

  readonly partialSeconds = new Histogram({
    name: 'pool_partial_validation_seconds',
    help: 'Time from a partial arriving to its answer: parsing, validation (signatures, proof of space, signage point lookup) and recording',
    labelNames: ['result'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly appendSeconds = new Histogram({
    name: 'pool_event_store_append_seconds',
    help: 'Event store append latency seen by this instance, by outcome (ok, conflict: wrong expected revision, error)',
    labelNames: ['outcome'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly projectorLag = new Gauge({
    name: 'pool_projector_lag_events',
    help: 'Events each projection handles that are in the store but not yet applied to its read model (capped at 10000: beyond that the figure only says "far behind")',
    labelNames: ['projection'] as const,
    registers: [this.registry],
  });

  readonly chainPeakHeight = new Gauge({
    name: 'pool_chain_peak_height',
    help: "Height of the full node's peak as the pool sees it",
    registers: [this.registry],
  });

  readonly followerHeight = new Gauge({
    name: 'pool_chain_follower_height',
    help: "Peak height the chain follower of this instance has processed (only the instance holding the pool loops follows; -1 elsewhere)",
    registers: [this.registry],
  });

  readonly reorgRevertedPartials = new Gauge({
    name: 'pool_chain_reorg_reverted_partials',
    help: "Confirmed partials this instance's pool loops reverted because a reorg removed their signage point",
    registers: [this.registry],
  });

  readonly leaseHeld = new Gauge({
    name: 'pool_loops_lease_held',
    help: '1 while this instance holds the pool-loops lease and runs the loops; sum over replicas should be 1',
    registers: [this.registry],
  });

  readonly chainReachable = new Gauge({
    name: 'pool_chain_reachable',
    help: '1 when the full node answered the last scrape, else 0',
    registers: [this.registry],
  });

  readonly reorgs = new Gauge({
    name: 'pool_chain_reorgs_total',
    help: 'Chain reorganisations recorded in the ledger (ChainReorgDetected), by whether they were deeper than the safe depth',
    labelNames: ['deep'] as const,
    registers: [this.registry],
  });

  readonly reorgMaxDepth = new Gauge({
    name: 'pool_chain_reorg_max_depth',
    help: 'Depth in blocks of the deepest reorg recorded in the ledger',
    registers: [this.registry],
  });

  readonly reorgLastDepth = new Gauge({
    name: 'pool_chain_reorg_last_depth',
    help: 'Depth in blocks of the latest reorg recorded in the ledger',
    registers: [this.registry],
  });

  readonly rewards = new Gauge({
    name: 'pool_rewards_total',
    help: 'Pool rewards by state in the ledger: detected (every reward ever seen), absorbed, reverted, pending (detected, not yet absorbed or reverted)',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });

  readonly rewardMojos = new Gauge({
    name: 'pool_rewards_mojos',
    help: 'Sum of pool reward amounts by state, in mojos (a float: exact up to 2^53 mojos, about 9007 XCH)',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });

  readonly payouts = new Gauge({
    name: 'pool_payouts_total',
    help: 'Payouts by state in the ledger: planned (every payout ever planned), sent, confirmed, failed (attempts that failed), abandoned (no attempt left)',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });

  readonly payoutMojos = new Gauge({
    name: 'pool_payouts_mojos',
    help: 'Mojos allocated to farmers by payout state: planned (all plans) and confirmed (on chain)',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });

  readonly sagaPaused = new Gauge({
    name: 'pool_payout_saga_paused',
    help: '1 while a pause switch holds payouts, by switch (operator, config, pause_file); the unlabelled series is any switch',
    labelNames: ['by'] as const,
    registers: [this.registry],
  });

  readonly sagaInFlight = new Gauge({
    name: 'pool_payouts_in_flight',
    help: 'Payouts planned but neither confirmed nor abandoned',
    registers: [this.registry],
  });

  readonly sagaOldestInFlightSeconds = new Gauge({
    name: 'pool_payout_oldest_in_flight_seconds',
    help: 'Seconds since the oldest payout still in flight was planned (0 when none is)',
    registers: [this.registry],
  });

  readonly ledgerPartials = new Gauge({
    name: 'pool_ledger_partials',
    help: 'Partials in the read models by state (submitted, confirmed, reverted), pool-wide',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });

  readonly farmers = new Gauge({
    name: 'pool_farmers',
    help: 'Farmers with at least one partial in the read models',
    registers: [this.registry],
  });

  readonly httpOpenConnections = new Gauge({
    name: 'pool_http_open_connections',
    help: "Client connections this instance's api holds open (each is a file descriptor)",
    registers: [this.registry],
  });

  readonly httpMaxConnections = new Gauge({
    name: 'pool_http_max_connections',
    help: 'The cap on open client connections in force (server.max_connections, lowered to fit the open-file limit)',
    registers: [this.registry],
  });

  readonly httpConnectionsRefused = new Counter({
    name: 'pool_http_connections_refused_total',
    help: 'Client connections closed as they arrived, by cap: total (server.max_connections) or per_address (server.max_connections_per_address)',
    labelNames: ['cap'] as const,
    registers: [this.registry],
  });

  readonly httpRequestTimeouts = new Counter({
    name: 'pool_http_request_timeouts_total',
    help: 'Client connections closed for being too slow, by phase: request (headers or body not received in time) or tls_handshake',
    labelNames: ['phase'] as const,
    registers: [this.registry],
  });

  readonly collectErrors = new Counter({
    name: 'pool_metrics_collect_errors_total',
    help: 'Scrape-time collections that failed (the series keep their previous values), by source',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });

  constructor(options: { processMetrics?: boolean } = {}) {
    // Accepted-partial series exist from the start, at 0: "no partial accepted" must be an alertable zero, not an
    // absent series (which `increase()` and `sum()` turn into no answer at all).
    for (const version of ['v1', 'v2']) this.partials.inc({ version, result: 'accepted', error_code: '' }, 0);
    // Likewise refusals and timeouts: an alert on their rate needs a series before the first one.
    for (const cap of ['total', 'per_address']) this.httpConnectionsRefused.inc({ cap }, 0);
    for (const phase of ['request', 'tls_handshake']) this.httpRequestTimeouts.inc({ phase }, 0);
    // Process figures (CPU, memory, event loop lag, GC) under the same prefix, so one `pool_` selector finds all.
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'pool_' });
  }

  /** Every series name this registry can expose (histograms with their _bucket, _sum and _count series). */
  seriesNames(): Set<string> {
    const names = new Set<string>();
    for (const metric of this.registry.getMetricsAsArray()) {
      names.add(metric.name);
      if (metric instanceof Histogram) for (const suffix of ['_bucket', '_sum', '_count']) names.add(metric.name + suffix);
    }
    return names;
  }
}
