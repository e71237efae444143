import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { DEFAULT_RECENT_FARMER_STATE_MS } from '@pool/api';
import { createServer } from 'node:net';

/** A TCP port free on loopback now (for a child process to listen on). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * GET `url` on a connection of its own (node:cluster hands each new connection to the next api process), parsed as
 * JSON; undefined when nothing answers within `timeoutMs` or the answer is not JSON.
 */
export function getJson(url: string, timeoutMs = 5000): Promise<unknown> {
  return new Promise((resolve) => {
    const req = get(url, { agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => {
        try {
          resolve(JSON.parse(body));
        } catch {
          resolve(undefined);
        }
      });
      res.on('error', () => resolve(undefined));
    });
    req.setTimeout(timeoutMs, () => req.destroy());
    req.on('error', () => resolve(undefined));
  });
}

/** Polls `check` until it holds; past `timeoutMs` throws naming `what`, with the tail of `output` (children's logs). */
export async function waitUntil(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number, output: () => string = () => ''): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}\n${output().slice(-4000)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * An api child process's clean stop: on SIGTERM, what it opened is closed in the order that lets each finish (the app
 * first, the store last), then it exits 0.
 */
export function exitApiOnSigterm(api: { app: { close(): unknown }; partialCrypto: { close(): unknown }; chain: { close(): unknown }; readModels: { close(): unknown }; store: { close(): unknown } }): void {
  process.once('SIGTERM', () => {
    void (async () => {
      for (const part of [api.app, api.partialCrypto, api.chain, api.readModels, api.store]) await part.close();
      process.exit(0);
    })();
  });
}

export interface DevnetPoolFile {
  /** Where the pool.yaml is written. */
  path: string;
  /** Seeds its secrets: a config naming a full node must have random-looking ones (secret-strength.ts). */
  label: string;
  port: number;
  processes: number;
  nodePort: number;
  chiaRoot: string;
  /** More YAML sections (storage, partials, chain, ...), line by line. */
  sections?: string[];
}

/** Writes a pool.yaml for processes of the pool reaching the devnet's node over its RPC; returns its target puzzle hash. */
export function writeDevnetPoolFile(file: DevnetPoolFile): { targetPuzzleHash: string } {
  const secret = (name: string): string => createHash('sha256').update(`${file.label}: ${name}`).digest('hex');
  const targetPuzzleHash = secret('target');
  const yaml = [
    'pool:',
    `  target_puzzle_hash: "0x${targetPuzzleHash}"`,
    `  jwt_secret_hex: "${secret('jwt')}"`,
    'server:',
    '  host: "127.0.0.1"',
    `  port: ${file.port}`,
    `  processes: ${file.processes}`,
    ...(file.sections ?? []),
    'chia:',
    `  root: "${file.chiaRoot}"`,
    '  full_node:',
    '    host: "127.0.0.1"',
    `    port: ${file.nodePort}`,
    '',
  ];
  writeFileSync(file.path, yaml.join('\n'));
  return { targetPuzzleHash };
}

/**
 * Waits out the api's window on farmer states: a change recorded by another runner (the worker's membership
 * tracker, another api process) reaches the api's partials within it (settlement reverts a partial accepted inside
 * it as left_pool).
 */
export function afterFarmerStateWindow(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, DEFAULT_RECENT_FARMER_STATE_MS + 100));
}
