import { readFileSync, unwatchFile, watchFile, type Stats } from 'node:fs';
import { createSecureContext } from 'node:tls';
import type { TlsFiles } from '@pool/config';

/** A certificate chain and its private key, PEM, as `https.createServer` and `setSecureContext` take them. */
export interface TlsPair {
  cert: string;
  key: string;
}

/**
 * Reads both files and proves they make a usable pair before anything serves them: OpenSSL refuses a key that does
 * not match the certificate, a truncated PEM or an empty file here, with its own message.
 */
export function readTlsPair(files: TlsFiles): TlsPair {
  const pair = { cert: readFileSync(files.certFile, 'utf8'), key: readFileSync(files.keyFile, 'utf8') };
  createSecureContext(pair);
  return pair;
}

export interface TlsRenewalOptions {
  files: TlsFiles;
  /** Installs a pair that has been read and checked (the https server's `setSecureContext`). */
  install(pair: TlsPair): void;
  log(line: string): void;
  warn(line: string): void;
  /** How often the files' stats are compared. A renewal is due weeks ahead, so seconds are plenty. */
  checkEveryMs?: number;
  /**
   * How long after the last change the pair is read: certbot writes the certificate and the key one after the
   * other, and reading between the two would find a certificate without its key.
   */
  settleMs?: number;
}

const DEFAULT_CHECK_EVERY_MS = 10_000;
const DEFAULT_SETTLE_MS = 2_000;

/**
 * Follows the certificate files on disk so a renewal is served without a restart. `fs.watchFile` polls `stat`,
 * which follows symbolic links: certbot's `live/` links swapped to a new `archive/` file change the stat just as
 * a file rewritten in place does (an inotify watch would stay on the old inode). A pair that does not load (half
 * written, a key of another certificate) is not installed: the old one keeps serving, and one warning says why
 * until a later change loads.
 */
export class TlsRenewal {
  private settleTimer?: NodeJS.Timeout;
  private warned = false;
  private stopped = false;
  private readonly listener = (current: Stats, previous: Stats): void => {
    if (current.mtimeMs === previous.mtimeMs && current.ino === previous.ino && current.size === previous.size) return;
    clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(() => this.reload(), this.options.settleMs ?? DEFAULT_SETTLE_MS).unref();
  };

  constructor(private readonly options: TlsRenewalOptions) {
    const interval = options.checkEveryMs ?? DEFAULT_CHECK_EVERY_MS;
    // Unreferenced: following the files must never keep a stopping process alive.
    for (const file of this.paths()) watchFile(file, { interval, persistent: false }, this.listener);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.settleTimer);
    for (const file of this.paths()) unwatchFile(file, this.listener);
  }

  private paths(): string[] {
    return [this.options.files.certFile, this.options.files.keyFile];
  }

  private reload(): void {
    if (this.stopped) return;
    let pair: TlsPair;
    try {
      pair = readTlsPair(this.options.files);
    } catch (error) {
      if (!this.warned) {
        this.warned = true;
        this.options.warn(
          `the TLS certificate files changed but do not load (${(error as Error).message}); still serving the previous certificate until ${this.options.files.certFile} and ${this.options.files.keyFile} make a pair`,
        );
      }
      return;
    }
    this.options.install(pair);
    this.warned = false;
    this.options.log(`TLS certificate reloaded from ${this.options.files.certFile}`);
  }
}
