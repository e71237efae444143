import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type BlockchainState, type FullNodeRpc } from '@pool/chia';
import { loadPoolConfig, type PoolConfig } from '@pool/config';
import { PAYOUTS_CONTROL_STREAM } from '@pool/domain';
import { InMemoryEventStore } from '@pool/event-store';
import { FARMER_VIEW_TABLES } from '@pool/projections';
import { ReadModelDatabase } from '@pool/read-models';
import { apiDepsWithoutChain } from '@pool/testing';
import { createApiServer } from '../api-server';

const KEY = 'operator-key-for-tests-0123456789';

/** A full node whose answers the test decides: up and synced, syncing, failing, or slow. */
class ScriptedNode {
  mode: 'synced' | 'syncing' | 'down' = 'synced';
  delayMs = 0;
  private called?: () => void;
  /** Resolves at the next getBlockchainState call: the request asking is then inside the server. */
  nextCall(): Promise<void> {
    return new Promise((resolve) => (this.called = resolve));
  }
  async getBlockchainState(): Promise<BlockchainState> {
    this.called?.();
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (this.mode === 'down') throw new Error('connect ECONNREFUSED 10.0.0.9:8555');
    const synced = this.mode === 'synced';
    return { peak: { height: 1234, headerHash: 'ab'.repeat(32) }, sync: { synced, syncMode: !synced, syncTipHeight: 2000, syncProgressHeight: 1234 } } as unknown as BlockchainState;
  }
}

describe('health, readiness and the operator endpoints', () => {
  const node = new ScriptedNode();
  let store: InMemoryEventStore;
  let readModels: ReadModelDatabase;
  let app: NestFastifyApplication;
  let url: string;

  async function start(config: PoolConfig): Promise<{ app: NestFastifyApplication; url: string }> {
    const deps = await apiDepsWithoutChain({ ...config, port: 0, host: '127.0.0.1' }, store, readModels);
    const started = await createApiServer({ ...deps, chain: new Proxy(deps.chain, { get: (target, p) => (p === 'getBlockchainState' ? () => node.getBlockchainState() : Reflect.get(target, p)) }) as FullNodeRpc }, ['error']);
    await started.listen(0, '127.0.0.1');
    return { app: started, url: await started.getUrl() };
  }

  beforeAll(async () => {
    store = new InMemoryEventStore();
    readModels = await ReadModelDatabase.open('sqlite::memory:');
    // The farmer_view read model as the projector lays it out (its own spec covers how rows get there).
    const spec = FARMER_VIEW_TABLES.find((t) => t.name === 'farmer_view')!;
    await readModels.executor().query(`CREATE TABLE farmer_view (${spec.columns}, PRIMARY KEY (${spec.primaryKey.join(', ')}))`);
    const farmers: [string, string, string, string | null][] = [
      ['aa'.repeat(32), '500', 'member', '11'.repeat(32)],
      ['ab'.repeat(32), '900', 'member', '22'.repeat(32)],
      ['bb'.repeat(32), '9223372036854775807', 'left', null],
      ['cc'.repeat(32), '100', 'member', 'ab'.repeat(32)],
    ];
    for (const [launcherId, confirmed, membership, payout] of farmers) {
      await readModels.executor().query(
        `INSERT INTO farmer_view (launcher_id, difficulty, membership, payout_puzzle_hash, pending_points, confirmed_points, reverted_points,
           window_points, partials_24h_submitted, partials_24h_confirmed, partials_24h_reverted, points_24h, estimated_space)
         VALUES (?, 1, ?, ?, '0', ?, '0', '0', 0, 0, 0, '0', '0')`,
        [launcherId, membership, payout, confirmed],
      );
    }
    ({ app, url } = await start({ ...loadPoolConfig({}), operatorApiKey: KEY }));
  });
  afterAll(async () => {
    await app.close();
    await readModels.close();
  });
  beforeEach(() => {
    node.mode = 'synced';
    node.delayMs = 0;
  });

  /** `key: null` sends no x-api-key header at all. */
  const operator = (path: string, init: RequestInit = {}, key: string | null = KEY): Promise<Response> =>
    fetch(`${url}/api/operator/${path}`, { ...init, headers: { ...(key === null ? {} : { 'x-api-key': key }), 'content-type': 'application/json', ...init.headers } });

  it('answers liveness without touching any dependency, and readiness per dependency with 503s', async () => {
    node.mode = 'down';
    const live = await fetch(`${url}/health`);
    expect(live.status).toBe(200);
    expect(await live.json()).toMatchObject({ status: 'ok' });

    const down = await fetch(`${url}/health/ready`);
    expect(down.status).toBe(503);
    const body = (await down.json()) as { status: string; error: Record<string, unknown>; info: Record<string, unknown> };
    expect(body).toMatchObject({ status: 'error', error: { chain: { status: 'down' } }, info: { eventStore: { status: 'up' }, readModels: { status: 'up' } } });
    // The public probe names the failing dependency, not the error or any address.
    expect(JSON.stringify(body)).not.toMatch(/ECONNREFUSED|10\.0\.0\.9/);

    node.mode = 'syncing';
    expect((await fetch(`${url}/health/ready`)).status).toBe(503);
    node.mode = 'synced';
    const ready = await fetch(`${url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', info: { eventStore: { status: 'up' }, readModels: { status: 'up' }, chain: { status: 'up' } } });
  });

  it('answers 401 and reveals nothing without the right key, on every operator path', async () => {
    for (const [path, init] of [
      ['farmers', {}],
      ['health', {}],
      ['payouts/pause', { method: 'POST', body: JSON.stringify({ reason: 'x' }) }],
      ['no-such-route', {}],
    ] as const) {
      for (const key of [null, '', 'wrong-key-wrong-key', `${KEY}x`]) {
        const response = await operator(path, init, key);
        expect({ path, status: response.status }).toEqual({ path, status: 401 });
        expect(await response.json()).toEqual({ statusCode: 401, message: 'Unauthorized' });
      }
    }
    // The refused pause wrote nothing.
    await expect(store.readStream(PAYOUTS_CONTROL_STREAM)).rejects.toThrow(/does not exist/);
  });

  it('answers 503 for the farmers list while the read model does not exist yet', async () => {
    const empty = await ReadModelDatabase.open('sqlite::memory:');
    const deps = await apiDepsWithoutChain({ ...loadPoolConfig({}), operatorApiKey: KEY, port: 0, host: '127.0.0.1' }, store, empty);
    const bare = await createApiServer(deps, false);
    try {
      await bare.listen(0, '127.0.0.1');
      const response = await fetch(`${await bare.getUrl()}/api/operator/farmers`, { headers: { 'x-api-key': KEY } });
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ message: expect.stringMatching(/farmer_view read model cannot be read/) });
    } finally {
      await bare.close();
      await empty.close();
    }
  });

  it('keeps the operator endpoints out of the public OpenAPI document, and documents them to the operator with the key they need', async () => {
    type Document = { paths: Record<string, Record<string, { security?: object[] }>>; components?: { schemas?: object; securitySchemes?: object } };
    const publicDocument = (await (await fetch(`${url}/api/docs-json`)).json()) as Document;
    expect(Object.keys(publicDocument.paths).filter((path) => path.includes('operator'))).toEqual([]);
    expect(publicDocument.paths['/api/pool/stats']).toBeDefined();
    // Nor the operator responses' shapes or the key scheme.
    expect(Object.keys(publicDocument.components?.schemas ?? {})).not.toEqual(expect.arrayContaining([expect.stringMatching(/Operator|ListFarmers|PayoutsControl/)]));
    expect(publicDocument.components?.securitySchemes ?? {}).not.toHaveProperty('operator');

    expect((await operator('docs-json', {}, null)).status).toBe(401);
    const document = (await (await operator('docs-json')).json()) as Document;
    for (const [path, method] of [
      ['/api/operator/farmers', 'get'],
      ['/api/operator/health', 'get'],
      ['/api/operator/payouts/pause', 'post'],
      ['/api/operator/payouts/resume', 'post'],
    ] as const) {
      expect(document.paths[path]?.[method]?.security).toEqual([{ operator: [] }]);
    }
  });

  it('disables the endpoints when no key is configured, whatever key is sent', async () => {
    const keyless = await start(loadPoolConfig({}));
    try {
      for (const key of [undefined, '', KEY]) {
        const response = await fetch(`${keyless.url}/api/operator/farmers`, { headers: key === undefined ? {} : { 'x-api-key': key } });
        expect(response.status).toBe(401);
      }
    } finally {
      await keyless.app.close();
    }
  });

  it('lists farmers with search, filter, sort and paging from the read model', async () => {
    const allResponse = await operator('farmers');
    const all = (await allResponse.json()) as { total: number; farmers: { launcher_id: string; confirmed_points: string }[] };
    expect(allResponse.status).toBe(200);
    expect(all.total).toBe(4);
    // Default: most confirmed points first; exact past 2^53 (here the largest bigint a column holds).
    expect(all.farmers.map((f) => f.confirmed_points)).toEqual(['9223372036854775807', '900', '500', '100']);

    const search = (await (await operator('farmers?search=0xAB&sort=launcher_id&order=asc')).json()) as { farmers: { launcher_id: string }[] };
    // A launcher id prefix (ab…) and a payout puzzle hash prefix (cc… pays to ab…).
    expect(search.farmers.map((f) => f.launcher_id.slice(0, 2))).toEqual(['ab', 'cc']);

    const members = (await (await operator('farmers?membership=member&sort=confirmed_points&order=asc&limit=2&offset=1')).json()) as {
      total: number;
      farmers: { launcher_id: string }[];
    };
    expect(members.total).toBe(3);
    expect(members.farmers.map((f) => f.launcher_id.slice(0, 2))).toEqual(['aa', 'ab']);

    for (const bad of ['sort=launcher_id;DROP', 'order=sideways', 'limit=100000', "search=zz'--", 'membership=all']) {
      expect((await operator(`farmers?${bad}`)).status).toBe(400);
    }
  });

  it('shows detailed health to the operator: errors, heights, projections, payout switches', async () => {
    node.mode = 'down';
    const down = (await (await operator('health')).json()) as Record<string, unknown>;
    expect(down).toMatchObject({
      status: 'error',
      checks: { eventStore: { status: 'up', adapter: 'in-memory' }, readModels: { status: 'up', dialect: 'sqlite' }, chain: { status: 'down', message: expect.stringMatching(/ECONNREFUSED/) } },
      payouts: { paused: false },
      config: { chain: 'devnet', logLevel: 'info' },
    });
    expect(JSON.stringify(down)).not.toContain(KEY);
    node.mode = 'synced';
    const up = (await (await operator('health')).json()) as Record<string, unknown>;
    expect(up).toMatchObject({ status: 'ok', checks: { chain: { status: 'up', peakHeight: 1234, synced: true } }, projections: expect.arrayContaining([expect.objectContaining({ name: 'farmer_points' })]) });
  });

  it('pauses and resumes payouts through the ledger, idempotently, with a reason', async () => {
    expect((await operator('payouts/pause', { method: 'POST', body: JSON.stringify({}) })).status).toBe(400);
    const paused = await operator('payouts/pause', { method: 'POST', body: JSON.stringify({ reason: 'wallet maintenance' }) });
    expect(paused.status).toBe(200);
    expect(await paused.json()).toMatchObject({ changed: true, paused: true, pausedBy: { operator: { reason: 'wallet maintenance' } } });
    const again = await operator('payouts/pause', { method: 'POST', body: JSON.stringify({ reason: 'wallet maintenance' }) });
    expect(await again.json()).toMatchObject({ changed: false, paused: true });
    expect((await (await operator('payouts/control')).json()) as object).toMatchObject({ paused: true });

    const resumed = await operator('payouts/resume', { method: 'POST', body: JSON.stringify({ reason: 'wallet back' }) });
    expect(await resumed.json()).toMatchObject({ changed: true, paused: false });
    const events = await store.readStream(PAYOUTS_CONTROL_STREAM);
    expect(events.map((e) => [e.type, (e.data as { by: string }).by])).toEqual([
      ['PayoutsPaused', 'operator'],
      ['PayoutsResumed', 'operator'],
    ]);
  });

  it('lets in-flight requests finish when the app closes, and closes their connection', async () => {
    const draining = await start(loadPoolConfig({}));
    node.delayMs = 400;
    // A scrape asks the (slow) node for its peak: it is still running when the close begins.
    const asked = node.nextCall();
    const inFlight = fetch(`${draining.url}/metrics`);
    await asked;
    const closed = draining.app.close();
    const response = await inFlight;
    expect(response.status).toBe(200);
    // Without this the keep-alive connection would hold the close up for Fastify's 72 s keep-alive timeout.
    expect(response.headers.get('connection')).toBe('close');
    expect(await response.text()).toMatch(/^pool_chain_peak_height 1234$/m);
    await closed;
    await expect(fetch(`${draining.url}/health`)).rejects.toThrow();
  });
});
