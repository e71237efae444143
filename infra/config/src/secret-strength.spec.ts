import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ConfigError } from './config-reader';
import { loadPoolConfig } from './pool-config';
import { secretWeakness } from './secret-strength';

const ROOT = join(__dirname, '..', '..', '..');
/** Deterministic stand-ins for `openssl rand -hex 32`: what a real secret or puzzle hash looks like. */
const randomHex = (label: string | number): string => createHash('sha256').update(`secret-strength spec: ${label}`).digest('hex');

describe('secrets that are secrets', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'pool-secrets-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const problemsOf = (env: NodeJS.ProcessEnv, path?: string): readonly string[] => {
    try {
      loadPoolConfig(env, path);
      return [];
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
  };
  const pool = (target: string, jwt: string, apiKey?: string): string =>
    `pool: { target_puzzle_hash: "${target}", jwt_secret_hex: "${jwt}" }\n` + (apiKey === undefined ? '' : `operator: { api_key: "${apiKey}" }\n`);

  it('refuses every placeholder the shipped examples hold, once a real node is configured', () => {
    const example = parse(readFileSync(join(ROOT, 'pool.example.yaml'), 'utf8')) as { pool: { target_puzzle_hash: string; jwt_secret_hex: string } };
    const envExample = readFileSync(join(ROOT, 'infra', 'deploy', '.env.example'), 'utf8');
    const exampleKey = /^POOL_OPERATOR_API_KEY=(.*)$/m.exec(envExample)?.[1];
    expect(exampleKey).toBeDefined();
    const copied = file('copied.yaml', `${pool(example.pool.target_puzzle_hash, example.pool.jwt_secret_hex, exampleKey)}chia: { full_node: { host: node.internal } }\n`);
    expect(problemsOf({}, copied)).toEqual([
      expect.stringMatching(/^pool\.target_puzzle_hash: is a placeholder from the shipped examples; .*pool wallet's puzzle hash$/),
      expect.stringMatching(/^pool\.jwt_secret_hex: is a placeholder from the shipped examples; .*openssl rand -hex 32/),
      expect.stringMatching(/^operator\.api_key: is a placeholder from the shipped examples/),
    ]);
    // The key from the environment is named as such.
    const real = file('real.yaml', `${pool(randomHex('target'), randomHex('jwt'))}chia: { full_node: { host: node.internal } }\n`);
    expect(problemsOf({ POOL_OPERATOR_API_KEY: exampleKey }, real)).toEqual([expect.stringMatching(/^POOL_OPERATOR_API_KEY: is a placeholder/)]);
    expect(problemsOf({ POOL_OPERATOR_API_KEY: randomHex('key') }, real)).toEqual([]);
  });

  it('refuses repeated pieces, few distinct bytes or characters, counting runs and short keys', () => {
    const weakHex = {
      zero: '00'.repeat(32),
      'one byte': 'ab'.repeat(32),
      'a repeated word': 'deadbeef'.repeat(8),
      'a repeated half': randomHex('half').slice(0, 32).repeat(2),
      'few bytes': '0102030405060708090a0b0c0d0e0f'.padEnd(64, '0f'),
      'a counting run': Array.from({ length: 32 }, (_, i) => i.toString(16).padStart(2, '0')).join(''),
    };
    for (const [what, value] of Object.entries(weakHex)) expect({ what, weakness: secretWeakness('hex', value) }).toEqual({ what, weakness: expect.any(String) });
    const weakKeys = ['short-butrandom', 'aaaaaaaaaaaaaaaaaaaa', 'hunter2hunter2hunter2', 'abcdefghijklmnopqrstuvwxyz', '0123456789abcdef0123', 'aabbccddeeffgghhiijj', 'change-me-to-a-long-random-string'];
    for (const key of weakKeys) expect({ key, weakness: secretWeakness('key', key) }).toEqual({ key, weakness: expect.any(String) });
    expect(secretWeakness('key', 'short-butrandom')).toBe('is shorter than 16 characters');
    expect(secretWeakness('hex', `0x${'22'.repeat(32)}`)).toBe('is a placeholder from the shipped examples');
    expect(secretWeakness('hex', '1234'.repeat(16))).toBe('repeats a piece of 2 bytes');
  });

  it('lets random secrets through: generated keys, puzzle hashes and JWT keys', () => {
    for (let i = 0; i < 500; i++) {
      const value = randomHex(i);
      expect({ i, hex: secretWeakness('hex', value), key: secretWeakness('key', value), base64: secretWeakness('key', Buffer.from(value, 'hex').toString('base64url').slice(0, 20)) }).toEqual({
        i,
        hex: undefined,
        key: undefined,
        base64: undefined,
      });
    }
    expect(secretWeakness('key', 'operator-key-for-tests-0123456789')).toBeUndefined();
  });

  it('names every weak secret at start-up with a real node, and leaves the devnet alone', () => {
    const weak = file('weak.yaml', pool(`0x${'ab'.repeat(32)}`, Array.from({ length: 32 }, (_, i) => (i * 3).toString(16).padStart(2, '0')).join(''), 'x'.repeat(24)));
    expect(problemsOf({ POOL_FULL_NODE_HOST: 'node.internal' }, weak)).toEqual([
      "pool.target_puzzle_hash: repeats a piece of 1 byte; with a full node configured it must be the pool wallet's puzzle hash",
      expect.stringMatching(/^pool\.jwt_secret_hex: is a regular run \(only 1 distinct steps/),
      expect.stringMatching(/^operator\.api_key: repeats a piece of 1 character/),
    ]);
    // The devnet (no full node) keeps its fixed, documented values: nothing there is worth stealing.
    expect(problemsOf({}, weak)).toEqual([]);
    expect(problemsOf({ POOL_OPERATOR_API_KEY: 'k'.repeat(20) })).toEqual([]);
  });
});
