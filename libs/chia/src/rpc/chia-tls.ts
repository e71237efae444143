import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

/** PEM material for a mutual-TLS connection to a Chia service. */
export interface ChiaTlsMaterial {
  /** Chia's private CA: the only issuer trusted for the service's certificate. */
  ca: string | Buffer;
  /** Client certificate and key, signed by the same private CA (the service rejects anything else). */
  cert: string | Buffer;
  key: string | Buffer;
}

export interface ChiaTlsPaths {
  caCert: string;
  clientCert: string;
  clientKey: string;
}

export type ChiaRpcService = 'full_node' | 'wallet';

/**
 * Which certificate of the CHIA_ROOT the client presents. The service accepts any certificate signed by the
 * private CA, so both work:
 * - `daemon` (`config/ssl/daemon/private_daemon.crt|key`): what Chia's own Python RpcClient and chia-agent use
 *   (`daemon_ssl` in config.yaml); the default.
 * - `service` (`config/ssl/full_node/private_full_node.crt|key`, `config/ssl/wallet/private_wallet.crt|key`):
 *   the service's own pair, for roots where only that one was copied.
 */
export type ChiaClientIdentity = 'daemon' | 'service';

export interface ChiaRootTlsOptions {
  service: ChiaRpcService;
  /** Defaults to `$CHIA_ROOT`, then `~/.chia/mainnet` (Chia's own default). */
  chiaRoot?: string;
  clientIdentity?: ChiaClientIdentity;
  /** Overrides for any single path; relative paths are taken from the CHIA_ROOT, as config.yaml does. */
  paths?: Partial<ChiaTlsPaths>;
}

export const DEFAULT_RPC_PORTS: Readonly<Record<ChiaRpcService, number>> = { full_node: 8555, wallet: 9256 };

export function defaultChiaRoot(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.CHIA_ROOT;
  if (configured !== undefined && configured !== '') return resolve(expandHome(configured));
  return join(homedir(), '.chia', 'mainnet');
}

/** The certificate paths of Chia's default layout under `<CHIA_ROOT>/config/ssl/`. */
export function chiaRootTlsPaths(options: ChiaRootTlsOptions): ChiaTlsPaths {
  const root = options.chiaRoot !== undefined ? resolve(expandHome(options.chiaRoot)) : defaultChiaRoot();
  const ssl = join('config', 'ssl');
  const owner = (options.clientIdentity ?? 'daemon') === 'daemon' ? 'daemon' : options.service;
  const defaults: ChiaTlsPaths = {
    caCert: join(ssl, 'ca', 'private_ca.crt'),
    clientCert: join(ssl, owner, `private_${owner}.crt`),
    clientKey: join(ssl, owner, `private_${owner}.key`),
  };
  const chosen = { ...defaults, ...definedOnly(options.paths ?? {}) };
  return {
    caCert: fromRoot(root, chosen.caCert),
    clientCert: fromRoot(root, chosen.clientCert),
    clientKey: fromRoot(root, chosen.clientKey),
  };
}

/** Reads the three PEM files, naming the missing one instead of a bare ENOENT. */
export function loadTlsMaterial(paths: ChiaTlsPaths): ChiaTlsMaterial {
  return {
    ca: readPem(paths.caCert, 'private CA certificate'),
    cert: readPem(paths.clientCert, 'client certificate'),
    key: readPem(paths.clientKey, 'client private key'),
  };
}

function readPem(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Cannot read the ${what} for Chia RPC at ${path}: ${reason}`, { cause: error });
  }
}

function fromRoot(root: string, path: string): string {
  const expanded = expandHome(path);
  return isAbsolute(expanded) ? expanded : join(root, expanded);
}

function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? join(homedir(), path.slice(1)) : path;
}

function definedOnly(paths: Partial<ChiaTlsPaths>): Partial<ChiaTlsPaths> {
  return Object.fromEntries(Object.entries(paths).filter(([, value]) => value !== undefined));
}
