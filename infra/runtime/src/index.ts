/** What every app's process needs around the domain: tokens, logging, shutdown, loops, leases, metrics. */
export * from './tokens';
export * from './abortable-sleep';
export * from './run-every';
export * from './graceful-shutdown';
export * from './logging/pino-nest-logger';
export * from './leases/lease-keeper';
export * from './leases/sql-lease.store';
export * from './metrics/pool-metrics';
export * from './metrics/prometheus-text';
export * from './metrics/instrumented-event-store';
export * from './chia-node';
export * from './ports.module';
export * from './worker-script';
