import type { DomainEvent, RecordedEventOf } from '@pool/event-sourcing';
import type { SqlExecutor } from './read-model-database';

/** A read-model table: columns in portable SQL (SQLite and PostgreSQL), and its primary key. */
export interface TableSpec {
  name: string;
  columns: string;
  primaryKey: readonly string[];
  /**
   * Secondary indexes (column lists) the readers need. A rebuild creates them once its tables have caught up:
   * one sort per index instead of maintaining it row by row during the bulk load.
   */
  indexes?: readonly (readonly string[])[];
  /** Secondary indexes the fold's own queries need while it builds the table: created with the table. */
  foldIndexes?: readonly (readonly string[])[];
}

export interface ProjectionContext {
  sql: SqlExecutor;
  /** Physical name of one of the projection's tables in the generation being written. */
  table(name: string): string;
}

/**
 * A projection: a pure fold of events into tables. The runtime hands it batches in position order,
 * inside the transaction that also stores its checkpoint, and never hands it an event twice.
 * `Event` is the union it folds: `handles` lists its types, and the runtime reads only those, so `apply` gets
 * them typed (a switch over `type` needs no cast, and the compiler names the projections a new event concerns).
 */
export interface Projection<Event extends DomainEvent = DomainEvent> {
  name: string;
  /** Bump when the tables or the fold change: the runtime then rebuilds it into fresh tables. */
  version: number;
  handles: readonly Event['type'][];
  tables: readonly TableSpec[];
  apply(batch: readonly RecordedEventOf<Event>[], context: ProjectionContext): Promise<void>;
}
