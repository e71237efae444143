/** The event-sourcing core: deciders, the EventStore port, idempotent command handling. No adapters, no pool rules. */
export * from './decider';
export * from './port';
export * from './errors';
export { deterministicEventId, LEDGER_NAMESPACE, uuidFromHex } from './event-id';
export * from './handle-command';
export * from './ledger-follower';
export * from './workflow';
