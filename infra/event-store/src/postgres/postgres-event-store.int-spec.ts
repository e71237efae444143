import { describeWithPostgres, dropSchema, testSchema } from '@pool/testing';
import { runEventStoreContract } from '../contract/event-store.contract';
import { PostgresEventStore } from './postgres-event-store';

describeWithPostgres('PostgreSQL event store', (url) => {
  const schema = testSchema('es');
  let store: PostgresEventStore;

  beforeAll(async () => {
    store = await PostgresEventStore.connect({ connectionString: url, schema, pollIntervalMs: 20 });
  });
  afterAll(async () => {
    await store.close();
    await dropSchema(url, schema);
  });

  // Each writer has its own connection pool, as separate api processes would.
  runEventStoreContract('postgres', {
    store: () => store,
    openWriter: () => PostgresEventStore.connect({ connectionString: url, schema, poolSize: 2, pollIntervalMs: 20 }),
  });
});
