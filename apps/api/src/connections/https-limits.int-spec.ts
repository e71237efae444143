import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { connect as connectTcp, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as connectTls } from 'node:tls';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadPoolConfig } from '@pool/config';
import { createCertificateAuthority, issueServerCertificate } from '@pool/devnet';
import { InMemoryEventStore } from '@pool/event-store';
import { ReadModelDatabase } from '@pool/read-models';
import { PoolMetrics } from '@pool/runtime';
import { apiDepsWithoutChain } from '@pool/testing';
import { createApiServer } from '../api-server';

/**
 * The same limits when the api serves HTTPS itself: a client that opens TCP and never finishes the TLS handshake
 * (which the HTTP timeouts cannot see) is closed by the handshake limit, one that trickles its body inside TLS by
 * the request timeout, the per-address cap counts raw connections, and farmers are served meanwhile.
 */
describe('connection limits over HTTPS', () => {
  const authority = createCertificateAuthority();
  const pair = issueServerCertificate(authority, ['localhost', '127.0.0.1']);
  let dir: string;
  let app: NestFastifyApplication;
  let port: number;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'api-https-limits-'));
    writeFileSync(join(dir, 'cert.pem'), pair.cert + authority.cert);
    writeFileSync(join(dir, 'key.pem'), pair.key);
    const base = loadPoolConfig({});
    const config = {
      ...base,
      tls: { certFile: join(dir, 'cert.pem'), keyFile: join(dir, 'key.pem') },
      connections: { headersTimeoutSeconds: 2, requestTimeoutSeconds: 3, keepAliveTimeoutSeconds: 1, maxConnections: 100, maxConnectionsPerAddress: 20 },
    };
    const readModels = await ReadModelDatabase.open('sqlite::memory:');
    app = await createApiServer(await apiDepsWithoutChain(config, new InMemoryEventStore(), readModels), ['error']);
    await app.listen(0, '127.0.0.1');
    port = Number(new URL(await app.getUrl()).port);
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const closed = (socket: Socket): Promise<void> => new Promise((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));
  const poolInfo = (): Promise<number> =>
    new Promise((resolve, reject) => {
      request(`https://localhost:${port}/pool_info`, { ca: authority.cert, agent: false }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      })
        .once('error', reject)
        .end();
    });

  it('closes silent handshakes and trickled bodies, caps one address, and keeps serving', async () => {
    const metrics = app.get(PoolMetrics);
    const count = async (metric: 'httpRequestTimeouts' | 'httpConnectionsRefused', label: string): Promise<number> =>
      (await metrics[metric].get()).values.find((v) => Object.values(v.labels).includes(label))?.value ?? 0;

    // 10 TCP connections from 127.0.0.3 that never say a TLS word.
    const silent = Array.from({ length: 10 }, () => connectTcp({ host: '127.0.0.1', port, localAddress: '127.0.0.3' }).on('error', () => undefined));
    // 10 TLS connections from 127.0.0.4 that send their headers, then a body a byte every 200 ms.
    let received = '';
    const trickling = Array.from({ length: 10 }, () => {
      const tcp = connectTcp({ host: '127.0.0.1', port, localAddress: '127.0.0.4' }).on('error', () => undefined);
      const socket = connectTls({ socket: tcp, servername: 'localhost', ca: authority.cert }, () => {
        socket.write('POST /partial HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1024\r\n\r\n{');
        const timer = setInterval(() => socket.write(' '), 200);
        socket.once('close', () => clearInterval(timer));
      });
      socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1'))).on('error', () => undefined);
      return socket;
    });
    // 30 TCP connections from 127.0.0.5: 20 held (silent handshakes too), 10 beyond that address's cap.
    const surplus = Array.from({ length: 30 }, () => connectTcp({ host: '127.0.0.1', port, localAddress: '127.0.0.5' }).on('error', () => undefined));
    sockets.push(...silent, ...trickling, ...surplus);

    expect(await poolInfo()).toBe(200);
    await Promise.all([...silent, ...trickling, ...surplus].map(closed));
    expect(received.match(/HTTP\/1\.1 408 /g)).toHaveLength(10);
    expect(await count('httpRequestTimeouts', 'tls_handshake')).toBe(30);
    expect(await count('httpRequestTimeouts', 'request')).toBe(10);
    expect(await count('httpConnectionsRefused', 'per_address')).toBe(10);
    expect(await poolInfo()).toBe(200);
  });
});
