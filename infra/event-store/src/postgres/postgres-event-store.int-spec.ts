import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { describeWithPostgres, dropSchema, testSchema } from '@pool/testing';
import { runEventStoreContract, untilVisible } from '../contract/event-store.contract';
import { packJson, unpackJson } from '../packed-json';
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

  it('writes streams created together with one event each in one transaction, not one each', async () => {
    const stream = `batched-${randomUUID()}-`;
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => store.append(`${stream}${i}`, [{ id: randomUUID(), type: 'Created', data: { i } }], { expectedRevision: 'no_stream' })),
    );
    // A position is (transaction, sequence): 50 appends in one turn go out as at most the two batches in flight.
    const transactions = new Set(results.map((r) => r.position.split(':')[0]));
    expect(transactions.size).toBeLessThanOrEqual(2);
    expect(new Set(results.map((r) => r.position)).size).toBe(50);
  });

  it('fails only the creation the database refuses, not the others of its batch', async () => {
    const p = `refused-${randomUUID()}-`;
    const [good, bad] = await Promise.allSettled([
      store.append(`${p}good`, [{ id: randomUUID(), type: 'Created', data: {} }], { expectedRevision: 'no_stream' }),
      // PostgreSQL text holds no NUL character.
      store.append(`${p}bad`, [{ id: randomUUID(), type: 'Bad\u0000Type', data: {} }], { expectedRevision: 'no_stream' }),
    ]);
    expect(good.status).toBe('fulfilled');
    expect((bad as PromiseRejectedResult).reason).toHaveProperty('message', expect.stringMatching(/0x00/));
    expect(await store.readStream(`${p}good`)).toHaveLength(1);
  });

  it('shows a commit once every older transaction has ended, and says caughtUp only after what was committed when it started', async () => {
    const stream = `behind-${randomUUID()}`;
    const start = await store.headPosition();
    // An older transaction, still running (in any database of the server): a reader cannot yet know whether it
    // will commit rows before the append below, so it shows none after it.
    const older = new Client({ connectionString: url });
    await older.connect();
    try {
      await older.query('BEGIN');
      await older.query('SELECT pg_current_xact_id()');
      const appended = await store.append(stream, [{ id: randomUUID(), type: 'Behind', data: {} }], { expectedRevision: 'no_stream' });
      expect(await store.readAll({ after: start, filter: { streamPrefixes: [stream] } })).toEqual([]);
      expect(await store.readStream(stream)).toHaveLength(1);

      const controller = new AbortController();
      const messages = store.subscribeToAll({ after: start, filter: { streamPrefixes: [stream] }, signal: controller.signal })[Symbol.asyncIterator]();
      const first = messages.next();
      // Long enough for several polls: without the wait for older transactions, caughtUp would come now, empty.
      await new Promise((resolve) => setTimeout(resolve, 200));
      await older.query('COMMIT');
      expect((await first).value).toMatchObject({ kind: 'events', events: [{ stream, position: appended.position }] });
      expect((await messages.next()).value).toEqual({ kind: 'caughtUp', position: appended.position });
      controller.abort();
      await messages.return?.(undefined);
    } finally {
      await older.end();
    }
  });

  it('works in a schema of the longest name PostgreSQL takes (63 characters), naming its statements within the limit', async () => {
    const longSchema = testSchema('long').padEnd(63, 'x');
    const errors = jest.spyOn(console, 'error');
    const long = await PostgresEventStore.connect({ connectionString: url, schema: longSchema });
    try {
      const stream = `partial-${'ab'.repeat(32)}`;
      await long.append(stream, [{ id: randomUUID(), type: 'PartialSubmitted', data: {} }], { expectedRevision: 'no_stream' });
      await long.append('farmer-x', [{ id: randomUUID(), type: 'Tested', data: {} }], { expectedRevision: 'any' });
      expect(await long.readStream(stream, { direction: 'backwards' })).toHaveLength(1);
      expect(await long.readStream('farmer-x')).toHaveLength(1);
      expect(errors).not.toHaveBeenCalled();
    } finally {
      errors.mockRestore();
      await long.close();
      await dropSchema(url, longSchema);
    }
  });

  // Each writer has its own connection pool, as separate api processes would.
  runEventStoreContract('postgres', {
    store: () => store,
    openWriter: () => PostgresEventStore.connect({ connectionString: url, schema, poolSize: 2, pollIntervalMs: 20 }),
  });
});

describeWithPostgres('PostgreSQL ledger formats', (url) => {
  const schema = testSchema('es_format1');
  const schema2 = testSchema('es_format2_contract');
  let format1: PostgresEventStore;
  let format2: PostgresEventStore;
  const hex = 'c0ffee'.repeat(10) + 'beef';

  beforeAll(async () => {
    format1 = await PostgresEventStore.connect({ connectionString: url, schema, pollIntervalMs: 20, newLedgerFormat: 1 });
    format2 = await PostgresEventStore.connect({ connectionString: url, schema: schema2, pollIntervalMs: 20, newLedgerFormat: 2 });
  });
  afterAll(async () => {
    await format1.close();
    await format2.close();
    await dropSchema(url, schema);
    await dropSchema(url, schema2);
  });

  // Ledgers created before format 3 keep their format, and a second process opening one finds that format.
  runEventStoreContract('postgres, a ledger of format 1', {
    store: () => format1,
    openWriter: () => PostgresEventStore.connect({ connectionString: url, schema, poolSize: 2, pollIntervalMs: 20 }),
  });
  runEventStoreContract('postgres, a ledger of format 2', {
    store: () => format2,
    openWriter: () => PostgresEventStore.connect({ connectionString: url, schema: schema2, poolSize: 2, pollIntervalMs: 20 }),
  });

  const rowsOf = async (inSchema: string, stream: string | Buffer) => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      const columns = await client.query<{ column_name: string; data_type: string }>(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'es_events' AND column_name IN ('stream_id', 'data', 'type', 'type_id')",
        [inSchema],
      );
      const rows = await client.query<{ stream_id: unknown; data: unknown; metadata: unknown }>(
        `SELECT * FROM "${inSchema}".es_events WHERE stream_id = $1 ORDER BY stream_revision`,
        [stream],
      );
      const tables = await client.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_name LIKE 'es\\_%' ORDER BY table_name",
        [inSchema],
      );
      const indexes = await client.query<{ indexdef: string }>("SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = 'es_events' ORDER BY indexdef", [inSchema]);
      return {
        types: Object.fromEntries(columns.rows.map((c) => [c.column_name, c.data_type])),
        rows: rows.rows,
        tables: tables.rows.map((t) => t.table_name),
        indexes: indexes.rows.map((i) => i.indexdef.replace(/^.* USING btree /, '')).sort(),
      };
    } finally {
      await client.end();
    }
  };

  it('format 2 stores a hex-named stream as a marker, its head and 32 bytes, the JSON packed, and no es_streams', async () => {
    const newSchema = testSchema('es_format2');
    const store = await PostgresEventStore.connect({ connectionString: url, schema: newSchema, newLedgerFormat: 2 });
    try {
      const data = { launcherId: hex, points: '2' };
      const appended = await store.append(`partial-${hex}`, [{ id: randomUUID(), type: 'PartialSubmitted', data }], { expectedRevision: 'no_stream' });
      await store.append('payouts-control', [{ id: randomUUID(), type: 'Tested', data: {} }], { expectedRevision: 'no_stream' });
      const partial = await rowsOf(newSchema, Buffer.concat([Buffer.from([0xff]), Buffer.from('partial-'), Buffer.from(hex, 'hex')]));
      expect(partial.types).toEqual({ stream_id: 'bytea', data: 'bytea', type: 'text' });
      expect(partial.tables).toEqual(['es_events']);
      expect(partial.rows).toHaveLength(1);
      expect(unpackJson(partial.rows[0]!.data as Buffer)).toEqual(data);
      expect(unpackJson(partial.rows[0]!.metadata as Buffer)).toEqual({});
      expect((await rowsOf(newSchema, Buffer.from('payouts-control'))).rows).toHaveLength(1);
      await untilVisible(store, appended.position);
      expect((await store.readAll({ filter: { streamPrefixes: ['partial-c0f'] } })).map((e) => e.data)).toEqual([data]);
      // What a build from before format 2 sends with every append: its JSON does not fit, so nothing is written.
      const client = new Client({ connectionString: url });
      await client.connect();
      await expect(
        client.query(`INSERT INTO "${newSchema}".es_events (stream_id, stream_revision, event_id, type, schema_version, data, metadata)
          SELECT $1, 0, e.id, e.type, e.v, e.data, e.metadata FROM unnest($2::uuid[], $3::text[], $4::int[], $5::json[], $6::json[]) AS e(id, type, v, data, metadata)`, [
          `partial-${hex}`, [randomUUID()], ['PartialSubmitted'], [1], [JSON.stringify(data)], ['{}'],
        ]),
      ).rejects.toThrow(/is of type bytea but expression is of type json/);
      await client.end();
    } finally {
      await store.close();
      await dropSchema(url, newSchema);
    }
  });

  it('format 1 (ledgers created before) keeps text names and JSON', async () => {
    await format1.append(`partial-${hex}`, [{ id: randomUUID(), type: 'PartialSubmitted', data: { points: '1' } }], { expectedRevision: 'no_stream' });
    const partial = await rowsOf(schema, `partial-${hex}`);
    expect(partial.types).toEqual({ stream_id: 'text', data: 'json', type: 'text' });
    expect(partial.tables).toEqual(['es_events', 'es_streams']);
    expect(partial.rows.map((r) => [r.data, r.metadata])).toEqual([[{ points: '1' }, {}]]);
  });

  it('format 3 (new ledgers) stores type names and shared values once, rows and data point to them, and the global order is the key', async () => {
    const newSchema = testSchema('es_format3');
    const store = await PostgresEventStore.connect({ connectionString: url, schema: newSchema });
    const other = await PostgresEventStore.connect({ connectionString: url, schema: newSchema, poolSize: 2 });
    try {
      const launcherId = hex.slice(2) + '00';
      const data = { launcherId, proofHash: hex, points: '2' };
      await store.append(`partial-${hex}`, [{ id: randomUUID(), type: 'PartialSubmitted', data }], { expectedRevision: 'no_stream' });
      await store.append(`partial-${hex}`, [{ id: randomUUID(), type: 'PartialConfirmed', data: { launcherId, proofHash: hex } }], { expectedRevision: 0n });
      // A shared key's value is numbered once however many events (and processes) hold it; under another key it stays in place.
      const elsewhere = { launcherId, owner: launcherId };
      await other.append(`owners-${hex}`, [{ id: randomUUID(), type: 'Tested', data: elsewhere }], { expectedRevision: 'no_stream' });
      const partial = await rowsOf(newSchema, Buffer.concat([Buffer.from([0xff]), Buffer.from('partial-'), Buffer.from(hex, 'hex')]));
      expect(partial.types).toEqual({ stream_id: 'bytea', data: 'bytea', type_id: 'integer' });
      expect(partial.tables).toEqual(['es_event_types', 'es_events', 'es_values']);
      expect(partial.indexes).toEqual(['(event_id)', '(stream_id, stream_revision)', '(transaction_id, global_position)']);
      const [submitted, confirmed] = partial.rows as unknown as [{ type_id: number; data: Buffer }, { type_id: number; data: Buffer }];
      // The proof hash the stream is named by is one byte of the data, the launcher id its number in es_values.
      expect(submitted.data.length).toBe(packJson(data).length - 33 - 32);
      expect(confirmed.data.length).toBeLessThan(10);
      expect(() => unpackJson(submitted.data, `partial-${hex}`)).toThrow(/no dictionary/);
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        const values = await client.query<{ value: Buffer }>(`SELECT value FROM "${newSchema}".es_values`);
        expect(values.rows.map((r) => r.value.toString('hex'))).toEqual([launcherId]);
        const types = await client.query<{ id: number; name: string }>(`SELECT id, name FROM "${newSchema}".es_event_types ORDER BY id`);
        expect(types.rows.map((t) => t.name)).toEqual(['PartialSubmitted', 'PartialConfirmed', 'Tested']);
        expect([submitted.type_id, confirmed.type_id]).toEqual([types.rows[0]!.id, types.rows[1]!.id]);
        // A build from before format 3 names a type column this ledger does not have: its appends write nothing and its
        // reads fail, rather than take type numbers for names.
        await expect(
          client.query(`INSERT INTO "${newSchema}".es_events (stream_id, stream_revision, event_id, type, schema_version, data, metadata)
            SELECT $1, 0, e.id, e.type, e.v, e.data, e.metadata FROM unnest($2::uuid[], $3::text[], $4::int[], $5::bytea[], $6::bytea[]) AS e(id, type, v, data, metadata)`, [
            Buffer.from('other'), [randomUUID()], ['PartialSubmitted'], [1], [packJson(data)], [packJson({})],
          ]),
        ).rejects.toThrow(/column "type" of relation "es_events" does not exist/);
        await expect(client.query(`SELECT stream_id, type, data FROM "${newSchema}".es_events`)).rejects.toThrow(/column "type" does not exist/);
      } finally {
        await client.end();
      }
      // Read back as appended, by this process, by the other (whose types this one added) and by the global order.
      const expected = [
        ['PartialSubmitted', data],
        ['PartialConfirmed', { launcherId, proofHash: hex }],
      ];
      expect((await store.readStream(`partial-${hex}`)).map((e) => [e.type, e.data])).toEqual(expected);
      expect((await other.readStream(`partial-${hex}`)).map((e) => [e.type, e.data])).toEqual(expected);
      expect((await store.readStream(`owners-${hex}`)).map((e) => [e.type, e.data])).toEqual([['Tested', elsewhere]]);
      const head = await store.headPosition();
      await untilVisible(store, head!);
      expect((await other.readAll({ filter: { types: ['PartialConfirmed', 'Tested'] } })).map((e) => [e.type, e.data])).toEqual([expected[1], ['Tested', elsewhere]]);
      expect((await other.readAll({ filter: { types: ['NeverAppended'] } }))).toEqual([]);
      // A shared key's value past any id or key the pool writes stays in the row: es_values' index refuses keys over about 2.7 KB (after compression: random bytes do not shrink).
      const huge = { plotId: randomBytes(4000).toString('hex') };
      await store.append(`huge-${hex}`, [{ id: randomUUID(), type: 'Tested', data: huge }], { expectedRevision: 'no_stream' });
      expect((await other.readStream(`huge-${hex}`)).map((e) => e.data)).toEqual([huge]);
    } finally {
      await store.close();
      await other.close();
      await dropSchema(url, newSchema);
    }
  });

  it('format 3: processes that number the same new values and types at once agree, and each is stored once', async () => {
    const newSchema = testSchema('es_format3_race');
    const stores = await Promise.all([1, 2, 3].map(() => PostgresEventStore.connect({ connectionString: url, schema: newSchema, poolSize: 4 })));
    try {
      const plots = Array.from({ length: 20 }, (_, i) => i.toString(16).padStart(2, '0').repeat(32));
      // Every process appends every plot's partial at once, the plots in a different order each: one of each lands.
      const results = await Promise.allSettled(
        stores.flatMap((store, s) =>
          plots.map((plotId, i) => {
            const plot = plots[(i + s * 7) % plots.length]!;
            const stream = `partial-${plot.slice(0, 62)}${(i + s * 7) % 2 === 0 ? 'aa' : 'bb'}`;
            return store.append(stream, [{ id: randomUUID(), type: `Raced${s}`, data: { plotId: plot, harvesterId: plotId } }], { expectedRevision: 'any' });
          }),
        ),
      );
      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        const values = await client.query<{ value: Buffer; n: string }>(`SELECT value, count(*) OVER (PARTITION BY value) AS n FROM "${newSchema}".es_values`);
        expect(new Set(values.rows.map((r) => r.value.toString('hex')))).toEqual(new Set(plots));
        expect(values.rows.every((r) => r.n === '1')).toBe(true);
      } finally {
        await client.end();
      }
      const head = await stores[0]!.headPosition();
      await untilVisible(stores[0]!, head!);
      const read = await stores[2]!.readAll();
      expect(read).toHaveLength(60);
      expect(new Set(read.map((e) => e.type))).toEqual(new Set(['Raced0', 'Raced1', 'Raced2']));
      expect(read.every((e) => plots.includes((e.data as { plotId: string }).plotId) && plots.includes((e.data as { harvesterId: string }).harvesterId))).toBe(true);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
      await dropSchema(url, newSchema);
    }
  });
});
