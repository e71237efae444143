import { resolve } from 'node:path';
import type { EventStore } from '@pool/event-sourcing';
import { PostgresEventStore } from './postgres/postgres-event-store';
import { SqliteEventStore } from './sqlite/sqlite-event-store';

export interface OpenEventStoreOptions {
  /**
   * For commands that only read (audits, reports): open a ledger that already exists and create nothing, so a
   * mistyped URL is an error naming it instead of a new, empty ledger. (EventStoreDB creates nothing on reading.)
   */
  readOnly?: boolean;
}

/**
 * Opens the store a URL names:
 *   sqlite:./data/events.db       the embedded default (a path relative to the working directory)
 *   postgres://user@host/db       PostgreSQL (optional ?schema=name)
 *   esdb://host:2113?tls=false    EventStoreDB
 */
export async function openEventStore(url: string, options: OpenEventStoreOptions = {}): Promise<EventStore> {
  const readOnly = options.readOnly === true;
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    return new SqliteEventStore({ path: path === ':memory:' ? path : resolve(path), readOnly });
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const parsed = new URL(url);
    const schema = parsed.searchParams.get('schema') ?? undefined;
    parsed.searchParams.delete('schema');
    return PostgresEventStore.connect({ connectionString: parsed.toString(), schema, readOnly });
  }
  if (url.startsWith('esdb://') || url.startsWith('esdb+discover://')) {
    // Loaded lazily: the gRPC client is heavy and only production deployments use it.
    const { EventStoreDbEventStore } = await import('./eventstoredb/eventstoredb-event-store');
    return new EventStoreDbEventStore(url);
  }
  throw new Error(`event store URL ${JSON.stringify(url)} is not sqlite:, postgres:// or esdb://`);
}
