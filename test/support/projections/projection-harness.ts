import { randomUUID } from 'node:crypto';
import { InMemoryEventStore } from '@pool/event-store';
import { type RecordedEvent } from '@pool/event-sourcing';
import { ReadModelDatabase, tableContentHash } from '@pool/read-models';
import { createGeneration, physicalTable } from '@pool/read-models';
import type { Projection, ProjectionContext } from '@pool/read-models';
import type { LedgerEvent } from './generated-ledger';

/**
 * Drives one projection directly (no runtime): fresh generation tables, batches applied in their own
 * transactions, content hashes of every table. Used by the projection specs.
 */
export class ProjectionHarness {
  private constructor(
    readonly db: ReadModelDatabase,
    readonly projection: Projection,
    readonly generation: number,
  ) {}

  static async open(db: ReadModelDatabase, projection: Projection): Promise<ProjectionHarness> {
    const generation = await db.transaction((sql) => createGeneration(sql, projection));
    return new ProjectionHarness(db, projection, generation);
  }

  context(sql: ProjectionContext['sql'], newestEvents?: readonly RecordedEvent[]): ProjectionContext {
    return { sql, table: (name) => physicalTable(name, this.generation), newestEvents };
  }

  /**
   * Applies the events the projection handles, `batchSize` at a time, each batch in one transaction; with
   * `newestEvents`, as a rebuild does (ProjectionContext.newestEvents).
   */
  async apply(events: readonly RecordedEvent[], batchSize = 100, newestEvents?: readonly RecordedEvent[]): Promise<void> {
    const mine = events.filter((e) => this.projection.handles.includes(e.type));
    for (let i = 0; i < mine.length; i += batchSize) {
      const batch = mine.slice(i, i + batchSize);
      await this.db.transaction((sql) => this.projection.apply(batch, this.context(sql, newestEvents)));
    }
  }

  /** Table name -> SHA-256 of its rows in primary-key order. */
  async hashes(): Promise<Record<string, string>> {
    const hashes: Record<string, string> = {};
    const sql = this.db.executor();
    for (const table of this.projection.tables) {
      hashes[table.name] = await tableContentHash(sql, physicalTable(table.name, this.generation), table.primaryKey);
    }
    return hashes;
  }

  async rows(table: string, orderBy = this.projection.tables.find((t) => t.name === table)!.primaryKey.join(', ')): Promise<Record<string, unknown>[]> {
    return this.db.executor().query(`SELECT * FROM ${physicalTable(table, this.generation)} ORDER BY ${orderBy}`);
  }
}

/** Records events in an in-memory store (one stream each, in order) and returns them as the store hands them out. */
export async function record(events: readonly (LedgerEvent | { stream?: string; event: LedgerEvent; schemaVersion?: number })[]): Promise<RecordedEvent[]> {
  const store = new InMemoryEventStore();
  const positions: string[] = [];
  for (const item of events) {
    const event = 'event' in item ? item.event : item;
    // A plan's ledger position: '' = the event before it, '@n' = the n-th event recorded (0-based).
    if (event.type === 'PayoutPlanned' && event.data.ledgerPosition === '') event.data.ledgerPosition = positions[positions.length - 1] ?? '';
    else if (event.type === 'PayoutPlanned' && event.data.ledgerPosition.startsWith('@')) event.data.ledgerPosition = positions[Number(event.data.ledgerPosition.slice(1))]!;
    const stream = ('stream' in item && item.stream) || `s-${randomUUID()}`;
    const schemaVersion = 'schemaVersion' in item ? item.schemaVersion : undefined;
    const result = await store.append(stream, [{ id: randomUUID(), type: event.type, ...(schemaVersion === undefined ? {} : { schemaVersion }), data: event.data }], {
      expectedRevision: 'any',
    });
    positions.push(result.position);
  }
  const all: RecordedEvent[] = [];
  for (;;) {
    const page = await store.readAll({ after: all[all.length - 1]?.position, maxCount: 10_000 });
    all.push(...page);
    if (page.length < 10_000) break;
  }
  await store.close();
  return all;
}

/** Opens SQLite in memory, or a throwaway PostgreSQL schema. */
export async function openReadModels(pgUrl?: string, schema?: string): Promise<ReadModelDatabase> {
  if (pgUrl === undefined) return ReadModelDatabase.open('sqlite::memory:');
  return ReadModelDatabase.open(`${pgUrl}${pgUrl.includes('?') ? '&' : '?'}schema=${schema}`);
}

/** Table name -> content hash of each table of these projections, as the read models show them (their views). */
export async function projectionTableHashes(db: ReadModelDatabase, projections: readonly Projection[]): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const projection of projections) {
    for (const table of projection.tables) result[table.name] = await tableContentHash(db.executor(), table.name, table.primaryKey);
  }
  return result;
}
