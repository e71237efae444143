import { X509Certificate, createPrivateKey } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createCertificateAuthority, issueServiceCertificate, type PemPair } from './certificate-authority';

/**
 * The TLS half of a devnet CHIA_ROOT: Chia's private CA and the private certificates of the services a pool
 * talks to, at the paths `chia init` uses (and `@pool/chia`'s chiaRootTlsPaths reads):
 *
 *   config/ssl/ca/private_ca.crt|key
 *   config/ssl/<service>/private_<service>.crt|key    for daemon, full_node and wallet
 *
 * Chia's public CA and public_* certificates (for peer-to-peer connections) are not made: RPC never uses them.
 */

export const DEVNET_TLS_SERVICES = ['daemon', 'full_node', 'wallet'] as const;
export type DevnetTlsService = (typeof DEVNET_TLS_SERVICES)[number];

export interface PemFilePaths {
  cert: string;
  key: string;
}

export interface DevnetChiaRootTls {
  /** Absolute CHIA_ROOT. */
  chiaRoot: string;
  ca: PemFilePaths;
  services: Record<DevnetTlsService, PemFilePaths>;
  /** Files written by this call (absolute paths); empty when everything was already there. */
  written: string[];
}

export function devnetCaPaths(chiaRoot: string): PemFilePaths {
  const dir = join(resolve(chiaRoot), 'config', 'ssl', 'ca');
  return { cert: join(dir, 'private_ca.crt'), key: join(dir, 'private_ca.key') };
}

export function devnetServicePaths(chiaRoot: string, service: DevnetTlsService): PemFilePaths {
  const dir = join(resolve(chiaRoot), 'config', 'ssl', service);
  return { cert: join(dir, `private_${service}.crt`), key: join(dir, `private_${service}.key`) };
}

/**
 * Makes sure `chiaRoot` holds a private CA and a certificate for every service, creating only what is
 * missing. An existing CA is kept and signs any missing service pair. A CA that is incomplete (one of its
 * two files missing) or a service pair that no longer matches it is replaced, since certificates that do not
 * chain to the CA would be refused by every service. Safe to call from several processes at once: the work
 * happens under a lock directory, and each file appears whole (written aside, then renamed).
 */
export function ensureDevnetChiaRoot(chiaRoot: string): DevnetChiaRootTls {
  const root = resolve(chiaRoot);
  const ssl = join(root, 'config', 'ssl');
  mkdirSync(ssl, { recursive: true });
  const written: string[] = [];
  withLockDirectory(join(ssl, '.devnet-tls-lock'), () => {
    const caPaths = devnetCaPaths(root);
    let authority = readPair(caPaths);
    if (authority === null || !keyMatches(authority)) {
      authority = createCertificateAuthority();
      writePair(caPaths, authority, written);
    }
    for (const service of DEVNET_TLS_SERVICES) {
      const paths = devnetServicePaths(root, service);
      const existing = readPair(paths);
      if (existing !== null && isIssuedBy(existing, authority)) continue;
      writePair(paths, issueServiceCertificate(authority), written);
    }
  });
  const services = Object.fromEntries(DEVNET_TLS_SERVICES.map((s) => [s, devnetServicePaths(root, s)]));
  return {
    chiaRoot: root,
    ca: devnetCaPaths(root),
    services: services as Record<DevnetTlsService, PemFilePaths>,
    written,
  };
}

function readPair(paths: PemFilePaths): PemPair | null {
  if (!existsSync(paths.cert) || !existsSync(paths.key)) return null;
  return { cert: readFileSync(paths.cert, 'utf8'), key: readFileSync(paths.key, 'utf8') };
}

/** The certificate is signed by the CA and belongs with its key (so a half-replaced pair is caught too). */
function isIssuedBy(pair: PemPair, authority: PemPair): boolean {
  try {
    const cert = new X509Certificate(pair.cert);
    const ca = new X509Certificate(authority.cert);
    return cert.checkIssued(ca) && cert.verify(ca.publicKey) && cert.checkPrivateKey(createPrivateKey(pair.key));
  } catch {
    return false;
  }
}

function keyMatches(pair: PemPair): boolean {
  try {
    return new X509Certificate(pair.cert).checkPrivateKey(createPrivateKey(pair.key));
  } catch {
    return false;
  }
}

function writePair(paths: PemFilePaths, pair: PemPair, written: string[]): void {
  // The key first: a cert without its key is worse than a key without its cert (readPair wants both).
  writeAtomically(paths.key, pair.key, 0o600);
  writeAtomically(paths.cert, pair.cert, 0o644);
  written.push(paths.key, paths.cert);
}

function writeAtomically(path: string, content: string, mode: number): void {
  mkdirSync(join(path, '..'), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, content, { mode });
  // The mode given to writeFileSync is filtered by the umask; Chia checks key permissions, so set them exactly.
  chmodSync(temporary, mode);
  renameSync(temporary, path);
}

/** A lock older than this is taken to belong to a process that died while holding it. */
const STALE_LOCK_MS = 60_000;
const LOCK_POLL_MS = 50;

/**
 * Runs `work` while holding `lockDir` (mkdir is atomic, so only one process gets it). Synchronous on purpose:
 * callers set up a root before starting servers, and key generation itself is synchronous.
 */
function withLockDirectory(lockDir: string, work: () => void): void {
  const deadline = Date.now() + 2 * STALE_LOCK_MS;
  for (;;) {
    try {
      mkdirSync(lockDir);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (lockAgeMs(lockDir) > STALE_LOCK_MS) {
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`Timed out waiting for the devnet TLS lock ${lockDir}`);
      sleepSync(LOCK_POLL_MS);
    }
  }
  try {
    work();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

function lockAgeMs(lockDir: string): number {
  try {
    return Date.now() - statSync(lockDir).mtimeMs;
  } catch {
    return 0; // released meanwhile: try again at once
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
