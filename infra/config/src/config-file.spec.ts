import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { readFileSync } from 'node:fs';
import { hexToBytes, puzzleHashToAddress } from '@pool/chia';
import { ConfigError } from './config-reader';
import { knownConfigKeys, parseConfigText } from './config-file';
import { loadPoolConfig } from './pool-config';
import { DEFAULT_POOL_SETTINGS } from './pool-settings';

const EXAMPLE = join(__dirname, '..', '..', '..', 'pool.example.yaml');
/** Stands for a real secret or puzzle hash: random-looking, so the secret-strength rule lets it through. */
const randomHex = (label: string): string => createHash('sha256').update(`config-file spec: ${label}`).digest('hex');

function problemsOf(text: string): readonly string[] {
  try {
    parseConfigText(text);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('pool.yaml', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'pool-config-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('pool.example.yaml documents every key the loader reads, and loads cleanly', () => {
    const document = parseDocument(readFileSync(EXAMPLE, 'utf8'));
    const missing = knownConfigKeys().filter((key) => !document.hasIn(key.split('.')));
    expect(missing).toEqual([]);
    // The example names a real node, so its placeholder secrets are refused as shipped (secret-strength.spec.ts);
    // with them replaced it loads cleanly.
    expect(() => loadPoolConfig({}, EXAMPLE)).toThrow(/pool\.target_puzzle_hash: is a placeholder[\s\S]*pool\.jwt_secret_hex: is a placeholder/);
    const config = loadPoolConfig({}, write('example-filled.yaml', readFileSync(EXAMPLE, 'utf8').replace('1'.repeat(64), randomHex('target')).replace('2'.repeat(64), randomHex('jwt'))));
    expect(config.chia.fullNode).toEqual({ host: 'localhost', port: 8555 });
    expect(config.settings.payouts.minimumPayout).toBe(1_000_000_000n);
    expect(config.settings.payouts.pplnsWindowPoints).toBeNull(); // empty key keeps the default
    expect(config.settings.relativeLockHeight).toBe(100);
    expect(config.operatorApiKey).toBeUndefined();
  });

  it('maps every section onto the config, exactly for big integers', () => {
    const path = write(
      'full.yaml',
      [
        'pool: { name: "Big pool", fee_basis_points: 250, target_puzzle_hash: "0x' + randomHex('target').toUpperCase() + '", jwt_secret_hex: "' + randomHex('jwt') + '" }',
        'difficulty: { minimum: 18446744073709551615, default: 18446744073709551615 }',
        'payouts: { scheme: pplns, pplns_window_points: "123456789012345678901234567890", minimum_payout: 1_000_000_000_000, pause_file: /tmp/p }',
        'storage: { event_store_url: "postgres://pool@db/ledger", read_models_url: "postgres://pool@db/views?schema=rm" }',
        'server: { port: 9000, host: 127.0.0.1 }',
        'chia: { full_node: { host: node.internal }, wallet: { host: wallet.internal, port: 9257, fingerprint: 3000000001 }, root: /srv/chia }',
        'operator: { api_key: "' + randomHex('key') + '" }',
        'logging: { level: debug }',
      ].join('\n'),
    );
    const config = loadPoolConfig({}, path);
    expect(config).toMatchObject({
      port: 9000,
      host: '127.0.0.1',
      eventStoreUrl: 'postgres://pool@db/ledger',
      readModelsUrl: 'postgres://pool@db/views?schema=rm',
      logLevel: 'debug',
      operatorApiKey: randomHex('key'),
      chia: { fullNode: { host: 'node.internal' }, wallet: { host: 'wallet.internal', port: 9257 }, chiaRoot: '/srv/chia', walletFingerprint: 3_000_000_001 },
      source: path,
    });
    expect(config.settings.name).toBe('Big pool');
    expect(config.settings.feeBasisPoints).toBe(250);
    expect(config.settings.targetPuzzleHash).toBe(randomHex('target'));
    expect(config.settings.minimumDifficulty).toBe(2n ** 64n - 1n);
    expect(config.settings.payouts).toMatchObject({
      scheme: 'pplns',
      pplnsWindowPoints: 123456789012345678901234567890n,
      minimumPayout: 1_000_000_000_000n,
      pauseFile: '/tmp/p',
      maxAdditionsPerTransaction: DEFAULT_POOL_SETTINGS.payouts.maxAdditionsPerTransaction,
    });
    // The node and wallet the file names are the ones openChiaNode (infra/runtime) connects to.
    expect(config.chia).toEqual({ fullNode: { host: 'node.internal' }, wallet: { host: 'wallet.internal', port: 9257 }, chiaRoot: '/srv/chia', walletFingerprint: 3_000_000_001 });
    // Keys the file leaves out keep their defaults.
    expect(config.settings.partialTimeLimit).toBe(DEFAULT_POOL_SETTINGS.partialTimeLimit);
  });

  it('takes an address (xch1 / txch1) wherever it takes a puzzle hash, and keeps its network for the start-up check', () => {
    const target = randomHex('address target');
    const fee = randomHex('address fee');
    const text = `pool: { target_puzzle_hash: ${puzzleHashToAddress(hexToBytes(target), 'xch')} }\npayouts: { pool_fee_puzzle_hash: "${puzzleHashToAddress(hexToBytes(fee), 'xch')}" }`;
    const overrides = parseConfigText(text);
    expect(overrides.settings.targetPuzzleHash).toBe(target);
    expect(overrides.settings.payouts?.poolFeePuzzleHash).toBe(fee);
    expect(overrides.addresses).toEqual([
      { key: 'pool.target_puzzle_hash', prefix: 'xch' },
      { key: 'payouts.pool_fee_puzzle_hash', prefix: 'xch' },
    ]);
    // Hex stays hex, and is not an address to check.
    expect(parseConfigText(`pool: { target_puzzle_hash: "0x${target}" }`).addresses).toBeUndefined();
    const path = write('address.yaml', text);
    expect(loadPoolConfig({}, path).addresses).toEqual(overrides.addresses);
  });

  it('refuses a broken address and addresses of two networks, naming the keys', () => {
    const address = puzzleHashToAddress(hexToBytes(randomHex('broken')), 'txch');
    const broken = `${address.slice(0, -1)}${address.endsWith('q') ? 'p' : 'q'}`;
    expect(problemsOf(`pool: { target_puzzle_hash: ${broken} }`)).toEqual([expect.stringMatching(/^pool\.target_puzzle_hash: .*is not a valid bech32m address/)]);
    expect(problemsOf('pool: { target_puzzle_hash: "nothex" }')).toEqual(['pool.target_puzzle_hash: must be 32 bytes of hex or an address, xch1... or txch1... (the pool wallet\'s puzzle hash that plot NFTs pay rewards to)']);
    expect(problemsOf(`pool: { target_puzzle_hash: ${address} }\npayouts: { pool_fee_puzzle_hash: ${puzzleHashToAddress(hexToBytes(randomHex('fee')), 'xch')} }`)).toEqual([
      'payouts.pool_fee_puzzle_hash: a "xch" address, but pool.target_puzzle_hash is a "txch" address: every address must be of the network the pool runs on',
    ]);
  });

  it('reads the wallet key (chia.wallet.fingerprint, POOL_WALLET_FINGERPRINT over it), required with a real node and wallet', () => {
    const path = write('wallet.yaml', 'chia: { wallet: { fingerprint: 42 } }');
    expect(loadPoolConfig({}, path).chia.walletFingerprint).toBe(42);
    expect(loadPoolConfig({ POOL_WALLET_FINGERPRINT: '4294967295' }, path).chia.walletFingerprint).toBe(4_294_967_295);
    expect(problemsOf('chia: { wallet: { fingerprint: 4294967296 } }')).toEqual([expect.stringMatching(/^chia\.wallet\.fingerprint: must be an integer between 0 and 4294967295/)]);
    const real = { POOL_FULL_NODE_HOST: 'node', POOL_WALLET_HOST: 'wallet' };
    const missing = (() => {
      try {
        loadPoolConfig(real);
      } catch (error) {
        return (error as ConfigError).problems;
      }
      return [];
    })();
    expect(missing).toContainEqual(expect.stringMatching(/^chia\.wallet\.fingerprint: required with a wallet configured/));
  });

  it('names the key of every bad value, all at once', () => {
    const problems = problemsOf(
      [
        'payouts:',
        '  minimum_payout: -5',
        '  scheme: weekly',
        '  max_additions_per_transaction: 1.5',
        'pool:',
        '  fee_basis_points: 10001',
        '  target_puzzle_hash: "0x1234"',
        'server: { port: 70000 }',
        'logging: { level: loud }',
        'operator: { api_key: short }',
        'difficulty: { minimum: 10, default: 5 }',
        'chain: { safe_reorg_depth: 10, follower_window: 10 }',
      ].join('\n'),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        'payouts.minimum_payout: must be a non-negative integer of mojos',
        'payouts.scheme: must be one of prop, pplns',
        expect.stringMatching(/^payouts\.max_additions_per_transaction: must be an integer between 1 and 2000/),
        expect.stringMatching(/^pool\.fee_basis_points: must be an integer between 0 and 10000/),
        expect.stringMatching(/^pool\.target_puzzle_hash: must be 32 bytes of hex/),
        'server.port: must be an integer between 0 and 65535',
        'logging.level: must be one of fatal, error, warn, info, debug, trace',
        'operator.api_key: must be at least 16 characters',
        'difficulty.default: must not be below difficulty.minimum',
        'chain.follower_window: must be larger than chain.safe_reorg_depth',
      ]),
    );
    expect(problems).toHaveLength(10);
  });

  it('refuses misspelt keys and sections that are not mappings', () => {
    expect(problemsOf('payouts:\n  minimum_payot: 5\nserver: 8080\n')).toEqual(['server: must be a mapping of keys', 'payouts.minimum_payot: unknown key']);
    expect(problemsOf('colour: blue')).toEqual(['colour: unknown key']);
  });

  it('reports YAML syntax errors with the line, and names the file', () => {
    const path = write('broken.yaml', 'pool:\n  name: "unterminated\n');
    expect(() => loadPoolConfig({}, path)).toThrow(ConfigError);
    expect(() => loadPoolConfig({}, path)).toThrow(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: invalid pool configuration:\\n  YAML line`));
    expect(() => loadPoolConfig({}, join(dir, 'absent.yaml'))).toThrow(/cannot read the config file/);
  });

  it('lets the environment override the file', () => {
    const path = write('env.yaml', 'server: { port: 9000 }\nstorage: { data_dir: /srv/pool }\nlogging: { level: warn }\nchia: { full_node: { host: a, port: 1 } }\npool: { target_puzzle_hash: "' + randomHex('target') + '", jwt_secret_hex: "' + randomHex('jwt') + '" }\n');
    const fromFile = loadPoolConfig({}, path);
    expect(fromFile).toMatchObject({ port: 9000, eventStoreUrl: 'sqlite:/srv/pool/events.db', logLevel: 'warn' });
    const overridden = loadPoolConfig({ PORT: '9100', POOL_LOG_LEVEL: 'error', POOL_FULL_NODE_HOST: 'b', POOL_OPERATOR_API_KEY: randomHex('key') }, path);
    expect(overridden).toMatchObject({ port: 9100, logLevel: 'error', chia: { fullNode: { host: 'b', port: 1 } }, operatorApiKey: randomHex('key') });
    expect(loadPoolConfig({ POOL_SAFE_REORG_DEPTH: '9' }, path).settings.safeReorgDepth).toBe(9);
    expect(() => loadPoolConfig({ PORT: 'eighty' }, path)).toThrow(/PORT: must be an integer between 0 and 65535, got "eighty"/);
    expect(() => loadPoolConfig({ POOL_LOG_LEVEL: 'loud' })).toThrow(/POOL_LOG_LEVEL: must be one of/);
  });

  it('refuses the devnet placeholders once a real full node is configured', () => {
    expect(() => loadPoolConfig({ POOL_FULL_NODE_HOST: 'node' })).toThrow(
      /pool\.target_puzzle_hash: is a placeholder .*; with a full node configured it must be the pool wallet's puzzle hash\n {2}pool\.jwt_secret_hex: is a placeholder/,
    );
    const defaults = loadPoolConfig({});
    expect(defaults).toMatchObject({ port: 8080, eventStoreUrl: 'sqlite:./data/events.db', logLevel: 'info', chia: {} });
    expect(defaults.operatorApiKey).toBeUndefined();
  });

  it('reads the TLS files (relative to the file), trust_proxy and rate limits, with the environment over the file', () => {
    const path = write(
      'tls.yaml',
      ['server: { tls_cert_file: certs/fullchain.pem, tls_key_file: /etc/tls/privkey.pem, trust_proxy: "10.0.0.2, 172.16.0.0/12" }', 'rate_limits: { per_launcher_per_minute: 60 }'].join('\n'),
    );
    const config = loadPoolConfig({}, path);
    expect(config.tls).toEqual({ certFile: join(dir, 'certs/fullchain.pem'), keyFile: '/etc/tls/privkey.pem' });
    expect(config.trustProxy).toEqual(['10.0.0.2', '172.16.0.0/12']);
    expect(config.rateLimits).toEqual({ enabled: true, perAddressPerMinute: 1200, perLauncherPerMinute: 60 });

    const fromEnv = loadPoolConfig({ POOL_TLS_CERT_FILE: '/a/cert.pem', POOL_TLS_KEY_FILE: '/a/key.pem', POOL_TRUST_PROXY: 'true', POOL_RATE_LIMITS: 'off' }, path);
    expect(fromEnv.tls).toEqual({ certFile: '/a/cert.pem', keyFile: '/a/key.pem' });
    expect(fromEnv.trustProxy).toBe(true);
    expect(fromEnv.rateLimits.enabled).toBe(false);

    const defaults = loadPoolConfig({});
    expect(defaults.tls).toBeUndefined();
    expect(defaults.trustProxy).toBe(false);
    expect(defaults.rateLimits.enabled).toBe(true);
  });

  it('reads the connection limits, the environment over the file, and keeps the header limit within the request limit', () => {
    const path = write('connections.yaml', 'server: { request_timeout_seconds: 60, max_connections: 2000, max_connections_per_address: 0 }');
    expect(loadPoolConfig({}).connections).toEqual({ headersTimeoutSeconds: 20, requestTimeoutSeconds: 30, keepAliveTimeoutSeconds: 75, maxConnections: 8192, maxConnectionsPerAddress: 256 });
    expect(loadPoolConfig({}, path).connections).toEqual({ headersTimeoutSeconds: 20, requestTimeoutSeconds: 60, keepAliveTimeoutSeconds: 75, maxConnections: 2000, maxConnectionsPerAddress: 0 });
    expect(loadPoolConfig({ POOL_HEADERS_TIMEOUT_SECONDS: '5', POOL_KEEP_ALIVE_TIMEOUT_SECONDS: '10', POOL_MAX_CONNECTIONS: '500', POOL_MAX_CONNECTIONS_PER_ADDRESS: '50' }, path).connections).toEqual({
      headersTimeoutSeconds: 5,
      requestTimeoutSeconds: 60,
      keepAliveTimeoutSeconds: 10,
      maxConnections: 500,
      maxConnectionsPerAddress: 50,
    });
    expect(() => loadPoolConfig({ POOL_REQUEST_TIMEOUT_SECONDS: '10' })).toThrow(/server\.headers_timeout_seconds: must not exceed server\.request_timeout_seconds \(20 > 10\)/);
    expect(() => loadPoolConfig({ POOL_MAX_CONNECTIONS: '0' })).toThrow(/POOL_MAX_CONNECTIONS: must be an integer between 1 and 1000000/);
    expect(problemsOf('server: { headers_timeout_seconds: 0 }')).toEqual([expect.stringMatching(/^server\.headers_timeout_seconds: must be an integer between 1 and 3600/)]);
  });

  it('refuses half a TLS pair, a bad proxy list and a bad rate-limit switch', () => {
    expect(problemsOf('server: { tls_cert_file: cert.pem, trust_proxy: "proxy.internal" }')).toEqual([
      expect.stringMatching(/^server\.tls_cert_file, server\.tls_key_file: set both/),
      expect.stringMatching(/^server\.trust_proxy: must be true, false or proxy addresses .*"proxy\.internal"/),
    ]);
    expect(problemsOf('rate_limits: { per_address_per_minute: 0 }')).toEqual([expect.stringMatching(/^rate_limits\.per_address_per_minute: must be an integer >= 1/)]);
    expect(() => loadPoolConfig({ POOL_TLS_KEY_FILE: 'key.pem', POOL_RATE_LIMITS: 'maybe' })).toThrow(/POOL_TLS_CERT_FILE, POOL_TLS_KEY_FILE: set both[\s\S]*POOL_RATE_LIMITS: must be on or off/);
  });

  it('reads the explorer links of the dashboard: a mainnet coin explorer by default, none on request, and a URL must hold its placeholder', () => {
    expect(DEFAULT_POOL_SETTINGS.explorerCoinUrl).toBe('https://www.spacescan.io/coin/0x{coin}');
    expect(DEFAULT_POOL_SETTINGS.explorerTransactionUrl).toBeNull();
    expect(parseConfigText('dashboard:\n  explorer_coin_url: none\n  explorer_transaction_url: "https://tx.example/t/{transaction}"\n').settings).toMatchObject({
      explorerCoinUrl: null,
      explorerTransactionUrl: 'https://tx.example/t/{transaction}',
    });
    expect(parseConfigText('dashboard:\n  explorer_coin_url:\n').settings.explorerCoinUrl).toBeUndefined();
    expect(problemsOf('dashboard:\n  explorer_coin_url: "https://x.example/coin/"\n')).toEqual(['dashboard.explorer_coin_url: must hold {coin} where the id goes']);
    expect(problemsOf('dashboard:\n  explorer_transaction_url: "javascript:alert(1)/{transaction}"\n')[0]).toMatch(/^dashboard\.explorer_transaction_url: /);
  });
});
