import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesToHex, loadBls, ProofOfSpaceSchema, type BlsBackend, type PostPartialRequest } from '@pool/chia';
import { DevnetChain, DEVNET_NETWORK, ensureDevnetChiaRoot, ManualClock, PlotCache, posConstantsFor, SimulatedFarmer, startFullNodeRpcServer, type RunningRpcServer } from '@pool/devnet';
import { SqliteEventStore } from '@pool/event-store';
import { type EventStore, type RecordedEvent } from '@pool/event-sourcing';
import { buildProgram } from '@pool/poolctl';
import { freePort } from '../support';

const CHILD = join(__dirname, 'support-sigkill', 'pool-api.child.ts');
const REGISTER = join(__dirname, 'support-payouts', 'register-typescript.js');

/** Partials accepted before the kill is pulled: enough that the ledger has a history to lose. */
const ACCEPTED_BEFORE_KILL = 20;
/** Each partial is sent this many times at once, as a farmer retrying over several connections would. */
const COPIES = 3;
/** In the burst that is killed: enough copies that most are still queued in the api when the first answer is back. */
const COPIES_WHEN_KILLED = 12;

type Outcome = { kind: 'accepted' } | { kind: 'refused'; code: number } | { kind: 'lost'; error: string };

/**
 * SIGKILL at load: the pool api (createApiServer over a SQLite ledger, reaching the devnet node over its RPC) runs
 * in a child process while farmers send it partials, each several times at once; in the middle of a burst the
 * process is killed with SIGKILL (no shutdown hooks, requests in flight), then started again on the same data
 * folder, and the farmers resend what they never got an answer to. Every partial answered "accepted" before the
 * kill is in the ledger exactly once, no partial is there twice, the pool accepts partials again, and
 * `poolctl audit` passes on the ledger.
 */
describe('SIGKILL at load: the ledger loses and doubles no partial', () => {
  let dir: string;
  let dataDir: string;
  let chiaRoot: string;
  let node: RunningRpcServer;
  let bls: BlsBackend;
  let port: number;
  const clock = new ManualClock();
  const chain = new DevnetChain({ clock, networkBlockEverySignagePoints: 0 });
  const constants = posConstantsFor(DEVNET_NETWORK);
  const targetPuzzleHash = createHash('sha256').update('sigkill e2e: pool target').digest('hex');
  const now = (): number => clock.now() / 1000;
  let child: PoolProcess | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pool-sigkill-'));
    dataDir = join(dir, 'data');
    mkdirSync(dataDir);
    chiaRoot = join(dir, 'chia');
    ensureDevnetChiaRoot(chiaRoot);
    node = await startFullNodeRpcServer(chain, { chiaRoot });
    bls = await loadBls();
    port = await freePort();
  });

  afterAll(async () => {
    child?.process.kill('SIGKILL');
    await node?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The api child on the data folder, listening on `port` (the same across restarts: the plot NFTs name it). */
  interface PoolProcess {
    process: ChildProcess;
    url: string;
    exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
    setNow(seconds: number): Promise<void>;
    stderr(): string;
  }

  async function startPool(): Promise<PoolProcess> {
    const config = { dataDir, chiaRoot, nodePort: node.port, port, targetPuzzleHash, now: now() };
    const proc = spawn(process.execPath, ['-r', REGISTER, CHILD], { env: { ...process.env, POOL_CHILD_CONFIG: JSON.stringify(config) }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    let stderr = '';
    proc.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    proc.stdout!.resume();
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
    const url = await new Promise<string>((resolve, reject) => {
      proc.on('message', (message: { ready?: string }) => message.ready && resolve(message.ready));
      void exited.then(({ code, signal }) => reject(new Error(`the pool child exited (${code ?? signal}) before listening:\n${stderr}`)));
    });
    const setNow = (seconds: number): Promise<void> =>
      new Promise((resolve) => {
        const echo = (message: { now?: number }): void => {
          if (message.now === seconds) {
            proc.off('message', echo);
            resolve();
          }
        };
        proc.on('message', echo);
        proc.send({ now: seconds });
      });
    return { process: proc, url, exited, setNow, stderr: () => stderr };
  }

  const proofHash = (request: PostPartialRequest): string => bytesToHex(ProofOfSpaceSchema.hash(request.payload.proofOfSpace));

  async function send(farmer: SimulatedFarmer, request: PostPartialRequest): Promise<Outcome> {
    try {
      const answer = await farmer.submit(request);
      return typeof answer.error_code === 'number' ? { kind: 'refused', code: answer.error_code } : { kind: 'accepted' };
    } catch (error) {
      return { kind: 'lost', error: (error as Error).message };
    }
  }

  it('keeps every accepted partial exactly once across a SIGKILL mid-burst, and the audit passes', async () => {
    child = await startPool();
    const farmers = [0, 1, 2].map(
      (i) => new SimulatedFarmer({ bls, seed: createHash('sha256').update(`sigkill e2e: farmer ${i}`).digest(), chain, constants, plots: new PlotCache(), plotK: 18, poolUrl: child!.url, now }),
    );
    for (const farmer of farmers) await farmer.joinPool();
    chain.farmBlocks(6);
    await child.setNow(now());
    for (const farmer of farmers) expect(await farmer.register()).toEqual({ welcome_message: expect.any(String) });

    /** Every partial sent, by proof hash, with the answers it got (one per copy). */
    const sent = new Map<string, { farmer: SimulatedFarmer; request: PostPartialRequest; outcomes: Outcome[] }>();
    const accepted = (): number => [...sent.values()].filter((p) => p.outcomes.some((o) => o.kind === 'accepted')).length;

    /** One burst: the next signage point's partials of every farmer, each sent `copies` times at once. */
    async function burst(pool: PoolProcess, copies = COPIES, onFirstAnswer?: () => void): Promise<void> {
      let batch: { farmer: SimulatedFarmer; request: PostPartialRequest }[] = [];
      for (let sp = 0; batch.length === 0 && sp < 200; sp++) {
        chain.advanceSignagePoints(1);
        batch = farmers.flatMap((farmer) => farmer.partialsFor(chain.latestSignagePoint(), chain.peakHeight() + 1).map((request) => ({ farmer, request })));
      }
      expect(batch.length).toBeGreaterThan(0);
      await pool.setNow(now());
      let answered = false;
      await Promise.all(
        batch.flatMap(({ farmer, request }) => {
          const entry = sent.get(proofHash(request)) ?? { farmer, request, outcomes: [] };
          sent.set(proofHash(request), entry);
          return Array.from({ length: copies }, async () => {
            const outcome = await send(farmer, request);
            entry.outcomes.push(outcome);
            if (!answered && outcome.kind !== 'lost') {
              answered = true;
              onFirstAnswer?.();
            }
          });
        }),
      );
    }

    while (accepted() < ACCEPTED_BEFORE_KILL) await burst(child);
    const acceptedBeforeBurst = accepted();

    // The kill: as soon as the first answer of a burst is back, with the rest of the burst in flight.
    const killed = child;
    await burst(killed, COPIES_WHEN_KILLED, () => killed.process.kill('SIGKILL'));
    expect(await killed.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const acceptedBeforeKill = new Set([...sent].filter(([, p]) => p.outcomes.some((o) => o.kind === 'accepted')).map(([hash]) => hash));
    const lost = [...sent.values()].filter((p) => p.outcomes.some((o) => o.kind === 'lost'));
    // The kill did land mid-burst: some copies never got an answer.
    expect(lost.length).toBeGreaterThan(0);
    expect(acceptedBeforeKill.size).toBeGreaterThanOrEqual(acceptedBeforeBurst);

    // Restart on the same folder and port; the farmers resend what they got no answer to, then farm on.
    child = await startPool();
    for (const farmer of farmers) farmer.pointAt(child.url);
    for (const p of lost) p.outcomes.push(await send(p.farmer, p.request));
    for (const p of lost) expect(p.outcomes[p.outcomes.length - 1]!.kind).not.toBe('lost');
    const acceptedAfterRestart = accepted();
    while (accepted() < acceptedAfterRestart + 5) await burst(child);
    child.process.kill('SIGTERM');
    expect(await child.exited).toEqual({ code: 0, signal: null });
    child = undefined;
    for (const farmer of farmers) farmer.close();

    const store = new SqliteEventStore({ path: join(dataDir, 'events.db') });
    try {
      const recorded = new Map<string, number>();
      for (const event of await readAllEvents(store)) {
        if (event.type !== 'PartialSubmitted') continue;
        const hash = (event.data as { proofHash: string }).proofHash;
        recorded.set(hash, (recorded.get(hash) ?? 0) + 1);
      }
      // Every partial answered "accepted" before the kill is there exactly once; none is there twice.
      for (const hash of acceptedBeforeKill) expect({ hash, times: recorded.get(hash) ?? 0 }).toEqual({ hash, times: 1 });
      expect([...recorded].filter(([, times]) => times !== 1)).toEqual([]);
      // Everything recorded was sent, and everything answered "accepted" (before or after the restart) was recorded.
      for (const hash of recorded.keys()) expect(sent.has(hash)).toBe(true);
      for (const [hash, p] of sent) if (p.outcomes.some((o) => o.kind === 'accepted')) expect(recorded.has(hash)).toBe(true);
    } finally {
      await store.close();
    }

    const lines: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((line: unknown) => void lines.push(String(line)));
    const previous = process.exitCode;
    process.exitCode = 0;
    try {
      await buildProgram().parseAsync(['node', 'poolctl', 'audit', '--store', `sqlite:${join(dataDir, 'events.db')}`]);
      expect(lines[lines.length - 1]).toMatch(/^audit passed: /);
      expect(process.exitCode).toBe(0);
    } finally {
      process.exitCode = previous;
      log.mockRestore();
    }
  });
});

/** The whole ledger, page by page. */
async function readAllEvents(store: EventStore): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for (let page = await store.readAll({ maxCount: 1000 }); ; page = await store.readAll({ after: page[page.length - 1]!.position, maxCount: 1000 })) {
    events.push(...page);
    if (page.length < 1000) return events;
  }
}
