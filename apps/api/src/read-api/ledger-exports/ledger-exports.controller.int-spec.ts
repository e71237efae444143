import { gunzipSync } from 'node:zlib';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApiServer } from '@pool/api';
import { loadPoolConfig } from '@pool/config';
import { StreamCommandRunner } from '@pool/event-sourcing';
import { InMemoryEventStore } from '@pool/event-store';
import { ReadModelDatabase } from '@pool/read-models';
import { apiDepsWithoutChain, appendLedger, generateLedger } from '@pool/testing';
import { LedgerSealer } from '@pool/worker';
import type { ClosedPeriodsResponse } from './ledger-exports.response';

describe('GET /api/ledger/exports', () => {
  let app: NestFastifyApplication;
  let url: string;
  let readModels: ReadModelDatabase;

  beforeAll(async () => {
    const store = new InMemoryEventStore();
    await appendLedger(store, generateLedger({ farmers: 3, events: 700, seed: 3, rewardEvery: 40, payoutEvery: 150 }));
    await new LedgerSealer({ store, runner: new StreamCommandRunner(store), schedule: { everyEvents: 1000, everySeconds: 600 }, now: () => 1_800_000_000 }).catchUp();
    readModels = await ReadModelDatabase.open('sqlite::memory:');
    app = await createApiServer(await apiDepsWithoutChain(loadPoolConfig({}), store, readModels), ['error']);
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });
  afterAll(async () => {
    await app.close();
    await readModels.close();
  });

  it('lists the closed periods and streams each one as a gzip export that never changes', async () => {
    const list = await fetch(`${url}/api/ledger/exports`);
    expect(list.status).toBe(200);
    const { items } = (await list.json()) as ClosedPeriodsResponse;
    expect(items.length).toBeGreaterThan(0);
    const period = items[0]!;

    const download = await fetch(`${url}/api/ledger/exports/${period.sequence}`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/gzip');
    expect(download.headers.get('cache-control')).toContain('immutable');
    expect(download.headers.get('etag')).toBe(`"${period.hash}"`);
    const lines = gunzipSync(Buffer.from(await download.arrayBuffer())).toString('utf8').trimEnd().split('\n');
    expect(JSON.parse(lines[0]!)).toEqual({ encoding: 1, format: 'chia-pool-ledger export' });
    expect(JSON.parse(lines[lines.length - 1]!)).toMatchObject({ type: 'LedgerSealed', position: period.position });

    expect((await fetch(`${url}/api/ledger/exports/999999`)).status).toBe(404);
    expect((await fetch(`${url}/api/ledger/exports/not-a-number`)).status).toBe(400);
  });
});
