import { randomUUID } from 'node:crypto';
import { closeSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';

/** The lock file a running pool keeps in its data directory. */
export const DATA_DIR_LOCK = 'pool.lock';

/** Who holds a data directory: written into the lock file, shown to whoever is refused. */
export interface DataDirHolder {
  pid: number;
  hostname: string;
  /** Where its api listens (what it was asked for: port 0 means "a free port"). */
  host: string;
  port: number;
  startedAt: string;
  /** Tells this holder's file from a later one that took a stale lock over. */
  token: string;
}

export interface DataDirLock {
  readonly file: string;
  readonly holder: DataDirHolder;
  /** Said once, for the log, when the lock was taken over from a holder that had died. */
  readonly note?: string;
  /** Removes the lock file if it is still this holder's. */
  release(): void;
}

/**
 * Takes the data directory for this process, before anything in it is opened or moved. Two pools on one
 * directory would write one ledger from two processes, and a devnet run moves the previous run's files aside:
 * a second instance must be refused while the first runs, with a message naming it.
 *
 * The lock file is created atomically (a link to a complete file, failing when the name exists, as O_EXCL does), so
 * of two processes starting at once exactly one gets it, and nobody reads a half-written holder. A lock
 * whose process is gone (killed, crashed: it could not remove its file) is taken over with a note; one held by a
 * process on another host (a shared file system) cannot be checked and is never taken over.
 */
export function lockDataDir(dataDir: string, about: { host: string; port: number }): DataDirLock {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, DATA_DIR_LOCK);
  const holder: DataDirHolder = { pid: process.pid, hostname: hostname(), host: about.host, port: about.port, startedAt: new Date().toISOString(), token: randomUUID() };
  let note: string | undefined;
  // A few rounds at most: each round either takes the lock, refuses, or removes one dead holder's file.
  for (let round = 0; round < 5; round++) {
    if (tryCreate(file, holder)) return lockOf(file, holder, note);
    const current = readHolder(file);
    if (current === 'missing') continue; // released between our attempt and our look: try again
    if (current === 'unreadable') {
      throw new Error(`${dir} is locked by ${file}, which cannot be read; if no pool runs on this directory, delete that file`);
    }
    if (isAlive(current)) throw new Error(refusal(dir, file, current));
    // Move exactly the dead holder's file out of the way: a rename is atomic, so of two processes taking over at
    // once only one moves it, and the one that finds a different holder in what it moved puts it back.
    const aside = `${file}.stale-${holder.token}`;
    try {
      renameSync(file, aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    const moved = readHolder(aside);
    if (moved !== 'missing' && moved !== 'unreadable' && moved.token !== current.token) {
      try {
        linkSync(aside, file);
      } catch {
        // Someone holds the directory now; they are the one to name on the next round.
      }
      unlinkSync(aside);
      continue;
    }
    unlinkSync(aside);
    note = `took over the lock of ${describeHolder(current)}, which is no longer running (it did not stop cleanly)`;
  }
  throw new Error(`${dir}: could not take ${file} (other processes keep changing it)`);
}

/**
 * Creates the lock file whole or not at all: the holder is written to a file of its own first, then linked to the
 * lock's name, which fails if that name exists (as O_EXCL would), so nobody ever reads a half-written holder.
 */
function tryCreate(file: string, holder: DataDirHolder): boolean {
  const draft = `${file}.${holder.token}`;
  const fd = openSync(draft, 'wx', 0o644);
  try {
    writeSync(fd, `${JSON.stringify(holder, null, 2)}\n`);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(draft, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(draft);
  }
}

function readHolder(file: string): DataDirHolder | 'missing' | 'unreadable' {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable';
  }
  try {
    const parsed = JSON.parse(text) as Partial<DataDirHolder>;
    if (typeof parsed.pid !== 'number' || typeof parsed.hostname !== 'string') return 'unreadable';
    return { host: '?', port: 0, startedAt: '?', token: '', ...parsed } as DataDirHolder;
  } catch {
    // Never written by lockDataDir (its files appear whole): not ours to judge, so a person decides.
    return 'unreadable';
  }
}

/** A holder on another host is assumed alive: its process cannot be seen from here. */
function isAlive(holder: DataDirHolder): boolean {
  if (holder.hostname !== hostname()) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

function describeHolder(holder: DataDirHolder): string {
  return `pid ${holder.pid} on ${holder.hostname} (api ${holder.host}:${holder.port}, started ${holder.startedAt})`;
}

function refusal(dir: string, file: string, holder: DataDirHolder): string {
  return (
    `${dir} is in use by another pool: ${describeHolder(holder)}. One pool per data directory: stop that one first, ` +
    `or give this one another data directory (--data-dir or POOL_DATA_DIR). The lock is ${file}.`
  );
}

function lockOf(file: string, holder: DataDirHolder, note: string | undefined): DataDirLock {
  let released = false;
  return {
    file,
    holder,
    ...(note === undefined ? {} : { note }),
    release(): void {
      if (released) return;
      released = true;
      const current = readHolder(file);
      // Never remove a file that is no longer ours (it was taken over after this process was thought dead).
      if (current !== 'missing' && current !== 'unreadable' && current.token === holder.token) unlinkSync(file);
    },
  };
}
