import { dirname, resolve } from 'node:path';
import { parseTrustProxy, readConfigFile, type PoolConfigOverrides } from './config-file';
import { ConfigError } from './config-reader';
import { DEFAULT_CONNECTION_LIMITS, DEFAULT_RATE_LIMITS, LOG_LEVELS, type ChiaConnectionConfig, type ConfigAddress, type ConnectionLimitSettings, type LogLevel, type NotificationSettings, type RateLimitSettings, type TlsFiles, type TrustProxy } from './config-types';
import { readNotificationSettings } from './notification-config';
import { DEFAULT_POOL_SETTINGS, type PoolSettings } from './pool-settings';
import { secretWeakness } from './secret-strength';

/**
 * Settings for the api and projector: embedded defaults, then a YAML file (`--config pool.yaml` or
 * POOL_CONFIG_FILE), then the environment, so `npm start` needs nothing (SQLite files under ./data, port
 * 8080, the devnet) and a deployment can keep secrets in the environment.
 */
export interface PoolConfig {
  port: number;
  host: string;
  eventStoreUrl: string;
  readModelsUrl: string;
  settings: PoolSettings;
  /** pino level of the api's and projector's JSON logs. */
  logLevel: LogLevel;
  /** Key for /api/operator/* (header x-api-key); undefined disables those endpoints. */
  operatorApiKey?: string;
  /** Certificate and key the api serves HTTPS with; undefined serves plain HTTP (behind a TLS proxy, or the devnet). */
  tls?: TlsFiles;
  /** Which proxies in front of the api to believe about the client's address and scheme (Fastify's trustProxy). */
  trustProxy: TrustProxy;
  /** Checked before any crypto on the protocol routes and /v2/auth. */
  rateLimits: RateLimitSettings;
  /**
   * /health/ready reports the read side stuck once events have waited this long for the projector while no
   * checkpoint moved (default 60). Optional so that hand-built configs in tests need not name it.
   */
  projectionsStalledAfterSeconds?: number;
  /** Timeouts and caps on the api's client connections (each api process's own). */
  connections: ConnectionLimitSettings;
  /**
   * How many processes `node dist/apps/api/src/main.js` serves the api with, sharing its port (node:cluster);
   * undefined: one per core. Optional so that hand-built configs in tests need not name it.
   */
  apiProcesses?: number;
  chia: ChiaConnectionConfig;
  /** The notifier's settings (SMTP included). Optional so that hand-built configs in tests need not name it. */
  notifications?: NotificationSettings;
  /**
   * Keys given as addresses, with their network prefix: the worker refuses to start when one is not of its node's
   * network. Optional so that hand-built configs in tests need not name it.
   */
  addresses?: readonly ConfigAddress[];
  /** The file the config came from, if any (for logs). */
  source?: string;
}

/**
 * `env` overrides `file`, which overrides the defaults. Throws ConfigError naming every bad key (file keys as
 * `section.key`, variables by name).
 */
export function loadPoolConfig(env: NodeJS.ProcessEnv = process.env, file: string | undefined = env.POOL_CONFIG_FILE || undefined): PoolConfig {
  const fromFile: PoolConfigOverrides = file === undefined ? { chia: {}, settings: {} } : readConfigFile(file);
  const problems: string[] = [];
  const envInteger = (name: string, min: number, max: number): number | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === '') return undefined;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < min || n > max) {
      problems.push(`${name}: must be an integer between ${min} and ${max}, got ${JSON.stringify(raw)}`);
      return undefined;
    }
    return n;
  };

  const dataDir = env.POOL_DATA_DIR ?? fromFile.dataDir ?? './data';
  const port = envInteger('PORT', 0, 65_535) ?? fromFile.port ?? 8080;
  const logLevelVar = env.POOL_LOG_LEVEL;
  if (logLevelVar !== undefined && logLevelVar !== '' && !(LOG_LEVELS as readonly string[]).includes(logLevelVar)) {
    problems.push(`POOL_LOG_LEVEL: must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(logLevelVar)}`);
  }
  const apiKeyVar = env.POOL_OPERATOR_API_KEY;
  if (apiKeyVar !== undefined && apiKeyVar !== '' && apiKeyVar.length < 16) problems.push('POOL_OPERATOR_API_KEY: must be at least 16 characters');

  const chia: ChiaConnectionConfig = { ...fromFile.chia };
  if (env.POOL_FULL_NODE_HOST) chia.fullNode = { host: env.POOL_FULL_NODE_HOST, port: envInteger('POOL_FULL_NODE_PORT', 1, 65_535) ?? fromFile.chia.fullNode?.port };
  else if (chia.fullNode && env.POOL_FULL_NODE_PORT) chia.fullNode = { ...chia.fullNode, port: envInteger('POOL_FULL_NODE_PORT', 1, 65_535) };
  if (env.POOL_WALLET_HOST) chia.wallet = { host: env.POOL_WALLET_HOST, port: envInteger('POOL_WALLET_PORT', 1, 65_535) ?? fromFile.chia.wallet?.port };
  else if (chia.wallet && env.POOL_WALLET_PORT) chia.wallet = { ...chia.wallet, port: envInteger('POOL_WALLET_PORT', 1, 65_535) };
  if (env.CHIA_ROOT) chia.chiaRoot = env.CHIA_ROOT;
  const fingerprint = envInteger('POOL_WALLET_FINGERPRINT', 0, 4_294_967_295);
  if (fingerprint !== undefined) chia.walletFingerprint = fingerprint;
  if (chia.fullNode && chia.wallet && chia.walletFingerprint === undefined) {
    // pool-reference refuses to start without its wallet_fingerprint too: the wallet may hold other keys.
    problems.push('chia.wallet.fingerprint: required with a wallet configured (or POOL_WALLET_FINGERPRINT): the fingerprint of the key payouts are paid from, as `chia keys show` prints it');
  }

  const { payouts, ...rest } = fromFile.settings;
  const settings: PoolSettings = { ...DEFAULT_POOL_SETTINGS, ...rest, payouts: { ...DEFAULT_POOL_SETTINGS.payouts, ...payouts } };
  // The chain-safety variables the chain loops read before these settings existed still override the file.
  const safeReorgDepth = envInteger('POOL_SAFE_REORG_DEPTH', 0, 10_000);
  const partialReorgWindowSeconds = envInteger('POOL_PARTIAL_REORG_WINDOW_SECONDS', 0, Number.MAX_SAFE_INTEGER);
  const chainFollowerWindow = envInteger('POOL_CHAIN_FOLLOWER_WINDOW', 1, 100_000);
  if (safeReorgDepth !== undefined) settings.safeReorgDepth = safeReorgDepth;
  if (partialReorgWindowSeconds !== undefined) settings.partialReorgWindowSeconds = partialReorgWindowSeconds;
  if (chainFollowerWindow !== undefined) settings.chainFollowerWindow = chainFollowerWindow;
  if (chia.fullNode) {
    // With real money at stake no placeholder or guessable value may survive: a placeholder target puzzle hash
    // sends the rewards to nobody's wallet, a known JWT key lets anyone mint v2 tokens for any farmer, a guessable
    // operator key opens the payout switch (the rule: secret-strength.ts).
    const weakTarget = secretWeakness('hex', settings.targetPuzzleHash);
    if (weakTarget) problems.push(`pool.target_puzzle_hash: ${weakTarget}; with a full node configured it must be the pool wallet's puzzle hash`);
    const weakJwt = secretWeakness('hex', settings.jwtSecretHex);
    if (weakJwt) problems.push(`pool.jwt_secret_hex: ${weakJwt}; with a full node configured generate one with \`openssl rand -hex 32\``);
    const operatorKey = apiKeyVar || fromFile.operatorApiKey;
    const weakKey = operatorKey ? secretWeakness('key', operatorKey) : undefined;
    if (weakKey) problems.push(`${apiKeyVar ? 'POOL_OPERATOR_API_KEY' : 'operator.api_key'}: ${weakKey}; with a full node configured generate one with \`openssl rand -hex 32\``);
  }
  const tlsCert = env.POOL_TLS_CERT_FILE || undefined;
  const tlsKey = env.POOL_TLS_KEY_FILE || undefined;
  if ((tlsCert === undefined) !== (tlsKey === undefined)) problems.push('POOL_TLS_CERT_FILE, POOL_TLS_KEY_FILE: set both (PEM certificate chain and its private key) or neither');
  const tls =
    tlsCert !== undefined && tlsKey !== undefined ? resolveTlsFiles({ certFile: tlsCert, keyFile: tlsKey }, process.cwd()) : fromFile.tls && file !== undefined ? resolveTlsFiles(fromFile.tls, dirname(resolve(file))) : undefined;
  const trustProxyVar = env.POOL_TRUST_PROXY;
  const trustProxy = trustProxyVar ? parseTrustProxy(trustProxyVar, (message) => problems.push(`POOL_TRUST_PROXY: ${message}`)) : undefined;
  const rateLimitsVar = env.POOL_RATE_LIMITS;
  if (rateLimitsVar && rateLimitsVar !== 'on' && rateLimitsVar !== 'off') problems.push(`POOL_RATE_LIMITS: must be on or off, got ${JSON.stringify(rateLimitsVar)}`);
  const rateLimits: RateLimitSettings = { ...DEFAULT_RATE_LIMITS, ...fromFile.rateLimits, ...(rateLimitsVar === 'on' || rateLimitsVar === 'off' ? { enabled: rateLimitsVar === 'on' } : {}) };
  const connections = readConnectionLimits(fromFile.connections, envInteger, problems);
  const apiProcesses = envInteger('POOL_API_PROCESSES', 1, 256) ?? fromFile.apiProcesses;
  const projectionsStalledAfterSeconds = envInteger('POOL_PROJECTIONS_STALLED_AFTER_SECONDS', 1, 86_400) ?? fromFile.projectionsStalledAfterSeconds ?? 60;
  const notifications = readNotificationSettings(fromFile.notifications, env, envInteger, problems);
  if (problems.length > 0) throw new ConfigError(problems, file);

  return {
    port,
    host: env.HOST ?? fromFile.host ?? '0.0.0.0',
    eventStoreUrl: env.POOL_EVENT_STORE_URL ?? fromFile.eventStoreUrl ?? `sqlite:${dataDir}/events.db`,
    readModelsUrl: env.POOL_READ_MODELS_URL ?? fromFile.readModelsUrl ?? `sqlite:${dataDir}/read-models.db`,
    settings,
    logLevel: (logLevelVar || undefined) as LogLevel | undefined ?? fromFile.logLevel ?? 'info',
    operatorApiKey: apiKeyVar || fromFile.operatorApiKey || undefined,
    ...(tls === undefined ? {} : { tls }),
    trustProxy: trustProxy ?? fromFile.trustProxy ?? false,
    rateLimits,
    projectionsStalledAfterSeconds,
    connections,
    ...(apiProcesses === undefined ? {} : { apiProcesses }),
    notifications,
    chia,
    ...(fromFile.addresses === undefined ? {} : { addresses: fromFile.addresses }),
    ...(file === undefined ? {} : { source: file }),
  };
}


/** Relative PEM paths are relative to the config file that names them (the environment's to the working directory). */
function resolveTlsFiles(tls: TlsFiles, base: string): TlsFiles {
  return { certFile: resolve(base, tls.certFile), keyFile: resolve(base, tls.keyFile) };
}

/** The file's connection limits over the defaults, the environment's over both; a header limit within the request's. */
function readConnectionLimits(
  fromFile: Partial<ConnectionLimitSettings> | undefined,
  envInteger: (name: string, min: number, max: number) => number | undefined,
  problems: string[],
): ConnectionLimitSettings {
  const fromEnv: Partial<ConnectionLimitSettings> = {
    headersTimeoutSeconds: envInteger('POOL_HEADERS_TIMEOUT_SECONDS', 1, 3600),
    requestTimeoutSeconds: envInteger('POOL_REQUEST_TIMEOUT_SECONDS', 1, 3600),
    keepAliveTimeoutSeconds: envInteger('POOL_KEEP_ALIVE_TIMEOUT_SECONDS', 1, 3600),
    maxConnections: envInteger('POOL_MAX_CONNECTIONS', 1, 1_000_000),
    maxConnectionsPerAddress: envInteger('POOL_MAX_CONNECTIONS_PER_ADDRESS', 0, 1_000_000),
  };
  const limits = { ...DEFAULT_CONNECTION_LIMITS, ...fromFile };
  for (const [key, value] of Object.entries(fromEnv) as [keyof ConnectionLimitSettings, number | undefined][]) if (value !== undefined) limits[key] = value;
  // Node refuses a header limit longer than the whole request's (the headers are part of the request).
  if (limits.headersTimeoutSeconds > limits.requestTimeoutSeconds) {
    problems.push(`server.headers_timeout_seconds: must not exceed server.request_timeout_seconds (${limits.headersTimeoutSeconds} > ${limits.requestTimeoutSeconds})`);
  }
  return limits;
}
