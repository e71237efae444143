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
