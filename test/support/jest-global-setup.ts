import { existsSync } from 'node:fs';
import { probePostgres } from './postgres';
import { vectorsDir } from './vectors-dir';

/**
 * Runs once before all test files; workers inherit the environment it sets. It also says, up front,
 * which suites will be skipped and why: jest does not show console output of a suite that only skips.
 */
export default async function globalSetup(): Promise<void> {
  const probe = await probePostgres();
  if ('url' in probe) process.env.POOL_TEST_PG_AVAILABLE_URL = probe.url;
  else {
    process.env.POOL_TEST_PG_SKIP_REASON = probe.skipReason;
    console.log(`\n[skip] PostgreSQL suites: ${probe.skipReason}`);
  }
  if (!process.env.EVENTSTORE_URL) {
    console.log(
      '\n[skip] EventStoreDB contract: EVENTSTORE_URL is not set, and no EventStoreDB server can run on this machine ' +
        '(no server package on Debian or npm, no Docker engine; see infra/event-store/src/eventstoredb).',
    );
  }
  if (!existsSync(vectorsDir())) {
    console.log(`\n[skip] vector suites: ${vectorsDir()} is absent (set POOL_VECTORS_DIR); the self-contained tests still run.`);
  }
}
