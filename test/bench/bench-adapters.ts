import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

/** Where a benchmark keeps its ledger and read models, and how it cleans up after itself. */
export interface BenchAdapter {
  name: string;
  eventStoreUrl: string;
  readModelsUrl: string;
  cleanup(): Promise<void>;
}

export const BENCH_PG_URL = process.env.POOL_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Fresh SQLite files in a temporary folder. */
export function sqliteBenchAdapter(label: string): BenchAdapter {
  const dir = mkdtempSync(join(tmpdir(), `pool-bench-${label}-`));
  return {
    name: 'sqlite',
    eventStoreUrl: `sqlite:${join(dir, 'events.db')}`,
    readModelsUrl: `sqlite:${join(dir, 'read-models.db')}`,
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Throwaway schemas on the local PostgreSQL, or the reason it cannot be used. */
export async function postgresBenchAdapter(label: string): Promise<BenchAdapter | string> {
  const client = new Client({ connectionString: BENCH_PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
  } catch (error) {
    return `PostgreSQL at ${BENCH_PG_URL} not reachable (${(error as Error).message})`;
  }
  const schema = `bench_${label}_${randomUUID().replace(/-/g, '').slice(0, 8)}`;
  const sep = BENCH_PG_URL.includes('?') ? '&' : '?';
  return {
    name: 'postgres',
    eventStoreUrl: `${BENCH_PG_URL}${sep}schema=${schema}_es`,
    readModelsUrl: `${BENCH_PG_URL}${sep}schema=${schema}_rm`,
    cleanup: async () => {
      await client.query(`DROP SCHEMA IF EXISTS ${schema}_es CASCADE`);
      await client.query(`DROP SCHEMA IF EXISTS ${schema}_rm CASCADE`);
      await client.end();
    },
  };
}
