import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { partialStream } from '@pool/domain';
import { SqliteEventStore } from '@pool/event-store';
import { allProjections } from '@pool/projections';
import { Projector } from '@pool/read-models';
import { ReadModelDatabase } from '@pool/read-models';
import { createApiServer } from '@pool/api';
import { loadPoolConfig } from '@pool/config';
import { buildProgram } from '@pool/poolctl';
import { apiDepsWithoutChain } from '../support';

/** Events in, projector, read API and operator CLI out: the read path over real HTTP and real SQLite files. */
describe('ledger read path', () => {
  let dir: string;
  let store: SqliteEventStore;
  let readModels: ReadModelDatabase;
  let app: NestFastifyApplication;
  let baseUrl: string;
  const launcherId = 'ab'.repeat(32);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pool-e2e-'));
    store = new SqliteEventStore({ path: join(dir, 'events.db'), pollIntervalMs: 10 });
    readModels = await ReadModelDatabase.open(`sqlite:${join(dir, 'read-models.db')}`);
    app = await createApiServer(await apiDepsWithoutChain({ ...loadPoolConfig({}), port: 0, host: '127.0.0.1' }, store, readModels), ['error']);
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
  });
  afterAll(async () => {
    await app.close();
    await readModels.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function submit(proofHash: string, points: string, confirm: boolean): Promise<void> {
    const data = { launcherId, proofHash, points };
    const events = [{ id: randomUUID(), type: 'PartialSubmitted', data: { ...data, signagePointHash: 'sp', receivedAt: 5, plotSize: 32 } }];
    if (confirm) events.push({ id: randomUUID(), type: 'PartialConfirmed', data: { ...data, confirmedAt: 6 } as never });
    await store.append(partialStream(proofHash), events, { expectedRevision: 'no_stream' });
  }

  it('serves farmer points from the projection and reports projection health', async () => {
    await submit('01', '100', true);
    await submit('02', '40', false);
    const controller = new AbortController();
    await new Projector(store, readModels, allProjections).run(controller.signal, () => controller.abort());

    const points = await (await fetch(`${baseUrl}/api/farmers/0x${launcherId}/points`)).json();
    expect(points).toMatchObject({ launcherId, pendingPoints: '40', confirmedPoints: '100', partials: { submitted: 2, confirmed: 1 } });
    const missing = await fetch(`${baseUrl}/api/farmers/${'cd'.repeat(32)}/points`);
    expect(missing.status).toBe(404);
    // Liveness is terse; a projection's lag is a metric (and, behind the operator key, in /api/operator/health).
    expect(await (await fetch(`${baseUrl}/health`)).json()).toMatchObject({ status: 'ok' });
    expect(await (await fetch(`${baseUrl}/metrics`)).text()).toMatch(/^pool_projector_lag_events\{projection="farmer_points"\} 0$/m);
  });

  it('lets an operator see lag and rebuild with poolctl, and the rebuilt view answers the same', async () => {
    await submit('03', '7', true);
    const output: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((line: string) => void output.push(line));
    try {
      const flags = ['--event-store', `sqlite:${join(dir, 'events.db')}`, '--read-models', `sqlite:${join(dir, 'read-models.db')}`];
      await buildProgram().parseAsync(['node', 'poolctl', ...flags, 'projections', 'status']);
      expect(output.find((l) => l.startsWith('farmer_points'))).toMatch(/\t1\t.*\t2$/); // generation 1, two events behind
      await buildProgram().parseAsync(['node', 'poolctl', ...flags, 'projections', 'rebuild', 'farmer_points']);
      expect(output.at(-1)).toMatch(/^rebuilt farmer_points: 5 events applied/);
    } finally {
      log.mockRestore();
    }
    const points = await (await fetch(`${baseUrl}/api/farmers/${launcherId}/points`)).json();
    expect(points).toMatchObject({ confirmedPoints: '107', pendingPoints: '40' });
  });
});
