import { createHash } from 'node:crypto';
import type { SqlExecutor } from './read-model-database';

/**
 * SHA-256 over a table's rows in primary-key order, with values normalized across drivers (numbers and
 * numeric strings alike), so a rebuilt table can be compared with the live one byte for byte.
 */
export async function tableContentHash(sql: SqlExecutor, table: string, orderBy: readonly string[]): Promise<string> {
  const rows = await sql.query(`SELECT * FROM ${table} ORDER BY ${orderBy.join(', ')}`);
  const hash = createHash('sha256');
  for (const row of rows) {
    const normalized = Object.keys(row)
      .sort()
      .map((key) => [key, normalizeValue(row[key])]);
    hash.update(JSON.stringify(normalized)).update('\n');
  }
  return hash.digest('hex');
}

function normalizeValue(value: unknown): unknown {
  if (typeof value === 'number' || typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  return value;
}
