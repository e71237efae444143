import type { GlobalPosition } from '@pool/event-sourcing';
import type { GenerationStatus } from './projection-generation.entity';
import type { SqlExecutor } from './read-model-database';
import type { Projection, TableSpec } from './projection';

/**
 * Each projection's tables exist per generation (`farmer_points__g3`); a view with the plain name
 * (`farmer_points`) points at the active one, so readers never see a half-built rebuild.
 */
export function physicalTable(table: string, generation: number): string {
  return `${table}__g${generation}`;
}

export interface GenerationRow {
  name: string;
  generation: number;
  version: number;
  status: GenerationStatus;
  position: GlobalPosition | null;
}

const SELECT = 'SELECT name, generation, version, status, position FROM projection_generations';

function toRow(raw: Record<string, unknown>): GenerationRow {
  return {
    name: String(raw.name),
    generation: Number(raw.generation),
    version: Number(raw.version),
    status: raw.status as GenerationStatus,
    position: (raw.position as GlobalPosition | null) ?? null,
  };
}

export async function activeGeneration(sql: SqlExecutor, name: string): Promise<GenerationRow | undefined> {
  const [row] = await sql.query(`${SELECT} WHERE name = ? AND status = 'active'`, [name]);
  return row ? toRow(row) : undefined;
}

/** Reads a generation for update: on PostgreSQL the row lock serializes live batches with a rebuild's switch. */
export async function lockGeneration(sql: SqlExecutor, name: string, generation: number): Promise<GenerationRow | undefined> {
  const lock = sql.dialect === 'postgres' ? ' FOR UPDATE' : '';
  const [row] = await sql.query(`${SELECT} WHERE name = ? AND generation = ?${lock}`, [name, generation]);
  return row ? toRow(row) : undefined;
}

export async function listGenerations(sql: SqlExecutor): Promise<GenerationRow[]> {
  return (await sql.query(`${SELECT} ORDER BY name, generation`)).map(toRow);
}

/**
 * `deferIndexes`: a rebuild creates the reader indexes once its tables have caught up (finishTable), which
 * sorts each index once instead of maintaining it row by row during the bulk load.
 */
export async function createGeneration(sql: SqlExecutor, projection: Projection, options: { deferIndexes?: boolean } = {}): Promise<number> {
  const [max] = await sql.query<{ max: number | string | null }>('SELECT max(generation) AS max FROM projection_generations WHERE name = ?', [
    projection.name,
  ]);
  const generation = Number(max?.max ?? 0) + 1;
  for (const table of projection.tables) {
    const name = physicalTable(table.name, generation);
    await sql.query(`DROP TABLE IF EXISTS ${name}`);
    // PostgreSQL: a generation is built UNLOGGED (no WAL per row) and made LOGGED once it has caught up. A crash
    // mid-build empties it, which is harmless: a building generation is never resumed, a rebuild starts afresh.
    const unlogged = sql.dialect === 'postgres' ? 'UNLOGGED ' : '';
    await sql.query(`CREATE ${unlogged}TABLE ${name} (${table.columns}, PRIMARY KEY (${table.primaryKey.join(', ')}))`);
    for (const [i, columns] of (table.foldIndexes ?? []).entries()) {
      await sql.query(`CREATE INDEX ${name}_fx${i} ON ${name} (${columns.join(', ')})`);
    }
  }
  if (!options.deferIndexes) await createIndexes(sql, projection, generation);
  await sql.query(
    `INSERT INTO projection_generations (name, generation, version, status, position, "updatedAt") VALUES (?, ?, ?, 'building', NULL, ?)`,
    [projection.name, generation, projection.version, Date.now()],
  );
  return generation;
}

async function createIndexes(sql: SqlExecutor, projection: Projection, generation: number): Promise<void> {
  for (const table of projection.tables) await createTableIndexes(sql, table, generation);
}

async function createTableIndexes(sql: SqlExecutor, table: TableSpec, generation: number): Promise<void> {
  const name = physicalTable(table.name, generation);
  for (const [i, columns] of (table.indexes ?? []).entries()) {
    await sql.query(`CREATE INDEX IF NOT EXISTS ${name}_ix${i} ON ${name} (${columns.join(', ')})`);
  }
}

/**
 * A rebuilt table made ready for its switch: its reader indexes, and on PostgreSQL its rows written to the WAL
 * (SET LOGGED). Done before the switching transaction, table by table, so on PostgreSQL the tables can be
 * finished at the same time on separate connections; activation finds them already logged.
 */
export async function finishTable(sql: SqlExecutor, table: TableSpec, generation: number): Promise<void> {
  await createTableIndexes(sql, table, generation);
  if (sql.dialect === 'postgres') await sql.query(`ALTER TABLE ${physicalTable(table.name, generation)} SET LOGGED`);
}

export async function saveCheckpoint(sql: SqlExecutor, name: string, generation: number, position: GlobalPosition): Promise<void> {
  await sql.query('UPDATE projection_generations SET position = ?, "updatedAt" = ? WHERE name = ? AND generation = ?', [
    position,
    Date.now(),
    name,
    generation,
  ]);
}

/** Points the views at `generation`, marks it active and drops the tables of the generation it replaces. */
export async function activateGeneration(sql: SqlExecutor, projection: Projection, generation: number): Promise<void> {
  const previous = await activeGeneration(sql, projection.name);
  for (const table of projection.tables) {
    if (sql.dialect === 'postgres') await sql.query(`ALTER TABLE ${physicalTable(table.name, generation)} SET LOGGED`);
    await sql.query(`DROP VIEW IF EXISTS ${table.name}`);
    await sql.query(`CREATE VIEW ${table.name} AS SELECT * FROM ${physicalTable(table.name, generation)}`);
  }
  if (previous) {
    await sql.query(`UPDATE projection_generations SET status = 'retired', "updatedAt" = ? WHERE name = ? AND generation = ?`, [
      Date.now(),
      projection.name,
      previous.generation,
    ]);
    for (const table of projection.tables) await sql.query(`DROP TABLE IF EXISTS ${physicalTable(table.name, previous.generation)}`);
  }
  await sql.query(`UPDATE projection_generations SET status = 'active', "updatedAt" = ? WHERE name = ? AND generation = ?`, [
    Date.now(),
    projection.name,
    generation,
  ]);
}
