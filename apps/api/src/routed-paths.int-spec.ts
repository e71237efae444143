import { Logger } from '@nestjs/common';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { PoolErrorCode } from '@pool/chia';
import { loadPoolConfig } from '@pool/config';
import { InMemoryEventStore } from '@pool/event-store';
import { FARMER_VIEW_TABLES } from '@pool/projections';
import { ReadModelDatabase } from '@pool/read-models';
import { parsePrometheusText, seriesKey } from '@pool/runtime';
import { apiDepsWithoutChain } from '@pool/testing';
import { createApiServer } from './api-server';

const KEY = 'operator-key-for-tests-0123456789';

/**
 * Paths as the router sees them, and the other ways a request could slip past a check or flood the log, over
 * real HTTP against an api without a chain: percent-encoded paths meet the operator key check and the partial
 * counter like plain ones, inherited names and repeated parameters are bad requests, reserved keys in a protocol
 * body are a protocol error without a stack trace, the dashboard sends its security headers.
 */
describe('paths as the router sees them', () => {
  let app: NestFastifyApplication;
  let url: string;
  let readModels: ReadModelDatabase;

  beforeAll(async () => {
    readModels = await ReadModelDatabase.open('sqlite::memory:');
    const spec = FARMER_VIEW_TABLES.find((t) => t.name === 'farmer_view')!;
    await readModels.executor().query(`CREATE TABLE farmer_view (${spec.columns}, PRIMARY KEY (${spec.primaryKey.join(', ')}))`);
    const deps = await apiDepsWithoutChain({ ...loadPoolConfig({}), operatorApiKey: KEY, port: 0, host: '127.0.0.1' }, new InMemoryEventStore(), readModels);
    app = await createApiServer(deps, ['error']);
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });
  afterAll(async () => {
    await app.close();
    await readModels.close();
  });

  const post = (path: string, body: string, method = 'POST'): Promise<Response> => fetch(`${url}${path}`, { method, headers: { 'content-type': 'application/json' }, body });

  it('answers an encoded operator path 401 like the plain one, known or not', async () => {
    for (const path of ['/api/operator/nope', '/api/%6Fperator/nope', '/api/%6fperator/farmers', '/%61pi/operator/health', '/api/operator/%66armers', '/api/%6Fperator', '/api/%6Fperator/docs-json']) {
      const response = await fetch(`${url}${path}`);
      expect({ path, status: response.status, body: await response.json() }).toEqual({ path, status: 401, body: { statusCode: 401, message: 'Unauthorized' } });
    }
    // With the key, the encoded path is the route it decodes to.
    expect((await fetch(`${url}/api/%6Fperator/farmers`, { headers: { 'x-api-key': KEY } })).status).toBe(200);
  });

  it('counts an encoded /p%61rtial in pool_partials_total like /partial', async () => {
    const counted = async (): Promise<number[]> => {
      const metrics = parsePrometheusText(await (await fetch(`${url}/metrics`)).text());
      return ['v1', 'v2'].map((version) => metrics.get(seriesKey('pool_partials_total', { version, result: 'rejected', error_code: String(PoolErrorCode.SERVER_EXCEPTION) })) ?? 0);
    };
    const before = await counted();
    for (const path of ['/partial', '/p%61rtial', '/%70artial', '/v2/p%61rtial']) {
      expect({ path, answer: await (await post(path, '{}')).json() }).toEqual({ path, answer: expect.objectContaining({ error_code: PoolErrorCode.SERVER_EXCEPTION }) });
    }
    const after = await counted();
    expect([after[0]! - before[0]!, after[1]! - before[1]!]).toEqual([3, 1]);
  });

  it('answers an encoded read API path as the read API does, not in the protocol format', async () => {
    const response = await fetch(`${url}/%61pi/no-such-thing`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ statusCode: 404 });
  });

  it('refuses inherited names and repeated parameters of the operator farmers list with 400', async () => {
    const list = (query: string): Promise<Response> => fetch(`${url}/api/operator/farmers?${query}`, { headers: { 'x-api-key': KEY } });
    for (const query of ['sort=constructor', 'sort=toString', 'sort=__proto__', 'sort=hasOwnProperty', 'sort=valueOf', 'search=ab&search=cd', 'sort=launcher_id&sort=difficulty', 'limit=1&limit=2', 'order=asc&order=desc']) {
      const response = await list(query);
      expect({ query, status: response.status }).toEqual({ query, status: 400 });
    }
    expect((await list('sort=launcher_id&order=asc')).status).toBe(200);
  });

  it('answers a protocol body with a reserved key anywhere as a protocol error, logging no stack trace', async () => {
    const logged: string[] = [];
    const spies = (['error', 'warn', 'log'] as const).map((level) => jest.spyOn(Logger.prototype, level).mockImplementation((...args: unknown[]) => void logged.push(String(args[0]))));
    try {
      for (const [method, path, body] of [
        ['POST', '/partial', '{"payload":{"launcher_id":{"constructor":1}}}'],
        ['POST', '/v2/partial', '{"payload":{"proof_of_space":{"constructor":{"name":"x"}}},"aggregate_signature":"00"}'],
        ['POST', '/farmer', '{"payload":{"authentication_public_key":{"constructor":[]}}}'],
        ['PUT', '/v2/farmer', '{"payload":{"payout_instructions":{"__proto__":{"x":1}}}}'],
        ['POST', '/partial', '{"payload":[{"prototype":1}]}'],
      ] as const) {
        logged.length = 0;
        const response = await post(path, body, method);
        expect(response.status).toBe(200);
        expect({ path, body, answer: await response.json() }).toEqual({
          path,
          body,
          answer: { error_code: PoolErrorCode.SERVER_EXCEPTION, error_message: expect.stringMatching(/^invalid request: body\.payload.*(constructor|__proto__|prototype) is not a field of any request/) },
        });
        // At most one short line, never a stack trace.
        expect(logged.length).toBeLessThanOrEqual(1);
        expect(logged.join('\n')).not.toMatch(/\n\s+at /);
        expect(logged.join('').length).toBeLessThan(500);
      }
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });

  it('sends security headers with every dashboard file, and the page needs nothing they forbid', async () => {
    for (const path of ['/dashboard', '/dashboard/', '/dashboard/farmer/' + 'ab'.repeat(32), '/dashboard/static/app.js', '/dashboard/static/style.css']) {
      const response = await fetch(`${url}${path}`);
      expect(response.status).toBe(200);
      const headers = Object.fromEntries(['content-security-policy', 'x-frame-options', 'x-content-type-options', 'referrer-policy'].map((name) => [name, response.headers.get(name)]));
      expect({ path, headers }).toEqual({
        path,
        headers: {
          'content-security-policy': expect.stringMatching(/default-src 'self'.*script-src 'self'.*frame-ancestors 'none'/),
          'x-frame-options': 'DENY',
          'x-content-type-options': 'nosniff',
          'referrer-policy': 'same-origin',
        },
      });
    }
    // script-src 'self' and style-src 'self' allow no inline script or style: the page has none (the browser test
    // test/e2e/dashboard.e2e-spec.ts runs it under the policy and fails on any violation).
    const html = await (await fetch(`${url}/dashboard`)).text();
    expect(html.match(/<script\b[^>]*>/g)?.every((tag) => /\ssrc=/.test(tag))).toBe(true);
    expect(html).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=/i);
  });
});
