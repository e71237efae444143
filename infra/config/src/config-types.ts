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
  /**
   * The key (as `chia keys show` prints its fingerprint) payouts are paid from: the worker logs the wallet in to it
   * before paying and pays from no other (`chia.wallet.fingerprint`, POOL_WALLET_FINGERPRINT). Required with a
   * real wallet: a wallet serves every key of its keychain, and one the operator did not mean must not pay.
   */
  walletFingerprint?: number;
}

/**
 * A config key given as an address (`xch1...`, `txch1...`) instead of a puzzle hash, with the network prefix the
 * address carries: the worker checks it against its node's network at start-up (a testnet address on mainnet names
 * a wallet nobody can spend from there).
 */
export interface ConfigAddress {
  /** The key as the operator wrote it (`pool.target_puzzle_hash`). */
  key: string;
  prefix: string;
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

/**
 * How long the api waits for a client and how many sockets it holds. A socket that trickles its request (a byte
 * now and then) must be cut off, and a flood of sockets must not use up the file descriptors the pool loops need for
 * the node, the wallet and the databases (`npm start` runs them in the same process).
 */
export interface ConnectionLimitSettings {
  /** From a connection's (or a keep-alive request's) first byte to the end of its headers. */
  headersTimeoutSeconds: number;
  /** From the first byte to the end of the body; the time the pool then takes to answer is not counted. */
  requestTimeoutSeconds: number;
  /** How long an idle keep-alive connection stays open after an answer. */
  keepAliveTimeoutSeconds: number;
  /** Open connections at once; more are closed as they arrive (lowered when the process's file limit is smaller). */
  maxConnections: number;
  /** Open connections from one client address; 0 for no such limit. Not applied when a proxy is trusted. */
  maxConnectionsPerAddress: number;
}

/**
 * Chia's farmer sends a request of about 1 KB at once, on a connection of its own, and waits up to about 10 s for
 * the answer (the pool may wait for a signage point its node has not seen yet); that wait comes after the body and
 * is not limited here. So a farmer never meets these timeouts, and a trickling socket is closed within half a minute.
 * The keep-alive time stays above the 60 s idle time of common load balancers, so a proxy does not reuse a
 * connection the api is closing. One farm makes a handful of requests at once; thousands of farmers stay far
 * below the total.
 */
export const DEFAULT_CONNECTION_LIMITS: ConnectionLimitSettings = {
  headersTimeoutSeconds: 20,
  requestTimeoutSeconds: 30,
  keepAliveTimeoutSeconds: 75,
  maxConnections: 8192,
  maxConnectionsPerAddress: 256,
};

/** The SMTP server notification e-mails go through (`notifications.smtp`, POOL_SMTP_*). */
export interface SmtpSettings {
  host: string;
  port: number;
  /** TLS from the first byte (port 465); false: plain, upgraded with STARTTLS when the server offers it. */
  secure: boolean;
  user?: string;
  pass?: string;
  /** The sender, e.g. `"My pool" <pool@example.com>`. */
  from: string;
}

/** What the notifier (libs/notifications, run by the worker under the pool-loops lease) does. */
export interface NotificationSettings {
  enabled: boolean;
  /** A farmer with no partial for this long is told it is offline (once per silence). */
  offlineAfterSeconds: number;
  /** A target whose deliveries failed this many times in a row is paused until the farmer resumes it. */
  pauseAfterFailures: number;
  /** First retry after this long; each further failure doubles it, up to retryMaxSeconds. */
  retryBaseSeconds: number;
  retryMaxSeconds: number;
  /**
   * Facts older than this when the notifier first reads them are not sent: a notifier starting on a long ledger (a
   * new read-models database) does not tell farmers about last year's payouts.
   */
  maxAgeSeconds: number;
  /** Telegram's Bot API base URL (tests point it to a local receiver). */
  telegramApiUrl: string;
  /** Undefined: no e-mail (e-mail targets are refused when a farmer adds one). */
  smtp?: SmtpSettings;
}

export const DEFAULT_NOTIFICATION_SETTINGS: NotificationSettings = Object.freeze({
  enabled: true,
  offlineAfterSeconds: 3600,
  pauseAfterFailures: 5,
  retryBaseSeconds: 30,
  retryMaxSeconds: 6 * 3600,
  maxAgeSeconds: 86_400,
  telegramApiUrl: 'https://api.telegram.org',
});
