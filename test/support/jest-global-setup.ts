import { probePostgres } from './postgres';

/** Runs once before all test files; workers inherit the environment it sets. */
export default async function globalSetup(): Promise<void> {
  const probe = await probePostgres();
  if ('url' in probe) process.env.POOL_TEST_PG_AVAILABLE_URL = probe.url;
  else process.env.POOL_TEST_PG_SKIP_REASON = probe.skipReason;
}
