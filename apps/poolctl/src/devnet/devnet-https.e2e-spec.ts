import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCertificateAuthority, issueServerCertificate, PoolHttpClient } from '@pool/devnet';
import { DEVNET_DEFAULTS } from '../commands/devnet.command';
import { MILESTONES } from './devnet-milestones';
import { runDevnet } from './devnet-run';

/**
 * `npm start` with a certificate configured: the api serves https only, and the devnet's farmers reach it over TLS,
 * checking the certificate (chain and host name) as Chia's farmer does, through a whole cycle from registration to
 * a confirmed payout. The settings are the plain devnet e2e's (test/e2e/devnet-run.e2e-spec.ts).
 */
describe('poolctl devnet run over https', () => {
  let dir: string;
  const lines: string[] = [];

  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'devnet-https-e2e-'))));
  afterAll(() => {
    if (lines.length > 0) console.log(lines.join('\n'));
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the whole cycle with the farmers talking https, and serves no plain http', async () => {
    const authority = createCertificateAuthority();
    const server = issueServerCertificate(authority, ['localhost', '127.0.0.1']);
    const tls = { certFile: join(dir, 'fullchain.pem'), keyFile: join(dir, 'privkey.pem') };
    // certbot's fullchain.pem: the server's certificate, then the chain up to (here, including) the root.
    writeFileSync(tls.certFile, server.cert + authority.cert);
    writeFileSync(tls.keyFile, server.key);

    // Asked while it runs, as soon as the addresses are printed.
    const probes: Promise<unknown>[] = [];
    const log = (line: string): void => {
      lines.push(line);
      const api = /^devnet: pool api on (\S+),/.exec(line);
      if (api) {
        const port = new URL(api[1]!).port;
        probes.push(fetch(`http://127.0.0.1:${port}/pool_info`).then((response) => ({ plainHttp: response.status }), (error: Error) => ({ plainHttpRefused: error.message })));
        const client = new PoolHttpClient(`https://localhost:${port}`, authority.cert);
        probes.push(client.request('/pool_info').then((response) => ({ https: response.status }), (error: Error) => ({ httpsFailed: error.message })).finally(() => client.close()));
        probes.push(
          fetch(`https://localhost:${port}/pool_info`).then((response) => ({ untrusted: response.status }), (error: Error) => ({ untrustedRefused: (error.cause as Error | undefined)?.message ?? error.message })),
        );
      }
    };
    const summary = await runDevnet(
      { ...DEVNET_DEFAULTS, dataDir: join(dir, 'data'), port: 0, host: '127.0.0.1', tls, log, durationSeconds: 100, stopAfterCycle: true },
      new AbortController().signal,
    );

    expect(lines).toContainEqual(expect.stringMatching(/^devnet: pool api on https:\/\/127\.0\.0\.1:\d+, /));
    expect(lines).toContainEqual(expect.stringMatching(/^devnet: dashboard https:\/\/localhost:\d+\/dashboard, API docs https:\/\/localhost:\d+\/api\/docs$/));
    // Only TLS is served: plain http gets no answer, and a client that does not trust the certificate is refused.
    const [plain, https, untrusted] = await Promise.all(probes);
    expect(plain).toEqual({ plainHttpRefused: expect.any(String) });
    expect(https).toEqual({ https: 200 });
    expect(untrusted).toEqual({ untrustedRefused: expect.stringMatching(/certificate/i) });

    // So every partial, registration and payout below went through TLS.
    expect(Object.keys(summary.milestones).sort()).toEqual([...MILESTONES].sort());
    expect(summary.farmerErrors).toBe(0);
    expect(summary.partialsAccepted).toBeGreaterThan(0);
    expect(summary.partialsConfirmed).toBeGreaterThan(0);
    expect(summary.payouts?.confirmed).toBeGreaterThan(0);
  }, 150_000);
});
