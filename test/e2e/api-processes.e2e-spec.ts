import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DevnetChain, ensureDevnetChiaRoot, ManualClock, startFullNodeRpcServer, type RunningRpcServer } from '@pool/devnet';
import { freePort, getJson, waitUntil as until, writeDevnetPoolFile } from '@pool/testing';

const MAIN = join(__dirname, '..', '..', 'apps', 'api', 'src', 'main.ts');
const REGISTER = join(__dirname, 'support-payouts', 'register-typescript.js');

/**
 * The api as production runs it, `apps/api/src/main.ts` with server.processes: 2 against a node over its RPC (the
 * devnet's): two processes serve one port; one killed with SIGKILL is started again while the other keeps
 * answering; SIGTERM to the primary stops them all.
 */
describe('the api as several processes on one port', () => {
  let dir: string;
  let node: RunningRpcServer;
  let primary: ChildProcess | undefined;
  let output = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pool-api-processes-'));
    const chiaRoot = join(dir, 'chia');
    ensureDevnetChiaRoot(chiaRoot);
    node = await startFullNodeRpcServer(new DevnetChain({ clock: new ManualClock(), networkBlockEverySignagePoints: 0 }), { chiaRoot });
  });

  afterAll(async () => {
    primary?.kill('SIGKILL');
    for (const pid of primary?.pid === undefined ? [] : childrenOf(primary.pid)) process.kill(pid, 'SIGKILL');
    await node?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves from two processes, replaces one that dies, and stops them all on SIGTERM', async () => {
    const port = await freePort();
    const config = join(dir, 'pool.yaml');
    const { targetPuzzleHash: target } = writeDevnetPoolFile({
      path: config,
      label: 'api processes e2e',
      port,
      processes: 2,
      nodePort: node.port,
      chiaRoot: join(dir, 'chia'),
      sections: ['storage:', `  data_dir: "${join(dir, 'data')}"`],
    });
    primary = spawn(process.execPath, ['-r', REGISTER, MAIN], { env: { ...process.env, POOL_CONFIG_FILE: config, POOL_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
    primary.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    primary.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => primary!.once('exit', (code) => resolve(code)));
    const pid = primary.pid!;

    await until('both api processes listen', async () => /all 2 processes listening/.test(output) && (await poolInfo(port)) !== undefined, 120_000, () => output);
    expect(childrenOf(pid)).toHaveLength(2);
    const [first, second] = childrenOf(pid);
    const answers = await Promise.all(Array.from({ length: 8 }, () => poolInfo(port)));
    expect(answers.every((info) => info?.target_puzzle_hash === `0x${target}`)).toBe(true);

    process.kill(first!, 'SIGKILL');
    // The pool goes on answering (a connection handed to the dead process before the primary noticed is lost: a
    // client gives up on it and tries again).
    await until('the pool answers again', async () => (await poolInfo(port, 1000))?.target_puzzle_hash === `0x${target}`, 15_000, () => output);
    await until('a new process replaces the killed one', async () => {
      const now = childrenOf(pid);
      return now.length === 2 && !now.includes(first!) && now.includes(second!);
    }, 120_000, () => `${output}\nchildren: ${childrenOf(pid).join(', ')} (killed ${first}, kept ${second})`);
    await until('the new process answers too', async () => (await Promise.all(Array.from({ length: 4 }, () => poolInfo(port)))).every((info) => info !== undefined), 60_000);
    expect(output).toMatch(/exited \(SIGKILL\): starting another/);

    primary.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(childrenOf(pid)).toEqual([]);
    primary = undefined;
  }, 300_000);
});

/** The live child processes of `pid` (Linux: ps). */
function childrenOf(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((line) => Number(line.trim()))
      .filter((n) => n > 0);
  } catch {
    return []; // ps exits 1 when there are none
  }
}

/** GET /pool_info; undefined when nothing answers. */
async function poolInfo(port: number, timeoutMs?: number): Promise<{ target_puzzle_hash: string } | undefined> {
  return (await getJson(`http://127.0.0.1:${port}/pool_info`, timeoutMs)) as { target_puzzle_hash: string } | undefined;
}
