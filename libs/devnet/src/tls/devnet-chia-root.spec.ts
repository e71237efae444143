import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chiaRootTlsPaths } from '@pool/chia';
import { createCertificateAuthority, issueServiceCertificate } from './certificate-authority';
import { DEVNET_TLS_SERVICES, devnetCaPaths, devnetServicePaths, ensureDevnetChiaRoot } from './devnet-chia-root';

const roots: string[] = [];
function freshRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'devnet-tls-'));
  roots.push(root);
  return root;
}
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

const read = (path: string) => readFileSync(path, 'utf8');
const certAt = (path: string) => new X509Certificate(read(path));

describe('ensureDevnetChiaRoot', () => {
  const root = freshRoot();
  const first = ensureDevnetChiaRoot(root);

  it('writes the CA and every service pair where the RPC clients look for them', () => {
    expect(first.written).toHaveLength(2 + 2 * DEVNET_TLS_SERVICES.length);
    for (const service of ['full_node', 'wallet'] as const) {
      for (const clientIdentity of ['daemon', 'service'] as const) {
        const paths = chiaRootTlsPaths({ service, chiaRoot: root, clientIdentity });
        expect(first.written).toEqual(expect.arrayContaining([paths.caCert, paths.clientCert, paths.clientKey]));
      }
    }
    expect(first.ca).toEqual({
      cert: join(root, 'config/ssl/ca/private_ca.crt'),
      key: join(root, 'config/ssl/ca/private_ca.key'),
    });
  });

  it('makes a CA certificate and service certificates it signs, each matching its key', () => {
    const ca = certAt(first.ca.cert);
    expect(ca.ca).toBe(true);
    expect(ca.subject).toContain('CN=Chia CA');
    expect(ca.checkPrivateKey(createPrivateKey(read(first.ca.key)))).toBe(true);
    for (const service of DEVNET_TLS_SERVICES) {
      const paths = first.services[service];
      const cert = certAt(paths.cert);
      expect(cert.ca).toBe(false);
      expect(cert.subject).toContain('CN=Chia');
      expect(cert.checkIssued(ca)).toBe(true);
      expect(cert.verify(ca.publicKey)).toBe(true);
      expect(cert.checkPrivateKey(createPrivateKey(read(paths.key)))).toBe(true);
      expect(cert.keyUsage).toEqual(expect.arrayContaining(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']));
    }
  });

  it('gives every service its own key', () => {
    const keys = DEVNET_TLS_SERVICES.map((service) => read(first.services[service].key));
    expect(new Set(keys).size).toBe(DEVNET_TLS_SERVICES.length);
  });

  it('keeps private keys readable by the owner only', () => {
    for (const path of [first.ca.key, ...DEVNET_TLS_SERVICES.map((s) => first.services[s].key)]) {
      expect(statSync(path).mode & 0o777).toBe(0o600);
    }
  });

  it('changes nothing when called again', () => {
    const before = first.written.map(read);
    const again = ensureDevnetChiaRoot(root);
    expect(again.written).toEqual([]);
    expect(first.written.map(read)).toEqual(before);
  });
});

describe('ensureDevnetChiaRoot on a partial root', () => {
  it('keeps an existing CA and signs the missing service pair with it', () => {
    const root = freshRoot();
    ensureDevnetChiaRoot(root);
    const caBefore = read(devnetCaPaths(root).cert);
    const walletBefore = read(devnetServicePaths(root, 'wallet').cert);
    unlinkSync(devnetServicePaths(root, 'full_node').key);

    const result = ensureDevnetChiaRoot(root);

    const fullNode = devnetServicePaths(root, 'full_node');
    expect(result.written.sort()).toEqual([fullNode.cert, fullNode.key].sort());
    expect(read(devnetCaPaths(root).cert)).toBe(caBefore);
    expect(read(devnetServicePaths(root, 'wallet').cert)).toBe(walletBefore);
    expect(certAt(fullNode.cert).checkIssued(new X509Certificate(caBefore))).toBe(true);
  });

  it('keeps a CA it did not make (a copied real CHIA_ROOT) and replaces a service pair from another CA', () => {
    const root = freshRoot();
    const ownCa = createCertificateAuthority();
    const foreignPair = issueServiceCertificate(createCertificateAuthority());
    const caPaths = devnetCaPaths(root);
    ensureDevnetChiaRoot(root); // creates the directories
    writeFileSync(caPaths.cert, ownCa.cert);
    writeFileSync(caPaths.key, ownCa.key);
    const wallet = devnetServicePaths(root, 'wallet');
    writeFileSync(wallet.cert, foreignPair.cert);
    writeFileSync(wallet.key, foreignPair.key);

    const result = ensureDevnetChiaRoot(root);

    expect(read(caPaths.cert)).toBe(ownCa.cert);
    expect(result.written).toEqual(expect.arrayContaining([wallet.cert, wallet.key]));
    for (const service of DEVNET_TLS_SERVICES) {
      expect(certAt(devnetServicePaths(root, service).cert).checkIssued(new X509Certificate(ownCa.cert))).toBe(true);
    }
  });

  it('replaces a CA whose key does not match its certificate, and re-issues the services under it', () => {
    const root = freshRoot();
    const first = ensureDevnetChiaRoot(root);
    writeFileSync(first.ca.key, createCertificateAuthority().key);

    const result = ensureDevnetChiaRoot(root);

    expect(result.written).toHaveLength(2 + 2 * DEVNET_TLS_SERVICES.length);
    const ca = certAt(first.ca.cert);
    expect(ca.checkPrivateKey(createPrivateKey(read(first.ca.key)))).toBe(true);
    for (const service of DEVNET_TLS_SERVICES) expect(certAt(first.services[service].cert).checkIssued(ca)).toBe(true);
  });
});
