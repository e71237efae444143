import { loadPoolConfig } from '@pool/config';
import { plainHttpWarning } from './plain-http-warning';

describe('the start-up warning about plain HTTP', () => {
  const devnet = loadPoolConfig({});
  const realNode = { ...devnet, chia: { fullNode: { host: 'node.internal' } } };

  it('warns with a real node, no certificate and no trusted proxy, naming the keys that fix it', () => {
    const warning = plainHttpWarning(realNode);
    expect(warning).toMatch(/refuse a pool URL that is not https:\/\//);
    for (const key of ['server.tls_cert_file', 'server.tls_key_file', 'POOL_TLS_CERT_FILE', 'POOL_TLS_KEY_FILE', 'server.trust_proxy', 'POOL_TRUST_PROXY']) {
      expect(warning).toContain(key);
    }
    expect(plainHttpWarning({ ...realNode, trustProxy: [] })).toBe(warning);
    expect(plainHttpWarning({ ...realNode, trustProxy: false })).toBe(warning);
  });

  it('is silent when the api serves TLS, trusts a proxy, or runs the devnet', () => {
    expect(plainHttpWarning({ ...realNode, tls: { certFile: '/etc/pool/fullchain.pem', keyFile: '/etc/pool/privkey.pem' } })).toBeUndefined();
    expect(plainHttpWarning({ ...realNode, trustProxy: true })).toBeUndefined();
    expect(plainHttpWarning({ ...realNode, trustProxy: ['172.18.0.0/16'] })).toBeUndefined();
    expect(plainHttpWarning(devnet)).toBeUndefined();
  });
});
