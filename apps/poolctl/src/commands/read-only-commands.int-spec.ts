import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { farmerStream, partialStream } from '@pool/domain';
import { openEventStore } from '@pool/event-store';
import { describeWithPostgres, dropSchema, FARMER_A, FARMER_B, registeredEvent, submitted, testSchema } from '@pool/testing';
import { runPoolctl as poolctl } from '@pool/testing';


/**
 * Read-only commands given a mistyped store path used to create a database there and report "audit passed:
 * 0 events". They read an existing ledger or say it is missing, create nothing, say when it is empty, and name a
 * farmer the ledger has never seen as unknown (failing, so a script notices).
 */
describe('read-only poolctl commands (SQLite)', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'poolctl-read-only-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuse a store path that holds no ledger, naming it, and create nothing there', async () => {
    const missing = join(dir, 'nonexistent', 'x.db');
    const store = `sqlite:${missing}`;
    const readModels = `sqlite:${join(dir, 'nonexistent', 'rm.db')}`;
    for (const args of [
      ['--event-store', store, 'audit'],
      ['audit', '--store', store],
      ['--event-store', store, 'audit', '--farmer', FARMER_A],
      ['ledger', 'show', FARMER_A, '--store', store],
      ['--event-store', store, 'payouts', 'status'],
      ['--event-store', store, '--read-models', readModels, 'projections', 'status'],
      ['--event-store', store, '--read-models', readModels, 'projections', 'rebuild'],
    ]) {
      await expect(poolctl(args)).rejects.toThrow(new RegExp(`no (ledger|read models) at ${missing.replace(/[.]/g, '\\.').replace('x\\.db', '(x|rm)\\.db')}: the file does not exist`));
    }
    expect(existsSync(join(dir, 'nonexistent'))).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuse a file that is not a ledger, and leave it as it was', async () => {
    const other = join(dir, 'read-models.db');
    // A read-model database: a SQLite file, but without the ledger's tables.
    const { ReadModelDatabase } = await import('@pool/read-models');
    await (await ReadModelDatabase.open(`sqlite:${other}`)).close();
    await expect(poolctl(['--event-store', `sqlite:${other}`, 'audit'])).rejects.toThrow(/no ledger at .*read-models\.db: the file is not an event store/);
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(other, { readonly: true });
    try {
      expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'es_events'").get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });

  it('say an existing ledger is empty instead of passing it', async () => {
    const url = `sqlite:${join(dir, 'empty.db')}`;
    await (await openEventStore(url)).close();
    const audit = await poolctl(['--event-store', url, 'audit']);
    expect(audit.lines).toEqual([expect.stringMatching(/^audit: the ledger sqlite:.*empty\.db is empty \(no events yet\): nothing to check$/)]);
    expect(audit.lines.join('\n')).not.toMatch(/audit passed/);
    const status = await poolctl(['--event-store', url, 'payouts', 'status']);
    expect(status.lines[0]).toMatch(/is empty \(no events yet\)$/);
  });

  it('name a farmer the ledger has never seen as unknown, and show a known one', async () => {
    const url = `sqlite:${join(dir, 'events.db')}`;
    const store = await openEventStore(url);
    try {
      await store.append(farmerStream(FARMER_A), [{ id: randomUUID(), ...registeredEvent(FARMER_A, 1000) }], { expectedRevision: 'no_stream' });
      await store.append(partialStream('p1'), [{ id: randomUUID(), schemaVersion: 2, ...submitted(FARMER_A, 'p1', 3, 1100) }], { expectedRevision: 'no_stream' });
    } finally {
      await store.close();
    }
    const unknown = new RegExp(`unknown farmer ${FARMER_B}: the ledger sqlite:.*events\\.db has never seen this launcher id`);
    await expect(poolctl(['--event-store', url, 'audit', '--farmer', FARMER_B])).rejects.toThrow(unknown);
    await expect(poolctl(['ledger', 'show', `0x${FARMER_B.toUpperCase()}`, '--store', url])).rejects.toThrow(unknown);
    await expect(poolctl(['--event-store', url, 'audit', '--farmer', 'not-hex'])).rejects.toThrow(/launcher id must be 32 bytes of hex/);

    const audit = await poolctl(['--event-store', url, 'audit', '--farmer', FARMER_A]);
    // Known (registered, with a partial still pending): a statement, though it holds no confirmed credit yet.
    expect(audit.lines[audit.lines.length - 1]).toMatch(new RegExp(`^farmer ${FARMER_A}: 0 lines; points credited 0`));
    const shown = await poolctl(['ledger', 'show', FARMER_A, '--store', url]);
    expect(shown.lines[shown.lines.length - 1]).toMatch(/^2 steps; pending 3/);
    // A farmer registered but without a partial yet is known too (its registration is a fact of the ledger).
    const registeredOnly = await poolctl(['ledger', 'show', FARMER_A, '--store', url, '--at', '1']);
    expect(registeredOnly.lines[registeredOnly.lines.length - 1]).toMatch(/^1 steps; pending 0/);
  });
});

describeWithPostgres('read-only poolctl commands (PostgreSQL)', (pgUrl) => {
  const schema = testSchema('readonly');
  afterAll(() => dropSchema(pgUrl, schema));

  it('refuse a schema that holds no ledger, and create neither the schema nor its tables', async () => {
    const url = `${pgUrl}${pgUrl.includes('?') ? '&' : '?'}schema=${schema}`;
    await expect(poolctl(['--event-store', url, 'audit'])).rejects.toThrow(new RegExp(`no ledger in PostgreSQL database \\w+, schema ${schema}: it has no es_events table`));
    await expect(poolctl(['ledger', 'show', FARMER_A, '--store', url])).rejects.toThrow(/no ledger in PostgreSQL/);
    const client = new Client({ connectionString: pgUrl });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT schema_name FROM information_schema.schemata WHERE schema_name = $1', [schema]);
      expect(rows).toEqual([]);
    } finally {
      await client.end();
    }
  });
});
