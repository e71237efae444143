/** Adapters of the EventStore port (libs/event-sourcing): each passes contract/event-store.contract.ts. */
export { InMemoryEventStore } from './in-memory/in-memory-event-store';
export { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite/sqlite-event-store';
export { PostgresEventStore, type PostgresEventStoreOptions } from './postgres/postgres-event-store';
export { openEventStore, type OpenEventStoreOptions } from './open-event-store';
