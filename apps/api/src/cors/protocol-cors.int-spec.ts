import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { listeningApiWithoutChain } from '@pool/testing';

/** Browser pages on other origins (pool lists, explorers) may read the pool protocol, as both references allow. */
describe('CORS on the pool protocol routes', () => {
  let app: NestFastifyApplication;
  let url: string;

  beforeAll(async () => ({ app, url } = await listeningApiWithoutChain()));
  afterAll(() => app.close());

  const allowOrigin = (response: Response): string | null => response.headers.get('access-control-allow-origin');

  it('sends Access-Control-Allow-Origin: * on v1 and v2 answers, protocol errors included', async () => {
    const origin = { origin: 'https://pools.example.org' };
    for (const path of ['/pool_info', '/v2/pool_info', '/farmer?launcher_id=00', '/login?launcher_id=00', '/v2/auth?launcher_id=00', '/v2/login?launcher_id=00']) {
      const response = await fetch(`${url}${path}`, { headers: origin });
      expect({ path, allow: allowOrigin(response) }).toEqual({ path, allow: '*' });
      await response.arrayBuffer();
    }
    const refused = await fetch(`${url}/partial`, { method: 'POST', headers: { ...origin, 'content-type': 'application/json' }, body: '{"payload": ' });
    expect(await refused.json()).toMatchObject({ error_code: 8 });
    expect(allowOrigin(refused)).toBe('*');
    const put = await fetch(`${url}/v2/farmer`, { method: 'PUT', headers: { ...origin, 'content-type': 'application/json' }, body: '{}' });
    expect(await put.json()).toHaveProperty('error_code');
    expect(allowOrigin(put)).toBe('*');
  });

  it('answers a preflight for the protocol routes', async () => {
    for (const [path, method] of [
      ['/farmer', 'PUT'],
      ['/partial', 'POST'],
      ['/v2/farmer', 'PUT'],
      ['/v2/partial', 'POST'],
    ] as const) {
      const response = await fetch(`${url}${path}`, {
        method: 'OPTIONS',
        headers: { origin: 'https://pools.example.org', 'access-control-request-method': method, 'access-control-request-headers': 'content-type' },
      });
      expect({ path, status: response.status, allow: allowOrigin(response) }).toEqual({ path, status: 204, allow: '*' });
      expect(response.headers.get('access-control-allow-methods')).toContain(method);
      expect(response.headers.get('access-control-allow-headers')).toBe('content-type');
    }
  });

  it('leaves the read API, which the dashboard reads from its own origin, without the header', async () => {
    const response = await fetch(`${url}/api/blocks`, { headers: { origin: 'https://pools.example.org' } });
    await response.arrayBuffer();
    expect(allowOrigin(response)).toBeNull();
  });
});
