import { createServer } from 'node:http';
import { DEFAULT_CONNECTION_LIMITS } from '@pool/config';
import { PoolMetrics } from '@pool/runtime';
import { connectionCap, fastifyConnectionOptions, installConnectionLimits, openFileLimit } from './connection-limits';

const PROC_LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max open files            20000                524288               files
Max locked memory         8388608              8388608              bytes
`;

describe('connection limits', () => {
  it("reads the process's soft open-file limit, and none where it cannot be read", () => {
    expect(openFileLimit(() => PROC_LIMITS)).toBe(20000);
    expect(openFileLimit(() => PROC_LIMITS.replace('20000   ', 'unlimited'))).toBeUndefined();
    expect(
      openFileLimit(() => {
        throw new Error('ENOENT');
      }),
    ).toBeUndefined();
  });

  it('keeps descriptors for the pool loops: the cap never reaches the file limit', () => {
    expect(connectionCap(8192, 1_048_576)).toEqual({ cap: 8192, lowered: false });
    expect(connectionCap(8192, undefined)).toEqual({ cap: 8192, lowered: false });
    // 1024 kept for the node, wallet and databases...
    expect(connectionCap(8192, 8192)).toEqual({ cap: 7168, lowered: true });
    // ... or half of a small limit.
    expect(connectionCap(8192, 1024)).toEqual({ cap: 512, lowered: true });
    expect(connectionCap(100, 1024)).toEqual({ cap: 100, lowered: false });
    expect(connectionCap(8192, 1).cap).toBe(1);
  });

  it('gives the Node server every limit, and the TLS handshake the header limit when serving HTTPS', () => {
    const limits = { ...DEFAULT_CONNECTION_LIMITS, headersTimeoutSeconds: 20, requestTimeoutSeconds: 30, keepAliveTimeoutSeconds: 75 };
    const plain = fastifyConnectionOptions(limits, undefined);
    expect(plain).toEqual({
      requestTimeout: 30_000,
      keepAliveTimeout: 75_000,
      http: { headersTimeout: 20_000, requestTimeout: 30_000, keepAliveTimeout: 75_000, connectionsCheckingInterval: 5_000 },
    });
    const secure = fastifyConnectionOptions(limits, { cert: 'CERT', key: 'KEY' });
    expect(secure).toMatchObject({ requestTimeout: 30_000, https: { cert: 'CERT', key: 'KEY', headersTimeout: 20_000, requestTimeout: 30_000, handshakeTimeout: 20_000 } });
    expect('http' in secure).toBe(false);
    // Short limits are checked often enough to hold (Node checks every 30 s by default).
    const short = fastifyConnectionOptions({ ...limits, headersTimeoutSeconds: 1, requestTimeoutSeconds: 2 }, undefined);
    expect('http' in short && short.http.connectionsCheckingInterval).toBe(250);
  });

  it('sets the cap in force on the server and in /metrics, and says when the file limit lowered it', async () => {
    const server = createServer();
    const metrics = new PoolMetrics({ processMetrics: false });
    const warnings: string[] = [];
    installConnectionLimits(server, DEFAULT_CONNECTION_LIMITS, { metrics, trustProxy: false, fileLimit: 1024, warn: (line) => warnings.push(line) });
    expect(server.maxConnections).toBe(512);
    expect((await metrics.httpMaxConnections.get()).values[0]?.value).toBe(512);
    expect(warnings).toEqual([expect.stringMatching(/^server\.max_connections 8192 lowered to 512: the open-file limit is 1024/)]);
  });
});
