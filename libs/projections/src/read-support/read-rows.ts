import type { ReadModelDatabase } from '@pool/read-models';

/** A row as the driver hands it back: the helpers below turn its columns into the read API's value types. */
export type ReadRow = Record<string, unknown>;

/**
 * Reading a read model before the projector's first pass built it (the view does not exist yet). The driver's
 * message is kept: callers say "not built yet" in their own words.
 */
export class ReadModelsNotBuiltError extends Error {
  constructor(cause: Error) {
    super(cause.message, { cause });
    this.name = 'ReadModelsNotBuiltError';
  }
}

/**
 * Rows of one query over the projections' views: the names with no generation suffix, so a rebuild's switch is
 * invisible here. Nothing reads the write side.
 */
export async function readRows(readModels: ReadModelDatabase, sql: string, params: readonly unknown[] = []): Promise<ReadRow[]> {
  try {
    return await readModels.executor().query<ReadRow>(sql, params);
  } catch (error) {
    if (/no such table|does not exist/i.test((error as Error).message)) throw new ReadModelsNotBuiltError(error as Error);
    throw error;
  }
}

/** Bigint columns as decimal strings: SQLite hands integers past 2^53 back rounded otherwise. */
export const text = (column: string, alias = column.replace(/^\w+\./, '')): string => `CAST(${column} AS TEXT) AS ${alias}`;
export const sumText = (column: string, alias: string): string => `CAST(COALESCE(SUM(${column}), 0) AS TEXT) AS ${alias}`;

export const str = (value: unknown): string => (value === null || value === undefined ? '0' : String(value));
export const num = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));
export const numOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
export const strOrNull = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));
/** 0/1 columns (SQLite has no booleans), null kept. */
export const flagOrNull = (value: unknown): boolean | null => (value === null || value === undefined ? null : num(value) === 1);
export const jsonList = (value: unknown): string[] => (typeof value === 'string' && value !== '' ? (JSON.parse(value) as string[]) : []);
