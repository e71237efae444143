import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesToHex, loadBls, ProofOfSpaceSchema, type PostPartialRequest } from '@pool/chia';
import { DevnetChain, DEVNET_NETWORK, ensureDevnetChiaRoot, ManualClock, PlotCache, posConstantsFor, SimulatedFarmer, startFullNodeRpcServer, type RunningRpcServer } from '@pool/devnet';
import { partialStream } from '@pool/domain';
import { openEventStore } from '@pool/event-store';
import { type EventStore } from '@pool/event-sourcing';
import { API_PROCESSES_JOB_VARIABLE, type ApiProcessesJob } from '../support/api-processes.child';
import { describeWithPostgres, dropSchema, freePort, getJson, runPoolctl, testSchema, waitUntil as until, writeDevnetPoolFile } from '@pool/testing';

const REGISTER = join(__dirname, 'support-payouts', 'register-typescript.js');
const API_PROCESSES = join(__dirname, '..', 'support', 'api-processes.child.ts');
const WORKER_MAIN = join(__dirname, '..', '..', 'apps', 'worker', 'src', 'main.ts');
/** Signage points the farmers send partials for; the lease holder is killed halfway. */
const ROUNDS = 24;

type Outcome = 'accepted' | `refused ${number}` | 'lost';

/**
 * The pool as several machines run it, on PostgreSQL: the api as two processes on one port (the supervisor of
 * `apps/api/src/main.ts`, in test/support/api-processes.child.ts with the devnet's consensus constants) and two
 * workers (`apps/worker/src/main.ts` itself) contending for the pool-loops lease, all
 * on one ledger and one read-model database, reaching the devnet's node over its RPC. Farmers send every partial
 * twice at once; halfway through, the worker that holds the lease is killed with SIGKILL. The other takes the loops
 * over and settles the rest: every partial answered "accepted" is in the ledger once, submitted once and confirmed
 * once, nothing else is, and `poolctl audit` passes.
 */
describeWithPostgres('several processes on PostgreSQL: the lease holder killed under load', (pgUrl) => {
  const withSchema = (schema: string): string => `${pgUrl}${pgUrl.includes('?') ? '&' : '?'}schema=${schema}`;
  const eventsSchema = testSchema('failover_es');
  const viewsSchema = testSchema('failover_rm');
  const eventStoreUrl = withSchema(eventsSchema);
  const clock = new ManualClock(Date.now());
  const chain = new DevnetChain({ clock, networkBlockEverySignagePoints: 0 });
  /** The processes judge by the wall clock: the chain is kept ahead of it, so no partial is late however slow the machine. */
  const keepChainAhead = (): void => chain.advance(Math.max(0, Date.now() - clock.now()));
  const processes: ChildProcess[] = [];
  let dir: string;
  let node: RunningRpcServer;
  let output = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pool-failover-'));
    ensureDevnetChiaRoot(join(dir, 'chia'));
    node = await startFullNodeRpcServer(chain, { chiaRoot: join(dir, 'chia') });
  });

  afterAll(async () => {
    for (const child of processes) child.kill('SIGKILL');
    await node?.close();
    await dropSchema(pgUrl, eventsSchema);
    await dropSchema(pgUrl, viewsSchema);
    rmSync(dir, { recursive: true, force: true });
  });

  function start(script: string, env: Record<string, string>): ChildProcess {
    const child = spawn(process.execPath, ['-r', REGISTER, script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    processes.push(child);
    return child;
  }

  it('loses and doubles no partial when the worker holding the lease dies, and the audit passes', async () => {
    const apiPort = await freePort();
    const workerPorts = [await freePort(), await freePort()];
    const config = join(dir, 'pool.yaml');
    writeDevnetPoolFile({
      path: config,
      label: 'failover e2e',
      port: apiPort,
      processes: 2,
      nodePort: node.port,
      chiaRoot: join(dir, 'chia'),
      sections: [
        'storage:',
        `  event_store_url: "${eventStoreUrl}"`,
        `  read_models_url: "${withSchema(viewsSchema)}"`,
        'partials:',
        '  confirmation_delay_seconds: 0',
        'chain:',
        '  confirmation_security_threshold: 4',
      ],
    });
    const common = { POOL_CONFIG_FILE: config, POOL_LOG_LEVEL: 'warn', POOL_RATE_LIMITS: 'off', POOL_LOOPS_LEASE_TTL_MS: '3000' };
    start(API_PROCESSES, { ...common, [API_PROCESSES_JOB_VARIABLE]: JSON.stringify({ processes: 2, port: apiPort, nodePort: node.port, chiaRoot: join(dir, 'chia'), configFile: config } satisfies ApiProcessesJob) });
    const workers = workerPorts.map((port) => start(WORKER_MAIN, { ...common, POOL_WORKER_PORT: String(port) }));
    const poolUrl = `http://127.0.0.1:${apiPort}`;
    await until('the api answers', async () => (await getJson(`${poolUrl}/pool_info`)) !== undefined, 180_000, () => output);
    await until('one worker holds the lease', async () => (await leaseHolders(workerPorts)).length === 1, 180_000, () => output);

    const bls = await loadBls();
    const constants = posConstantsFor(DEVNET_NETWORK);
    const plots = new PlotCache();
    const farmers = [0, 1, 2].map(
      (i) => new SimulatedFarmer({ bls, seed: createHash('sha256').update(`failover e2e: farmer ${i}`).digest(), chain, constants, plots, plotK: 18, poolUrl, now: () => Date.now() / 1000 }),
    );
    keepChainAhead();
    for (const farmer of farmers) await farmer.joinPool();
    chain.farmBlocks(6);
    for (const farmer of farmers) expect(await farmer.register()).toEqual({ welcome_message: expect.any(String) });

    const sent = new Map<string, Outcome[]>();
    let killed: number | undefined;
    for (let round = 0; round < ROUNDS; round++) {
      if (round === ROUNDS / 2) {
        const [holder] = await leaseHolders(workerPorts);
        killed = holder;
        workers[holder!]!.kill('SIGKILL');
      }
      keepChainAhead();
      chain.advanceSignagePoints(1);
      const batch = farmers.flatMap((farmer) => farmer.partialsFor(chain.latestSignagePoint(), chain.peakHeight() + 1).map((request) => ({ farmer, request })));
      // Each partial twice at once, as a farmer retrying over a second connection: the api processes race for it.
      await Promise.all(
        batch.flatMap(({ farmer, request }) => {
          const outcomes = sent.get(proofHash(request)) ?? [];
          sent.set(proofHash(request), outcomes);
          return [0, 1].map(async () => outcomes.push(await send(farmer, request)));
        }),
      );
      if (round % 4 === 3) chain.farmBlocks(1);
    }
    expect(killed).toBeDefined();
    await until('the other worker holds the lease', async () => (await leaseHolders(workerPorts)).includes(1 - killed!), 60_000, () => output);

    const accepted = [...sent].filter(([, outcomes]) => outcomes.includes('accepted')).map(([hash]) => hash);
    const tally = [...sent.values()].flat().reduce<Record<string, number>>((all, o) => ({ ...all, [o]: (all[o] ?? 0) + 1 }), {});
    if (accepted.length <= ROUNDS / 2) throw new Error(`only ${accepted.length} partials accepted: ${JSON.stringify(tally)}\n${output.slice(-3000)}`);
    for (const outcomes of sent.values()) expect(outcomes.filter((o) => o === 'accepted').length).toBeLessThanOrEqual(1);

    const store = await openEventStore(eventStoreUrl, { readOnly: true });
    try {
      // The surviving worker settles everything, the partials of before the kill included.
      await until(
        'every accepted partial is confirmed',
        async () => {
          chain.farmBlocks(1);
          const streams = await Promise.all(accepted.map((hash) => partialTypes(store, hash)));
          return streams.every((types) => types.includes('PartialConfirmed'));
        },
        120_000,
        () => output,
      );
      for (const hash of accepted) expect(await partialTypes(store, hash)).toEqual(['PartialSubmitted', 'PartialConfirmed']);
      for (const [hash, outcomes] of sent) if (!outcomes.includes('accepted')) expect(await partialTypes(store, hash)).toEqual([]);
      const recorded = (await allEvents(store)).filter((e) => e.type === 'PartialSubmitted').length;
      expect(recorded).toBe(accepted.length);
    } finally {
      await store.close();
    }

    const audit = await runPoolctl(['audit', '--store', eventStoreUrl]);
    expect(audit.lines.join('\n')).toMatch(/audit passed/);
    expect(audit.exitCode).toBe(0);
  }, 600_000);
});


const proofHash = (request: PostPartialRequest): string => bytesToHex(ProofOfSpaceSchema.hash(request.payload.proofOfSpace));

async function send(farmer: SimulatedFarmer, request: PostPartialRequest): Promise<Outcome> {
  try {
    const answer = await farmer.submit(request);
    return typeof answer.error_code === 'number' ? `refused ${answer.error_code}` : 'accepted';
  } catch {
    return 'lost';
  }
}

async function partialTypes(store: EventStore, proofHashHex: string): Promise<string[]> {
  try {
    return (await store.readStream(partialStream(proofHashHex))).map((e) => e.type);
  } catch {
    return []; // no such stream
  }
}

async function allEvents(store: EventStore): Promise<{ type: string }[]> {
  const events: Awaited<ReturnType<EventStore['readAll']>> = [];
  for (;;) {
    const page = await store.readAll({ ...(events.length > 0 ? { after: events[events.length - 1]!.position } : {}), maxCount: 5000 });
    events.push(...page);
    if (page.length < 5000) return events;
  }
}

/** Which workers (by index) say they hold the pool-loops lease. */
async function leaseHolders(ports: number[]): Promise<number[]> {
  const health = await Promise.all(ports.map((port) => getJson(`http://127.0.0.1:${port}/health`)));
  return health.flatMap((answer, i) => ((answer as { leaseHeld?: boolean } | undefined)?.leaseHeld === true ? [i] : []));
}
