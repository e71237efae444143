import type { DomainEvent, RecordedEvent, RecordedEventOf } from '@pool/event-sourcing';
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
  /**
   * In a rebuild: the ledger's newest events (any type, up to a thousand) when its catch-up began. Every one of them
   * is applied before the rebuild switches, so their times are a lower bound of where a projection's ledger clock will
   * end, and detail that its pruning would delete by then need not be written at all. Undefined when following live.
   */
  newestEvents?: readonly RecordedEvent[];
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
  /**
   * What a rebuild spends on this projection, relative to the others (default 1): a parallel rebuild balances its
   * threads by it. The figures given are seconds of `apply` per million generated events (bench:projections' ledger,
   * SQLite, one thread); only their ratios matter.
   */
  rebuildWeight?: number;
  apply(batch: readonly RecordedEventOf<Event>[], context: ProjectionContext): Promise<void>;
}
