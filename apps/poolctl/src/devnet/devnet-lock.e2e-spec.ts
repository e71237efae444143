import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DATA_DIR_LOCK } from '../start/data-dir-lock';
import { DEVNET_DEFAULTS } from '../commands/devnet.command';
import { PREVIOUS_RUNS } from './devnet-data-dir';
import { runDevnet, type DevnetRunOptions } from './devnet-run';

/**
 * One pool per data directory: a second `npm start` on another port used to move the running pool's ledger aside
 * (while the first kept writing into the moved files) and then name the wrong ledger when it stopped. It is now
 * refused before it touches anything, with a message naming the running one; a lock left by a run that was
 * killed is taken over with a note.
 */
describe('poolctl devnet run: one pool per data directory', () => {
  let dir: string;
  const lines: string[] = [];
  const options = (log: (line: string) => void): DevnetRunOptions => ({ ...DEVNET_DEFAULTS, farmers: 1, dataDir: dir, port: 0, host: '127.0.0.1', log });
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'devnet-lock-e2e-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a second run while the first runs, naming it, and moves nothing', async () => {
    const stop = new AbortController();
    let started!: () => void;
    const up = new Promise<void>((resolve) => (started = resolve));
    const first = runDevnet(
      options((line) => {
        lines.push(line);
        if (line.startsWith('devnet: pool api on')) started();
      }),
      stop.signal,
    );
    const guard = setTimeout(() => stop.abort(), 60_000);
    try {
      await Promise.race([up, first]);
      expect(existsSync(join(dir, 'events.db'))).toBe(true);
      // Bounded, so that without the lock this second run ends on its own instead of running on.
      const second = runDevnet({ ...options((line) => lines.push(`second: ${line}`)), durationSeconds: 2 }, new AbortController().signal);
      await expect(second).rejects.toThrow(new RegExp(`${dir.replace(/[.]/g, '\\.')} is in use by another pool: pid ${process.pid} on ${hostname()} \\(api 127\\.0\\.0\\.1:0, started `));
      // The running pool's ledger stays where it writes it.
      expect(existsSync(join(dir, PREVIOUS_RUNS))).toBe(false);
      expect(existsSync(join(dir, 'events.db'))).toBe(true);
    } finally {
      stop.abort();
      clearTimeout(guard);
      await first;
    }
    expect(existsSync(join(dir, DATA_DIR_LOCK))).toBe(false);
  }, 90_000);

  it('takes over the lock of a run that was killed, saying so', async () => {
    const dead = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
    writeFileSync(join(dir, DATA_DIR_LOCK), JSON.stringify({ pid: dead, hostname: hostname(), host: '0.0.0.0', port: 8080, startedAt: '2026-12-01T00:00:00.000Z', token: 'killed' }));
    const seen: string[] = [];
    await runDevnet({ ...options((line) => void seen.push(line)), durationSeconds: 1 }, new AbortController().signal);
    lines.push(...seen);
    expect(seen).toContainEqual(expect.stringMatching(new RegExp(`^devnet: took over the lock of pid ${dead} on .* \\(api 0\\.0\\.0\\.0:8080, .*\\), which is no longer running`)));
    expect(existsSync(join(dir, DATA_DIR_LOCK))).toBe(false);
    expect(readFileSync(join(dir, 'events.db')).length).toBeGreaterThan(0);
  }, 60_000);
});
