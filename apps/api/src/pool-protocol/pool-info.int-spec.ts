import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { InMemoryEventStore } from '@pool/event-store';
import { loadPoolConfig } from '@pool/config';
import { ReadModelDatabase } from '@pool/read-models';
import { apiDepsWithoutChain } from '@pool/testing';
import { createApiServer } from '../api-server';

describe('pool info and protocol error format', () => {
  let app: NestFastifyApplication;
  let url: string;
  const config = { ...loadPoolConfig({}), port: 0, host: '127.0.0.1' };
  const settings = { ...config.settings, targetPuzzleHash: 'ab'.repeat(32), feeBasisPoints: 250, minimumDifficulty: 2n ** 60n };

  beforeAll(async () => {
    const readModels = await ReadModelDatabase.open('sqlite::memory:');
    app = await createApiServer(await apiDepsWithoutChain({ ...config, settings }, new InMemoryEventStore(), readModels), ['error']);
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });
  afterAll(() => app.close());

  it('serves v1 pool info with the fee as a fraction and exact uint64 numbers', async () => {
    const response = await fetch(`${url}/pool_info`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain(`"minimum_difficulty":${2n ** 60n}`);
    expect(JSON.parse(text)).toMatchObject({
      fee: '0.025',
      protocol_version: 1,
      target_puzzle_hash: `0x${'ab'.repeat(32)}`,
      relative_lock_height: settings.relativeLockHeight,
      authentication_token_timeout: settings.authenticationTokenTimeout,
    });
  });

  it('serves v2 pool info with the fee in basis points and no memoization', async () => {
    const info = await (await fetch(`${url}/v2/pool_info`)).json();
    expect(info).toMatchObject({ fee: '250', protocol_version: 2, pool_memoization: '0x80' });
  });

  it('answers a body that is not JSON, or too large, in the protocol format with HTTP 200', async () => {
    const bad = await fetch(`${url}/partial`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"payload": ' });
    expect(bad.status).toBe(200);
    expect(await bad.json()).toMatchObject({ error_code: 8, error_message: expect.stringMatching(/not valid JSON/) });
    const huge = await fetch(`${url}/partial`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ x: 'a'.repeat(70_000) }) });
    expect(huge.status).toBe(200);
    expect(await huge.json()).toMatchObject({ error_code: 16, error_message: expect.stringMatching(/larger than 65536 bytes/) });
  });
});
