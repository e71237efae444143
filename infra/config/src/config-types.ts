export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** How the pool reaches Chia: a real full node and wallet over mutual TLS, or (no full node) the built-in devnet. */
export interface ChiaConnectionConfig {
  fullNode?: { host: string; port?: number };
  wallet?: { host: string; port?: number };
  /**
   * The CHIA_ROOT whose `config/ssl/` holds the private CA and the daemon client certificate used for mutual TLS
   * (Chia's own layout); default `$CHIA_ROOT`, then ~/.chia/mainnet.
   */
  chiaRoot?: string;
}

/** TLS the api serves itself: PEM files, read again when they change on disk (certbot renews in place). */
export interface TlsFiles {
  certFile: string;
  keyFile: string;
}

/**
 * Which proxies the api believes about the client (X-Forwarded-For, -Proto, -Host): false believes none (the
 * socket's peer is the client), true believes every hop, a list believes the hops at those addresses or CIDRs.
 */
export type TrustProxy = boolean | string[];

/**
 * Token buckets checked before any signature or proof is verified, on the protocol routes and /v2/auth: a bucket
 * holds `perMinute` requests and refills at that rate, so a burst of that size passes at once.
 */
export interface RateLimitSettings {
  enabled: boolean;
  /** Requests a minute from one client address (all launchers behind it together). */
  perAddressPerMinute: number;
  /** Requests a minute naming one launcher id (from any address). */
  perLauncherPerMinute: number;
}

/**
 * Chia's farmer sends a partial per proof that meets its difficulty (a few a minute once the pool has set it),
 * GET /farmer now and then and /pool_info every few minutes; a farm behind one address may hold many plot NFTs.
 * These limits are far above that and far below what a flood needs.
 */
export const DEFAULT_RATE_LIMITS: RateLimitSettings = { enabled: true, perAddressPerMinute: 1200, perLauncherPerMinute: 300 };
