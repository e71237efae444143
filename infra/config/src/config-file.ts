import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { ConfigError, ConfigReader, isMapping } from './config-reader';
import { LOG_LEVELS, type ChiaConnectionConfig, type ConfigAddress, type ConnectionLimitSettings, type LogLevel, type NotificationSettings, type RateLimitSettings, type SmtpSettings, type TlsFiles, type TrustProxy } from './config-types';
import type { PayoutSettings, PoolSettings } from './pool-settings';

/**
 * What a pool.yaml can set. Every key is optional: what the file leaves out keeps its default, and the
 * environment still overrides the file (see loadPoolConfig). The shape and meaning of every key is documented
 * in pool.example.yaml at the repository root; config-file.spec.ts checks that file sets every key read here.
 */
export interface PoolConfigOverrides {
  port?: number;
  host?: string;
  dataDir?: string;
  eventStoreUrl?: string;
  readModelsUrl?: string;
  logLevel?: LogLevel;
  operatorApiKey?: string;
  tls?: TlsFiles;
  trustProxy?: TrustProxy;
  rateLimits?: Partial<RateLimitSettings>;
  projectionsStalledAfterSeconds?: number;
  connections?: Partial<ConnectionLimitSettings>;
  apiProcesses?: number;
  notifications?: Partial<Omit<NotificationSettings, 'smtp'>> & { smtp?: Partial<SmtpSettings> };
  chia: ChiaConnectionConfig;
  /** Keys the file gives as addresses rather than hex, with their network prefix. */
  addresses?: ConfigAddress[];
  settings: Partial<Omit<PoolSettings, 'payouts'>> & { payouts?: Partial<PayoutSettings> };
}

/** Parses YAML text; `source` names the file in errors. Throws ConfigError listing every problem. */
export function parseConfigText(text: string, source = 'config'): PoolConfigOverrides {
  // Integers as bigint: a mojo amount must not pass through a float on its way in.
  const document = parseDocument(text, { intAsBigInt: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new ConfigError(
      document.errors.map((e) => `YAML line ${(e.linePos?.[0]?.line ?? 0) || '?'}: ${e.message.split('\n')[0]}`),
      source,
    );
  }
  const root: unknown = document.toJS({ maxAliasCount: 50 }) ?? {};
  if (!isMapping(root)) throw new ConfigError(['the file must be a mapping of sections (pool:, payouts:, ...)'], source);
  const reader = new ConfigReader(root);
  const overrides = readSections(reader);
  reader.reportUnknownKeys();
  if (reader.problems.length > 0) throw new ConfigError(reader.problems, source);
  return overrides;
}

/** Every key a config file may set, as `section.key` (what pool.example.yaml must document). */
export function knownConfigKeys(): string[] {
  const reader = new ConfigReader({});
  readSections(reader);
  return [...reader.keysRead];
}

export function readConfigFile(path: string): PoolConfigOverrides {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError([`cannot read the config file: ${(error as Error).message}`], path);
  }
  return parseConfigText(text, path);
}

const defined = <T extends object>(value: T): T => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

function readSections(r: ConfigReader): PoolConfigOverrides {
  for (const name of ['pool', 'difficulty', 'partials', 'chain', 'payouts', 'storage', 'server', 'rate_limits', 'chia', 'chia.full_node', 'chia.wallet', 'operator', 'logging', 'ledger', 'notifications', 'notifications.smtp', 'dashboard']) {
    r.section(name);
  }
  const settings = defined({
    name: r.string('pool.name', { minLength: 1 }),
    description: r.string('pool.description'),
    logoUrl: r.string('pool.logo_url', { pattern: /^https?:\/\/\S+$/, describe: 'an http(s) URL' }),
    welcomeMessage: r.string('pool.welcome_message'),
    feeBasisPoints: r.integer('pool.fee_basis_points', { min: 0, max: 10_000, unit: 'basis points, 100 = 1 %' }),
    targetPuzzleHash: r.puzzleHash('pool.target_puzzle_hash', "the pool wallet's puzzle hash that plot NFTs pay rewards to"),
    relativeLockHeight: r.integer('pool.relative_lock_height', { min: 1, max: 1000, unit: 'blocks; wallets refuse more than 1000' }),
    authenticationTokenTimeout: r.integer('pool.authentication_token_timeout_minutes', { min: 1, max: 255, unit: 'minutes' }),
    jwtSecretHex: r.hexAtLeast('pool.jwt_secret_hex', 32, 'HS256 key for v2 tokens'),
    minimumDifficulty: r.bigint('difficulty.minimum', 'of points', 1n),
    defaultDifficulty: r.bigint('difficulty.default', 'of points', 1n),
    partialTimeLimit: r.integer('partials.time_limit_seconds', { min: 1, max: 3600, unit: 'seconds' }),
    signagePointWaitSeconds: r.integer('partials.signage_point_wait_seconds', { min: 0, max: 60, unit: 'seconds' }),
    partialConfirmationDelay: r.integer('partials.confirmation_delay_seconds', { min: 0, unit: 'seconds' }),
    farmerUpdateCooldown: r.integer('partials.farmer_update_cooldown_seconds', { min: 0, unit: 'seconds' }),
    difficultyGraceSeconds: r.integer('partials.difficulty_grace_seconds', { min: 0, unit: 'seconds' }),
    confirmationSecurityThreshold: r.integer('chain.confirmation_security_threshold', { min: 0, max: 10_000, unit: 'blocks' }),
    safeReorgDepth: r.integer('chain.safe_reorg_depth', { min: 0, max: 10_000, unit: 'blocks' }),
    partialReorgWindowSeconds: r.integer('chain.partial_reorg_window_seconds', { min: 0, unit: 'seconds' }),
    chainFollowerWindow: r.integer('chain.follower_window', { min: 1, max: 100_000, unit: 'blocks' }),
    absorbFeePerReward: r.bigint('chain.absorb_fee_per_reward', 'of mojos'),
    sealEveryEvents: r.integer('ledger.seal_every_events', { min: 100, max: 100_000, unit: 'events' }),
    sealEverySeconds: r.integer('ledger.seal_every_seconds', { min: 10, max: 86_400, unit: 'seconds' }),
    explorerCoinUrl: explorerUrl(r, 'dashboard.explorer_coin_url', '{coin}'),
    explorerTransactionUrl: explorerUrl(r, 'dashboard.explorer_transaction_url', '{transaction}'),
    ...readPayouts(r),
  }) as PoolConfigOverrides['settings'];
  if (settings.safeReorgDepth !== undefined && settings.chainFollowerWindow !== undefined && settings.chainFollowerWindow <= settings.safeReorgDepth) {
    r.problems.push('chain.follower_window: must be larger than chain.safe_reorg_depth');
  }
  if (settings.minimumDifficulty !== undefined && settings.defaultDifficulty !== undefined && settings.defaultDifficulty < settings.minimumDifficulty) {
    r.problems.push('difficulty.default: must not be below difficulty.minimum');
  }

  const chia: ChiaConnectionConfig = defined({
    fullNode: readEndpoint(r, 'chia.full_node'),
    wallet: readEndpoint(r, 'chia.wallet'),
    chiaRoot: r.string('chia.root', { minLength: 1 }),
    // Chia's fingerprints are uint32 (the first 4 bytes of the public key's hash).
    walletFingerprint: r.integer('chia.wallet.fingerprint', { min: 0, max: 4_294_967_295, unit: 'the key\'s fingerprint, as `chia keys show` prints it' }),
  });
  const mixed = mixedNetworkProblem(r.addresses);
  if (mixed !== undefined) r.problems.push(mixed);
  return defined({
    port: r.integer('server.port', { min: 0, max: 65_535 }),
    host: r.string('server.host', { minLength: 1 }),
    dataDir: r.string('storage.data_dir', { minLength: 1 }),
    eventStoreUrl: r.string('storage.event_store_url', { pattern: /^(sqlite:|postgres(ql)?:\/\/|esdb(\+discover)?:\/\/)/, describe: 'sqlite:PATH, postgres://… or esdb://…' }),
    readModelsUrl: r.string('storage.read_models_url', { pattern: /^(sqlite:|postgres(ql)?:\/\/)/, describe: 'sqlite:PATH or postgres://…' }),
    logLevel: r.oneOf('logging.level', LOG_LEVELS),
    operatorApiKey: r.string('operator.api_key', { minLength: 16 }),
    tls: readTlsFiles(r),
    trustProxy: readTrustProxy(r),
    rateLimits: readRateLimits(r),
    projectionsStalledAfterSeconds: r.integer('server.projections_stalled_after_seconds', { min: 1, max: 86_400, unit: 'seconds' }),
    connections: readConnectionLimits(r),
    apiProcesses: r.integer('server.processes', { min: 1, max: 256, unit: 'processes' }),
    notifications: readNotifications(r),
    chia,
    addresses: r.addresses.length === 0 ? undefined : [...r.addresses],
    settings,
  });
}

/** Addresses of two networks in one config: one of them is wrong whichever network the node is on. */
export function mixedNetworkProblem(addresses: readonly ConfigAddress[]): string | undefined {
  const first = addresses[0];
  const other = addresses.find((a) => a.prefix !== first?.prefix);
  if (first === undefined || other === undefined) return undefined;
  return `${other.key}: a "${other.prefix}" address, but ${first.key} is a "${first.prefix}" address: every address must be of the network the pool runs on`;
}

/**
 * Which configured addresses are of another network than the node's (`network_prefix` of get_network_info, "xch"
 * on mainnet): one problem per key, to refuse the start with.
 */
export function addressNetworkProblems(addresses: readonly ConfigAddress[], networkPrefix: string, networkName: string): string[] {
  return addresses
    .filter((a) => a.prefix !== networkPrefix)
    .map((a) => `${a.key}: a "${a.prefix}" address, but the full node is on ${networkName}, whose addresses start with "${networkPrefix}1"`);
}

function readEndpoint(r: ConfigReader, section: string): { host: string; port?: number } | undefined {
  const host = r.string(`${section}.host`, { minLength: 1 });
  const port = r.integer(`${section}.port`, { min: 1, max: 65_535 });
  if (host === undefined) {
    if (port !== undefined) r.problems.push(`${section}.host: must be set when ${section}.port is`);
    return undefined;
  }
  return defined({ host, port });
}

/** Both PEM files or neither: a certificate without its key (or the reverse) cannot serve TLS. */
function readTlsFiles(r: ConfigReader): TlsFiles | undefined {
  const certFile = r.string('server.tls_cert_file') || undefined;
  const keyFile = r.string('server.tls_key_file') || undefined;
  if ((certFile === undefined) !== (keyFile === undefined)) {
    r.problems.push('server.tls_cert_file, server.tls_key_file: set both (PEM certificate chain and its private key) or neither');
    return undefined;
  }
  return certFile === undefined || keyFile === undefined ? undefined : { certFile, keyFile };
}

function readTrustProxy(r: ConfigReader): TrustProxy | undefined {
  const raw = r.rawValue('server.trust_proxy');
  if (raw === undefined || typeof raw === 'boolean') return raw;
  if (typeof raw === 'string') return parseTrustProxy(raw, (message) => r.problems.push(`server.trust_proxy: ${message}`));
  r.problems.push('server.trust_proxy: must be true, false or a comma-separated list of proxy addresses or CIDRs');
  return undefined;
}

/** "true" / "false" / "10.0.0.1, 10.1.0.0/16": the environment's and the file's spelling of trust_proxy. */
export function parseTrustProxy(text: string, problem: (message: string) => void): TrustProxy | undefined {
  const trimmed = text.trim();
  if (trimmed === 'true') return true;
  if (trimmed === 'false' || trimmed === '') return false;
  const hops = trimmed.split(',').map((hop) => hop.trim());
  const bad = hops.filter((hop) => !/^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(hop));
  if (bad.length > 0) {
    problem(`must be true, false or proxy addresses or CIDRs separated by commas; not ${bad.map((hop) => JSON.stringify(hop)).join(', ')}`);
    return undefined;
  }
  return hops;
}

function readRateLimits(r: ConfigReader): Partial<RateLimitSettings> | undefined {
  const limits = defined({
    enabled: r.boolean('rate_limits.enabled'),
    perAddressPerMinute: r.integer('rate_limits.per_address_per_minute', { min: 1, unit: 'requests a minute' }),
    perLauncherPerMinute: r.integer('rate_limits.per_launcher_per_minute', { min: 1, unit: 'requests a minute' }),
  });
  return Object.keys(limits).length === 0 ? undefined : limits;
}

function readConnectionLimits(r: ConfigReader): Partial<ConnectionLimitSettings> | undefined {
  const limits = defined({
    headersTimeoutSeconds: r.integer('server.headers_timeout_seconds', { min: 1, max: 3600, unit: 'seconds' }),
    requestTimeoutSeconds: r.integer('server.request_timeout_seconds', { min: 1, max: 3600, unit: 'seconds' }),
    keepAliveTimeoutSeconds: r.integer('server.keep_alive_timeout_seconds', { min: 1, max: 3600, unit: 'seconds' }),
    maxConnections: r.integer('server.max_connections', { min: 1, max: 1_000_000, unit: 'connections' }),
    maxConnectionsPerAddress: r.integer('server.max_connections_per_address', { min: 0, max: 1_000_000, unit: 'connections, 0 for no limit' }),
  });
  return Object.keys(limits).length === 0 ? undefined : limits;
}

/** The notifier's section; `notifications.smtp` is checked whole in loadPoolConfig, after the environment. */
function readNotifications(r: ConfigReader): PoolConfigOverrides['notifications'] {
  const smtp = defined({
    host: r.string('notifications.smtp.host', { minLength: 1 }),
    port: r.integer('notifications.smtp.port', { min: 1, max: 65_535 }),
    secure: r.boolean('notifications.smtp.secure'),
    user: r.string('notifications.smtp.user', { minLength: 1 }),
    pass: r.string('notifications.smtp.pass', { minLength: 1 }),
    from: r.string('notifications.smtp.from', { minLength: 3 }),
  });
  const notifications = defined({
    enabled: r.boolean('notifications.enabled'),
    offlineAfterSeconds: r.integer('notifications.offline_after_seconds', { min: 60, max: 30 * 86_400, unit: 'seconds' }),
    pauseAfterFailures: r.integer('notifications.pause_after_failures', { min: 1, max: 1000, unit: 'failed deliveries in a row' }),
    retryBaseSeconds: r.integer('notifications.retry_base_seconds', { min: 1, max: 86_400, unit: 'seconds' }),
    retryMaxSeconds: r.integer('notifications.retry_max_seconds', { min: 1, max: 7 * 86_400, unit: 'seconds' }),
    maxAgeSeconds: r.integer('notifications.max_age_seconds', { min: 60, unit: 'seconds' }),
    telegramApiUrl: r.string('notifications.telegram_api_url', { pattern: /^https?:\/\/\S+$/, describe: 'an http(s) URL' }),
    smtp: Object.keys(smtp).length === 0 ? undefined : smtp,
  });
  return Object.keys(notifications).length === 0 ? undefined : notifications;
}

/** An explorer link template: an http(s) URL holding `placeholder`, or `none` for no links (null). */
function explorerUrl(r: ConfigReader, path: string, placeholder: string): string | null | undefined {
  const value = r.string(path, { pattern: /^(none|https?:\/\/\S+)$/, describe: `an http(s) URL with ${placeholder} where the id goes, or none` });
  if (value === undefined || value === 'none') return value === 'none' ? null : undefined;
  if (!value.includes(placeholder)) r.problems.push(`${path}: must hold ${placeholder} where the id goes`);
  return value;
}

/** The payout section: scheme, money limits, timing and the pause switches (merged over the defaults). */
function readPayouts(r: ConfigReader): { payouts?: Partial<PayoutSettings> } {
  const payouts: Partial<PayoutSettings> = defined({
    scheme: r.oneOf('payouts.scheme', ['prop', 'pplns'] as const),
    pplnsWindowSeconds: r.integer('payouts.pplns_window_seconds', { min: 1, unit: 'seconds of ledger time' }),
    pplnsWindowPoints: r.bigint('payouts.pplns_window_points', 'of points', 1n),
    minimumPayout: r.bigint('payouts.minimum_payout', 'of mojos'),
    maxAdditionsPerTransaction: r.integer('payouts.max_additions_per_transaction', { min: 1, max: 2_000, unit: 'outputs' }),
    intervalSeconds: r.integer('payouts.interval_seconds', { min: 1, unit: 'seconds' }),
    blockchainFeePerTransaction: r.bigint('payouts.blockchain_fee_per_transaction', 'of mojos'),
    poolFeePuzzleHash: r.puzzleHash('payouts.pool_fee_puzzle_hash', 'where the pool fee is paid'),
    paused: r.boolean('payouts.paused'),
    pauseFile: r.string('payouts.pause_file', { minLength: 1 }),
    maxAttempts: r.integer('payouts.max_attempts', { min: 1, max: 1_000 }),
    retryBackoffSeconds: r.integer('payouts.retry_backoff_seconds', { min: 0, unit: 'seconds' }),
    feeCapMojos: r.bigint('payouts.fee_cap_mojos', 'of mojos'),
    feeTargetSeconds: r.integer('payouts.fee_target_seconds', { min: 0, max: 86_400, unit: 'seconds' }),
    feeBumpAfterBlocks: r.integer('payouts.fee_bump_after_blocks', { min: 0, unit: 'blocks, 0 for never' }),
    configVersion: r.string('payouts.config_version', { minLength: 1 }),
  });
  return Object.keys(payouts).length === 0 ? {} : { payouts };
}
