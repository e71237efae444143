import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadPoolConfig, type TrustProxy } from '@pool/config';
import { InMemoryEventStore } from '@pool/event-store';
import { ReadModelDatabase } from '@pool/read-models';
import { apiDepsWithoutChain } from '@pool/testing';
import type { FastifyInstance } from 'fastify';
import { createApiServer } from '../api-server';

/**
 * Behind a TLS proxy the api sees the proxy's address and plain http; `trust_proxy` names the proxies whose
 * X-Forwarded-For / X-Forwarded-Proto it believes. What it believes is read off a real route (/pool_info).
 */
describe('trust_proxy', () => {
  const forwarded = { 'x-forwarded-for': '203.0.113.7', 'x-forwarded-proto': 'https' };

  async function seenBy(trustProxy: TrustProxy): Promise<{ ip: string; protocol: string }> {
    const readModels = await ReadModelDatabase.open('sqlite::memory:');
    const app: NestFastifyApplication = await createApiServer(await apiDepsWithoutChain({ ...loadPoolConfig({}), trustProxy }, new InMemoryEventStore(), readModels), ['error']);
    const seen: { ip: string; protocol: string }[] = [];
    (app.getHttpAdapter().getInstance() as unknown as FastifyInstance).addHook('onResponse', (request, _reply, done) => {
      seen.push({ ip: request.ip, protocol: request.protocol });
      done();
    });
    try {
      await app.listen(0, '127.0.0.1');
      const response = await fetch(`${await app.getUrl()}/pool_info`, { headers: forwarded });
      expect(response.status).toBe(200);
      await response.arrayBuffer();
      return seen[0]!;
    } finally {
      await app.close();
    }
  }

  it('believes the forwarded client and scheme from a trusted proxy (by address, CIDR, or any)', async () => {
    expect(await seenBy(['127.0.0.1'])).toEqual({ ip: '203.0.113.7', protocol: 'https' });
    expect(await seenBy(['10.0.0.0/8', '127.0.0.0/8'])).toEqual({ ip: '203.0.113.7', protocol: 'https' });
    expect(await seenBy(true)).toEqual({ ip: '203.0.113.7', protocol: 'https' });
  });

  it('ignores the headers from a peer it does not trust (the default)', async () => {
    expect(await seenBy(false)).toEqual({ ip: '127.0.0.1', protocol: 'http' });
    expect(await seenBy(['10.0.0.2'])).toEqual({ ip: '127.0.0.1', protocol: 'http' });
  });
});
