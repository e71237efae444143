/** Adapters of the EventStore port (libs/event-sourcing): each passes contract/event-store.contract.ts. */
export { InMemoryEventStore } from './in-memory/in-memory-event-store';
export { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite/sqlite-event-store';
export { PostgresEventStore, type PostgresEventStoreOptions } from './postgres/postgres-event-store';
export { openEventStore, type OpenEventStoreOptions } from './open-event-store';
/** The ledgers' row formats, and a SQLite ledger's stored JSON (text in format 1, packed in format 2) for tools and tests that read rows. */
export { packJson } from './packed-json';
export { positionsOfType, storedData } from './sqlite/ledger-row-format';
export { NEWEST_LEDGER_FORMAT } from './ledger-format';
