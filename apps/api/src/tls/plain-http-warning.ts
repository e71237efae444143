import type { PoolConfig } from '@pool/config';

/**
 * What start-up says when real farmers could not use this api: on mainnet Chia's farmer, `chia plotnft join/create`
 * and the GUI refuse a pool URL that is not https:// with a publicly trusted certificate (chia-blockchain
 * `chia/farmer/farmer.py`, `enforce_https` on mainnet). The api serves https itself when `tls` is set; behind a
 * TLS proxy `trustProxy` is how it knows. Neither, with a real node, means farmers cannot join. The devnet (no
 * full node configured) is plain HTTP on purpose and gets no warning.
 */
export function plainHttpWarning(config: Pick<PoolConfig, 'tls' | 'trustProxy' | 'chia'>): string | undefined {
  if (config.chia.fullNode === undefined || config.tls !== undefined) return undefined;
  const proxied = config.trustProxy === true || (Array.isArray(config.trustProxy) && config.trustProxy.length > 0);
  if (proxied) return undefined;
  return (
    "the api serves plain HTTP and trusts no TLS proxy: Chia's farmers refuse a pool URL that is not https:// with a publicly trusted certificate. " +
    'Either set server.tls_cert_file and server.tls_key_file (POOL_TLS_CERT_FILE / POOL_TLS_KEY_FILE) to the PEM certificate chain and key, ' +
    'or put a TLS proxy in front (infra/deploy runs Caddy) and set server.trust_proxy (POOL_TRUST_PROXY) to its address.'
  );
}
