export * from './port';
export * from './errors';
export { deterministicEventId, LEDGER_NAMESPACE } from './event-id';
export { InMemoryEventStore } from './in-memory/in-memory-event-store';
export { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite/sqlite-event-store';
export { PostgresEventStore, type PostgresEventStoreOptions } from './postgres/postgres-event-store';
export { openEventStore } from './open-event-store';
