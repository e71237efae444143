import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DATA_DIR_LOCK, lockDataDir } from './data-dir-lock';

/** The pid of a process that has already exited (so no process runs under it, barring reuse within the test). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('lockDataDir', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'data-dir-lock-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lets one holder in, refuses a second naming the first, and lets the next in once released', () => {
    const first = lockDataDir(dir, { host: '0.0.0.0', port: 8080 });
    expect(JSON.parse(readFileSync(join(dir, DATA_DIR_LOCK), 'utf8'))).toMatchObject({ pid: process.pid, hostname: hostname(), port: 8080 });
    expect(() => lockDataDir(dir, { host: '0.0.0.0', port: 8081 })).toThrow(
      new RegExp(`in use by another pool: pid ${process.pid} on .* \\(api 0\\.0\\.0\\.0:8080, started .*\\)\\. One pool per data directory`),
    );
    first.release();
    expect(existsSync(join(dir, DATA_DIR_LOCK))).toBe(false);
    const second = lockDataDir(dir, { host: '127.0.0.1', port: 8081 });
    expect(second.note).toBeUndefined();
    second.release();
    // Nothing left behind: no drafts, no stale copies.
    expect(readdirSync(dir)).toEqual([]);
  });

  it('takes over the lock of a holder that died without releasing it, with a note naming it', () => {
    const pid = deadPid();
    writeFileSync(join(dir, DATA_DIR_LOCK), JSON.stringify({ pid, hostname: hostname(), host: '0.0.0.0', port: 8080, startedAt: '2026-12-01T00:00:00.000Z', token: 'old' }));
    const lock = lockDataDir(dir, { host: '0.0.0.0', port: 8080 });
    expect(lock.note).toMatch(new RegExp(`took over the lock of pid ${pid} .*no longer running`));
    expect(JSON.parse(readFileSync(join(dir, DATA_DIR_LOCK), 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('never takes over a lock held on another host, nor one it cannot read', () => {
    writeFileSync(join(dir, DATA_DIR_LOCK), JSON.stringify({ pid: deadPid(), hostname: 'elsewhere.example', host: '0.0.0.0', port: 8080, startedAt: 'x', token: 't' }));
    expect(() => lockDataDir(dir, { host: '0.0.0.0', port: 8081 })).toThrow(/in use by another pool: pid \d+ on elsewhere\.example/);
    writeFileSync(join(dir, DATA_DIR_LOCK), 'garbage');
    expect(() => lockDataDir(dir, { host: '0.0.0.0', port: 8081 })).toThrow(/cannot be read; if no pool runs on this directory, delete that file/);
  });

  it('does not remove a lock that another process took over after this one was thought dead', () => {
    const lock = lockDataDir(dir, { host: '0.0.0.0', port: 8080 });
    writeFileSync(join(dir, DATA_DIR_LOCK), JSON.stringify({ pid: process.pid, hostname: hostname(), host: '0.0.0.0', port: 9090, startedAt: 'x', token: 'someone else' }));
    lock.release();
    expect(existsSync(join(dir, DATA_DIR_LOCK))).toBe(true);
  });
});
