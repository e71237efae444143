import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Session, type Profiler } from 'node:inspector';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { FullNodeRpcClient, loadBls, PostPartialRequestLegacySchema, stringifyChiaJson, type BlsBackend } from '@pool/chia';
import { loadPoolConfig } from '@pool/config';
import {
  DevnetChain,
  DEVNET_NETWORK,
  ensureDevnetChiaRoot,
  ManualClock,
  PlotCache,
  posConstantsFor,
  SimulatedFarmer,
  startFullNodeRpcServer,
  type SimulatedFarmerOptions,
} from '@pool/devnet';
import { openEventStore } from '@pool/event-store';
import { type EventStore } from '@pool/event-sourcing';
import { ReadModelDatabase } from '@pool/read-models';
import { createApiServer } from '@pool/api';
import { WorkerPoolPartialVerifier } from '@pool/api';
import { postgresBenchAdapter, sqliteBenchAdapter, type BenchAdapter } from './bench-adapters';

/**
 * `node dist/test/bench/partials.bench.js` (after `npm run build`): POST /partial throughput and latency of the api
 * over HTTP, with BENCH_PARTIALS (default 20,000) valid partials pre-generated from BENCH_FARMERS (default 100)
 * devnet farmers, each with a plot NFT and a k=18 plot (plotted once, then read from the PlotCache), posted by a
 * load generator on its own thread with BENCH_CONNECTIONS (default 200) keep-alive connections in flight, on
 * loopback only. Runs on SQLite, then on PostgreSQL in a throwaway schema when POOL_TEST_PG_URL (or the local
 * default) answers. The api's clock is pinned at the time the partials were made, so none of them grows stale
 * while the run lasts; the chain behind the api is the devnet's, reached over its mutual-TLS RPC.
 * BENCH_PROFILE=<folder> also samples the api's main thread while the partials are posted, writes the
 * .cpuprofile there and prints self and inclusive time per function.
 */
const PARTIALS = Number(process.env.BENCH_PARTIALS ?? 20_000);
const FARMERS = Number(process.env.BENCH_FARMERS ?? 100);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 200);
/** A folder: the api's main thread is CPU-profiled while the partials are posted, and a summary printed. */
const PROFILE_DIR = process.env.BENCH_PROFILE;
const PLOT_K = 18;

interface LoadReport {
  latenciesMs: number[];
  accepted: number;
  outcomes: Record<string, number>;
  wallMs: number;
  /** CPU time of the load generator's own thread. */
  cpuMs?: number;
}

interface CallTimes {
  /** Until the returned promise settled (includes waiting for I/O and for the event loop). */
  ms: number;
  /** Until the method returned its promise: the work done synchronously on the calling thread. */
  syncMs: number;
  calls: number;
}

const newCallTimes = (): CallTimes => ({ ms: 0, syncMs: 0, calls: 0 });

/** Times every call of `method` on `target`, for the profile. */
function timeCalls<T extends object>(target: T, method: keyof T & string, into: CallTimes): void {
  const original = (target[method] as (...args: unknown[]) => Promise<unknown>).bind(target);
  (target as Record<string, unknown>)[method] = async (...args: unknown[]) => {
    const start = performance.now();
    const pending = original(...args);
    into.syncMs += performance.now() - start;
    try {
      return await pending;
    } finally {
      into.ms += performance.now() - start;
      into.calls += 1;
    }
  };
}

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });


/**
 * CPU time of the api's main thread or of the calling thread (Linux: /proc), in ms. Unlike event-loop utilisation it does not grow when
 * the machine is busy with other work, so runs under different loads compare.
 */
const clockTicks = ((): number => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();
function threadCpuMs(thread: 'main' | 'this'): number | undefined {
  try {
    const stat = readFileSync(thread === 'main' ? `/proc/self/task/${process.pid}/stat` : '/proc/thread-self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
  } catch {
    return undefined;
  }
}

/** Samples the main thread with the inspector's CPU profiler (what `node --cpu-prof` does) around `work`. */
async function profiled<T>(name: string, work: () => Promise<T>): Promise<{ result: T; summary: string[] }> {
  if (PROFILE_DIR === undefined) return { result: await work(), summary: [] };
  const session = new Session();
  session.connect();
  const post = <R>(method: string, params?: object): Promise<R> =>
    new Promise((resolve, reject) => session.post(method, params ?? {}, (error, answer) => (error ? reject(error) : resolve(answer as R))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 500 });
  await post('Profiler.start');
  try {
    const result = await work();
    const { profile } = await post<{ profile: Profiler.Profile }>('Profiler.stop');
    mkdirSync(PROFILE_DIR, { recursive: true });
    const file = join(PROFILE_DIR, `partials-${name}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    return { result, summary: [`${name}: main-thread profile in ${file}`, ...summarizeProfile(profile).map((line) => `${name}: ${line}`)] };
  } finally {
    session.disconnect();
  }
}

/** Self and inclusive ms per function (a function counted once per sample however deep it recurses). */
function summarizeProfile(profile: Profiler.Profile, top = 25): string[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const where = (node: Profiler.ProfileNode): string => {
    const url = node.callFrame.url.replace(/^file:\/\//, '').replace(/.*\/(dist|node_modules)\//, '$1/');
    return `${node.callFrame.functionName || '(anonymous)'} ${url}:${node.callFrame.lineNumber + 1}`;
  };
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let total = 0;
  for (let i = 0; i < samples.length; i++) {
    const ms = (deltas[i + 1] ?? 0) / 1000;
    total += ms;
    const leaf = byId.get(samples[i]!)!;
    self.set(where(leaf), (self.get(where(leaf)) ?? 0) + ms);
    const seen = new Set<string>();
    for (let id: number | undefined = samples[i]; id !== undefined; id = parent.get(id)) {
      const key = where(byId.get(id)!);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + ms);
    }
  }
  const list = (m: Map<string, number>): string[] =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([key, ms]) => `${fmt(ms).padStart(7)} ms ${fmt((100 * ms) / total, 1).padStart(5)}%  ${key}`);
  return [`sampled ${fmt(total)} ms; self time:`, ...list(self), 'inclusive time:', ...list(inclusive)];
}

/** The devnet, its RPC server and the farmers, shared by every adapter's run. */
class Scenario {
  readonly constants = posConstantsFor(DEVNET_NETWORK);
  readonly clock = new ManualClock();
  readonly chain = new DevnetChain({ clock: this.clock, networkBlockEverySignagePoints: 0 });
  readonly dir = mkdtempSync(join(tmpdir(), 'pool-bench-partials-chain-'));
  /** Seconds; undefined follows the chain's clock, a number pins the api's and the farmers' clock. */
  pinnedAt: number | undefined;
  readonly now = (): number => this.pinnedAt ?? this.clock.now() / 1000;
  /** Fixed, so the plot NFTs (and so the plot ids) come out the same on every run and the plot cache hits. */
  readonly poolTarget = createHash('sha256').update('partials bench pool').digest('hex');
  farmers: { farmer: SimulatedFarmer; options: SimulatedFarmerOptions }[] = [];
  bodies: string[] = [];
  node?: Awaited<ReturnType<typeof startFullNodeRpcServer>>;

  constructor(readonly bls: BlsBackend) {}

  async startNode(): Promise<void> {
    ensureDevnetChiaRoot(join(this.dir, 'chia'));
    this.node = await startFullNodeRpcServer(this.chain, { chiaRoot: join(this.dir, 'chia') });
  }

  rpcClient(): FullNodeRpcClient {
    return FullNodeRpcClient.fromChiaRoot({ host: '127.0.0.1', port: this.node!.port, tls: { chiaRoot: join(this.dir, 'chia') } });
  }

  async joinFarmers(poolUrl: string): Promise<void> {
    const plots = new PlotCache();
    const started = performance.now();
    for (let i = 0; i < FARMERS; i++) {
      const seed = createHash('sha256').update(`partials bench farmer ${i}`).digest();
      const options: SimulatedFarmerOptions = { bls: this.bls, seed, chain: this.chain, constants: this.constants, plots, plotK: PLOT_K, poolUrl, now: this.now };
      const farmer = new SimulatedFarmer(options);
      await farmer.joinPool();
      this.farmers.push({ farmer, options });
      if ((i + 1) % 10 === 0) console.log(`  ${i + 1}/${FARMERS} farmers joined (${fmt((performance.now() - started) / 1000, 1)} s)`);
    }
    this.chain.farmBlocks(6);
    console.log(`  plot cache: ${JSON.stringify(plots.stats)}`);
  }

  async registerFarmers(poolUrl: string): Promise<void> {
    for (const { farmer, options } of this.farmers) {
      // SimulatedFarmer keeps its options object: pointing it at this run's api is enough.
      (options as { poolUrl: string }).poolUrl = poolUrl;
      const answer = await farmer.register();
      if (answer.error_code !== undefined) throw new Error(`registration refused: ${JSON.stringify(answer)}`);
    }
  }

  /** Walks signage points, collecting every farmer's partials as request bodies, until there are PARTIALS. */
  generatePartials(): void {
    const started = performance.now();
    for (let sp = 0; this.bodies.length < PARTIALS; sp++) {
      if (sp > 15_000) throw new Error(`only ${this.bodies.length} partials after ${sp} signage points`);
      this.chain.advanceSignagePoints(1);
      const entry = this.chain.latestSignagePoint();
      const height = this.chain.peakHeight() + 1;
      for (const { farmer } of this.farmers) {
        for (const partial of farmer.partialsFor(entry, height)) this.bodies.push(stringifyChiaJson(PostPartialRequestLegacySchema.toJson(partial)));
      }
    }
    this.bodies.length = PARTIALS;
    console.log(`  ${fmt(PARTIALS)} partials generated in ${fmt((performance.now() - started) / 1000, 1)} s`);
  }
}

async function runAdapter(scenario: Scenario, adapter: BenchAdapter, join: boolean): Promise<string[]> {
  const store: EventStore = await openEventStore(adapter.eventStoreUrl);
  const readModels = await ReadModelDatabase.open(adapter.readModelsUrl);
  const chainClient = scenario.rpcClient();
  const crypto = new WorkerPoolPartialVerifier();
  let app: NestFastifyApplication | undefined;
  try {
    const appends = newCallTimes();
    const reads = newCallTimes();
    const lookups = newCallTimes();
    timeCalls(store, 'append', appends);
    timeCalls(store, 'readStream', reads);
    timeCalls(chainClient, 'getRecentSignagePointOrEos', lookups);
    const base = loadPoolConfig({});
    const config = { ...base, settings: { ...base.settings, targetPuzzleHash: scenario.poolTarget, confirmationSecurityThreshold: 4 } };
    app = await createApiServer(
      { config, store, readModels, chain: chainClient, bls: scenario.bls, constants: scenario.constants, clock: scenario.now, partialCrypto: crypto },
      ['error'],
    );
    await app.listen(0, '127.0.0.1');
    const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    if (join) {
      await scenario.joinFarmers(url);
      scenario.pinnedAt = scenario.clock.now() / 1000;
      await scenario.registerFarmers(url);
      scenario.generatePartials();
    } else {
      await scenario.registerFarmers(url);
    }
    await crypto.warmUp();

    for (const counter of [appends, reads, lookups]) Object.assign(counter, newCallTimes());
    const cryptoBefore = crypto.stats();
    const eluBefore = performance.eventLoopUtilization();
    const cpuBefore = process.cpuUsage();
    console.log(`  ${adapter.name}: posting ${fmt(scenario.bodies.length)} partials over ${CONNECTIONS} connections...`);
    const threadBefore = threadCpuMs('main');
    const { result: load, summary: profileLines } = await profiled(adapter.name, () => postFromWorker(url, scenario.bodies));
    const threadAfter = threadCpuMs('main');
    const elu = performance.eventLoopUtilization(eluBefore);
    const cpu = process.cpuUsage(cpuBefore);
    const cryptoAfter = crypto.stats();

    const sorted = [...load.latenciesMs].sort((a, b) => a - b);
    const accepted = Math.max(1, load.accepted);
    const perPartial = (ms: number): string => fmt(ms / accepted, 3);
    const mainThreadMs = elu.active;
    const lines = [
      `${adapter.name}: ${fmt(load.accepted)} of ${fmt(scenario.bodies.length)} accepted in ${fmt(load.wallMs / 1000, 2)} s = ${fmt((load.accepted * 1000) / load.wallMs)} accepted partials/s; ` +
        `latency p50 ${fmt(percentile(sorted, 50), 1)} ms, p99 ${fmt(percentile(sorted, 99), 1)} ms, max ${fmt(sorted[sorted.length - 1] ?? NaN, 1)} ms`,
      `${adapter.name}: outcomes ${JSON.stringify(load.outcomes)}`,
      `${adapter.name}: profile per accepted partial (ms): ` +
        `BLS ${perPartial(cryptoAfter.signatureMs - cryptoBefore.signatureMs)} and PoS ${perPartial(cryptoAfter.proofMs - cryptoBefore.proofMs)} (worker thread time; ` +
        `${fmt(cryptoAfter.jobs - cryptoBefore.jobs)} jobs in ${fmt(cryptoAfter.batches - cryptoBefore.batches)} batches); ` +
        `api main thread busy ${perPartial(mainThreadMs)} (event-loop utilisation ${fmt(elu.utilization * 100, 1)}%), of which synchronous: store append ${perPartial(appends.syncMs)}, ` +
        `stream reads ${perPartial(reads.syncMs)}; awaited (wall, overlapping): store append ${fmt(appends.ms / Math.max(1, appends.calls), 2)} per call, ` +
        `stream read ${fmt(reads.ms / Math.max(1, reads.calls), 2)} per call (${fmt(reads.calls / accepted, 1)} per partial), ` +
        `SP lookup over RPC ${fmt(lookups.ms / Math.max(1, lookups.calls), 2)} per call (${fmt(lookups.calls)} calls, shared by concurrent partials of one signage point); ` +
        `process CPU ${perPartial((cpu.user + cpu.system) / 1000)} (all threads, load generator included)` +
        (threadBefore !== undefined && threadAfter !== undefined
          ? `, of which the api's main thread ${perPartial(threadAfter - threadBefore)}, the load generator ${perPartial(load.cpuMs ?? NaN)}, ` +
            `the rest (crypto workers, GC and libuv threads) ${perPartial((cpu.user + cpu.system) / 1000 - (threadAfter - threadBefore) - (load.cpuMs ?? NaN))}`
          : ''),
    ];
    for (const line of [...lines, ...profileLines]) console.log(`  ${line}`);
    return lines;
  } finally {
    await app?.close();
    await crypto.close();
    chainClient.close();
    await readModels.close();
    await store.close();
    await adapter.cleanup();
  }
}

/** The load generator runs on its own thread so that its HTTP client does not share the api's event loop. */
function postFromWorker(url: string, bodies: readonly string[]): Promise<LoadReport> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(__filename, { workerData: { url, bodies, connections: CONNECTIONS } });
    worker.once('message', (report: LoadReport) => {
      resolve(report);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

async function loadGenerator(): Promise<void> {
  const { url, bodies, connections } = workerData as { url: string; bodies: string[]; connections: number };
  const target = new URL('/partial', url);
  if (target.hostname !== '127.0.0.1' && target.hostname !== 'localhost') throw new Error(`refusing to load ${target.hostname}: loopback only`);
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const latenciesMs: number[] = [];
  const outcomes: Record<string, number> = {};
  let accepted = 0;
  let next = 0;
  const post = (body: string): Promise<string> =>
    new Promise((resolve, reject) => {
      const req = request(
        { agent, host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
          res.on('error', reject);
        },
      );
      req.setTimeout(30_000, () => req.destroy(new Error('request timed out')));
      req.on('error', reject);
      req.end(body);
    });
  const started = performance.now();
  const cpuBefore = threadCpuMs('this');
  await Promise.all(
    Array.from({ length: connections }, async () => {
      for (let i = next++; i < bodies.length; i = next++) {
        const t = performance.now();
        let outcome: string;
        try {
          const answer = JSON.parse(await post(bodies[i]!)) as { error_code?: number; new_difficulty?: number };
          outcome = answer.error_code !== undefined ? `error ${answer.error_code}` : 'accepted';
        } catch (error) {
          outcome = `failed: ${(error as Error).message}`;
        }
        latenciesMs.push(performance.now() - t);
        if (outcome === 'accepted') accepted++;
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      }
    }),
  );
  const wallMs = performance.now() - started;
  const cpuAfter = threadCpuMs('this');
  agent.destroy();
  const cpuMs = cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined;
  parentPort!.postMessage({ latenciesMs, accepted, outcomes, wallMs, cpuMs } satisfies LoadReport);
}

async function main(): Promise<void> {
  console.log(`partials benchmark: ${fmt(PARTIALS)} partials from ${FARMERS} farmers (k=${PLOT_K}), ${CONNECTIONS} connections`);
  const scenario = new Scenario(await loadBls());
  await scenario.startNode();
  const summary: string[] = [];
  try {
    summary.push(...(await runAdapter(scenario, sqliteBenchAdapter('partials'), true)));
    const pg = await postgresBenchAdapter('partials');
    if (typeof pg === 'string') summary.push(`postgres skipped: ${pg}`);
    else summary.push(...(await runAdapter(scenario, pg, false)));
  } finally {
    await scenario.node?.close();
    rmSync(scenario.dir, { recursive: true, force: true });
  }
  console.log(`\n${summary.join('\n')}`);
}

if (isMainThread) {
  void main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
} else {
  void loadGenerator();
}
