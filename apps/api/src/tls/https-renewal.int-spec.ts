import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadPoolConfig } from '@pool/config';
import { createCertificateAuthority, issueServerCertificate, type PemPair } from '@pool/devnet';
import { InMemoryEventStore } from '@pool/event-store';
import { ReadModelDatabase } from '@pool/read-models';
import { apiDepsWithoutChain } from '@pool/testing';
import { createApiServer } from '../api-server';
import { TlsRenewal } from './tls-files';

/** The certificate a new TLS connection to the api is shown (its SHA-256 fingerprint), not trusting anything. */
function presentedFingerprint(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', rejectUnauthorized: false }, () => {
      resolve(socket.getPeerCertificate().fingerprint256);
      socket.end();
    });
    socket.once('error', reject);
  });
}

const fingerprint = (pair: PemPair): string => new X509Certificate(pair.cert).fingerprint256;

async function until<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${String(value)} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** GET over https trusting `ca` only (the way a farmer checks the pool: chain and host name). */
function getTrusting(url: string, ca: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    req.once('error', reject).end();
  });
}

/**
 * The api serving HTTPS from PEM files, as a certbot-managed host has them: `live/` symbolic links into `archive/`.
 * A renewal swaps the links (or rewrites the files); new connections must get the new certificate without a
 * restart, and a pair that does not load must leave the old one serving.
 */
describe('the api over HTTPS, following certificate renewals', () => {
  let dir: string;
  let app: NestFastifyApplication;
  let port: number;
  const authority = createCertificateAuthority();
  const certA = issueServerCertificate(authority, ['localhost', '127.0.0.1']);
  const certB = issueServerCertificate(authority, ['localhost', '127.0.0.1']);
  const certC = issueServerCertificate(authority, ['localhost', '127.0.0.1']);
  const live = (name: string): string => join(dir, 'live', name);

  /** certbot's renewal: new files in archive/, then the live links pointed at them (a rename, atomic). */
  const renew = (version: number, pair: PemPair): void => {
    writeFileSync(join(dir, 'archive', `fullchain${version}.pem`), pair.cert + authority.cert);
    writeFileSync(join(dir, 'archive', `privkey${version}.pem`), pair.key);
    for (const [link, target] of [
      ['fullchain.pem', `fullchain${version}.pem`],
      ['privkey.pem', `privkey${version}.pem`],
    ] as const) {
      symlinkSync(join('..', 'archive', target), live(`${link}.new`));
      renameSync(live(`${link}.new`), live(link));
    }
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'api-tls-'));
    for (const sub of ['live', 'archive']) mkdirSync(join(dir, sub));
    renew(1, certA);
    const config = { ...loadPoolConfig({}), tls: { certFile: live('fullchain.pem'), keyFile: live('privkey.pem') } };
    const readModels = await ReadModelDatabase.open('sqlite::memory:');
    app = await createApiServer(await apiDepsWithoutChain(config, new InMemoryEventStore(), readModels), ['error'], { tlsCheckEveryMs: 100 });
    await app.listen(0, '127.0.0.1');
    port = Number(new URL(await app.getUrl()).port);
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the pool protocol over https with the configured certificate, and says https in its URL', async () => {
    expect(await app.getUrl()).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(await presentedFingerprint(port)).toBe(fingerprint(certA));
    const answer = await getTrusting(`https://localhost:${port}/pool_info`, authority.cert);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ protocol_version: 1 });
  });

  it('presents a renewed certificate to new connections without a restart', async () => {
    renew(2, certB);
    await until('the certificate presented', () => presentedFingerprint(port), (seen) => seen === fingerprint(certB));
    expect((await getTrusting(`https://localhost:${port}/pool_info`, authority.cert)).status).toBe(200);
  });

  it('keeps serving the old certificate while the new files do not make a pair, then takes the next good one', async () => {
    // A key that is not the certificate's (a renewal caught half way), then garbage: neither may take the server down.
    writeFileSync(join(dir, 'archive', 'fullchain3.pem'), certC.cert);
    writeFileSync(join(dir, 'archive', 'privkey3.pem'), certA.key);
    renew(3, { cert: certC.cert, key: certA.key });
    writeFileSync(join(dir, 'archive', 'privkey3.pem'), 'not a key');
    // Several check intervals later the old certificate still answers.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await presentedFingerprint(port)).toBe(fingerprint(certB));
    expect((await getTrusting(`https://localhost:${port}/pool_info`, authority.cert)).status).toBe(200);

    writeFileSync(join(dir, 'archive', 'privkey3.pem'), certC.key);
    await until('the certificate presented', () => presentedFingerprint(port), (seen) => seen === fingerprint(certC));
  });
});

describe('TlsRenewal', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'tls-renewal-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('warns once while the files do not load, installs nothing broken, and installs the pair once it loads', async () => {
    const authority = createCertificateAuthority();
    const [first, second] = [issueServerCertificate(authority, ['localhost']), issueServerCertificate(authority, ['localhost'])];
    const files = { certFile: join(dir, 'cert.pem'), keyFile: join(dir, 'key.pem') };
    writeFileSync(files.certFile, first.cert);
    writeFileSync(files.keyFile, first.key);
    const installed: string[] = [];
    const warnings: string[] = [];
    const renewal = new TlsRenewal({ files, install: (pair) => installed.push(pair.cert), log: () => undefined, warn: (line) => warnings.push(line), checkEveryMs: 50, settleMs: 50 });
    try {
      // The watcher's first stat is its baseline: a change written before it would be part of the baseline.
      await new Promise((resolve) => setTimeout(resolve, 500));
      writeFileSync(files.certFile, second.cert);
      await until('the warning', async () => warnings.length, (n) => n === 1);
      writeFileSync(files.certFile, `${second.cert}\n`);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/do not load .*still serving the previous certificate/);
      expect(installed).toEqual([]);

      writeFileSync(files.keyFile, second.key);
      await until('the new pair', async () => installed.length, (n) => n === 1);
      expect(installed[0]).toContain(second.cert.trim());
    } finally {
      renewal.stop();
    }
  });
});
