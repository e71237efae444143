import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

/**
 * PostgreSQL for integration tests. POOL_TEST_PG_URL names the server (.ci/run sets it and makes sure
 * the server runs). Without it, the local default is tried; if nothing answers the tests are skipped
 * with the reason printed, except under CI=true, where a missing server is a failure.
 */
export const DEFAULT_TEST_PG_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export async function probePostgres(): Promise<{ url: string } | { skipReason: string }> {
  const url = process.env.POOL_TEST_PG_URL ?? DEFAULT_TEST_PG_URL;
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { url };
  } catch (error) {
    const reason = `PostgreSQL at ${url} is not reachable (${(error as Error).message}); set POOL_TEST_PG_URL`;
    if (process.env.CI === 'true' || process.env.POOL_TEST_PG_URL) throw new Error(reason);
    return { skipReason: reason };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A throwaway schema name, unique per test file run. */
export function testSchema(label: string): string {
  return `t_${label}_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
}

export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** Registers the suite when PostgreSQL is available (decided in jest's global setup), else skips it with the reason. */
export function describeWithPostgres(name: string, body: (url: string) => void): void {
  const url = process.env.POOL_TEST_PG_AVAILABLE_URL;
  if (!url) {
    const reason = process.env.POOL_TEST_PG_SKIP_REASON ?? 'PostgreSQL probe did not run';
    console.warn(`[postgres] ${name} skipped: ${reason}`);
    describe.skip(`${name} (PostgreSQL unavailable)`, () => {
      it('needs PostgreSQL', () => undefined);
    });
    return;
  }
  describe(name, () => body(url));
}
