import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runEventStoreContract } from '../contract/event-store.contract';
import { SqliteEventStore } from './sqlite-event-store';

const dir = mkdtempSync(join(tmpdir(), 'pool-sqlite-contract-'));
const path = join(dir, 'events.db');
let store: SqliteEventStore;

beforeAll(() => {
  store = new SqliteEventStore({ path, pollIntervalMs: 20 });
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

// Writers open their own connections to the same file, as separate api processes would.
runEventStoreContract('sqlite', {
  store: () => store,
  openWriter: async () => new SqliteEventStore({ path, pollIntervalMs: 20 }),
});
