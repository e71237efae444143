import { mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chiaRootTlsPaths, defaultChiaRoot, loadTlsMaterial } from './chia-tls';

describe('chiaRootTlsPaths', () => {
  const root = '/srv/chia/mainnet';

  it("uses the daemon certificate and the private CA of Chia's layout by default", () => {
    expect(chiaRootTlsPaths({ chiaRoot: root, service: 'full_node' })).toEqual({
      caCert: '/srv/chia/mainnet/config/ssl/ca/private_ca.crt',
      clientCert: '/srv/chia/mainnet/config/ssl/daemon/private_daemon.crt',
      clientKey: '/srv/chia/mainnet/config/ssl/daemon/private_daemon.key',
    });
  });

  it("uses the service's own certificate on request", () => {
    expect(chiaRootTlsPaths({ chiaRoot: root, service: 'wallet', clientIdentity: 'service' })).toEqual({
      caCert: '/srv/chia/mainnet/config/ssl/ca/private_ca.crt',
      clientCert: '/srv/chia/mainnet/config/ssl/wallet/private_wallet.crt',
      clientKey: '/srv/chia/mainnet/config/ssl/wallet/private_wallet.key',
    });
    expect(chiaRootTlsPaths({ chiaRoot: root, service: 'full_node', clientIdentity: 'service' }).clientCert).toBe(
      '/srv/chia/mainnet/config/ssl/full_node/private_full_node.crt',
    );
  });

  it('takes overrides relative to the root, absolute, or from the home directory', () => {
    const paths = chiaRootTlsPaths({
      chiaRoot: root,
      service: 'full_node',
      paths: { caCert: 'certs/ca.pem', clientCert: '/etc/pool/client.crt', clientKey: '~/keys/client.key' },
    });
    expect(paths).toEqual({
      caCert: '/srv/chia/mainnet/certs/ca.pem',
      clientCert: '/etc/pool/client.crt',
      clientKey: join(homedir(), 'keys/client.key'),
    });
  });
});

describe('defaultChiaRoot', () => {
  it('follows CHIA_ROOT, else ~/.chia/mainnet', () => {
    expect(defaultChiaRoot({ CHIA_ROOT: '/data/chia' })).toBe('/data/chia');
    expect(defaultChiaRoot({ CHIA_ROOT: '~/testnet' })).toBe(join(homedir(), 'testnet'));
    expect(defaultChiaRoot({})).toBe(join(homedir(), '.chia', 'mainnet'));
  });
});

describe('loadTlsMaterial', () => {
  it('names the missing file and what it is for', () => {
    const dir = mkdtempSync(join(tmpdir(), 'chia-tls-'));
    try {
      const paths = chiaRootTlsPaths({ chiaRoot: dir, service: 'full_node' });
      expect(() => loadTlsMaterial(paths)).toThrow(`private CA certificate for Chia RPC at ${paths.caCert}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
