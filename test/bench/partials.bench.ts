import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { Session, type Profiler } from 'node:inspector';
import { Agent } from 'node:http';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadBls, type BlsBackend, type PostPartialRequest } from '@pool/chia';
import { loadPoolConfig, type RateLimitSettings } from '@pool/config';
import { openEventStore } from '@pool/event-store';
import { type EventStore } from '@pool/event-sourcing';
import { ReadModelDatabase } from '@pool/read-models';
import { createApiServer } from '@pool/api';
import { WorkerPoolPartialVerifier } from '@pool/api';
import { postgresBenchAdapter, sqliteBenchAdapter, type BenchAdapter } from './bench-adapters';
import { freePort } from '../support/processes';
import { inProcessApiFlags, measureCryptoBound, startBenchApi } from './bench-api-processes';
import { askThread, BenchDevnet, fmt, honestAddress, outcomeOf, partialBody, percentile, PLOT_K, postPartialFrom, threadCpuMs } from './partials-scenario';
import { collectSetUpGarbage, timeMethod } from './bench-timing';

/**
 * `node dist/test/bench/partials.bench.js` (after `npm run build`): POST /partial throughput and latency of the api
 * over HTTP, with BENCH_PARTIALS (default 20,000) valid partials pre-generated from BENCH_FARMERS (default 100)
 * devnet farmers, each with a plot NFT and a k=18 plot (plotted once, then read from the PlotCache), posted by a
 * load generator on its own thread with BENCH_CONNECTIONS (default 200) keep-alive connections in flight, on
 * loopback only. Each api first takes BENCH_WARM_UP (default 2,000) other partials, not measured. Runs on SQLite, then on PostgreSQL in a throwaway schema when POOL_TEST_PG_URL (or the local
 * default) answers. The api's clock is pinned at the time the partials were made, so none of them grows stale
 * while the run lasts; the chain behind the api is the devnet's, reached over its mutual-TLS RPC.
 * It prints the crypto bound measured in the same run: the machine's cores / the batched BLS and proof-of-space time
 * of one partial, timed alone on one thread. The api runs in the bench's process (with a per-partial profile), then
 * as BENCH_API_PROCESSES processes on one port (default: one per core, as `node dist/apps/api/src/main.js` runs)
 * with fresh partials, each against the bound and the first.
 * BENCH_PROFILE=<folder> also samples the api's main thread while the partials are posted, writes the
 * .cpuprofile there and prints self and inclusive time per function.
 *
 * The flood scenario (issue 13: rate limits before any crypto), on SQLite with the default rate limits: honest
 * farmers, each from its own loopback address (127.0.1.x), post partials at BENCH_FLOOD_RATE (default 200) a
 * second, alone and while ONE client (127.0.0.9) floods bad-signature partials over BENCH_FLOOD_CONNECTIONS
 * (default 64) keep-alive connections as fast as the api answers. After a warm-up it measures sets alone, flood,
 * flood, alone, alone, flood, ... (BENCH_FLOOD_PAIRS pairs of sets, default 6, of BENCH_FLOOD_SET partials each, default 2,000),
 * so drift on a shared machine falls on both sides, and prints the honest p99 alone and under the flood over all
 * sets, their ratio (the target: at most 1.2), the ratio set by set, and the noise floor: the alone sets against
 * each other (odd against even), which no flood touched. A p99 rests on its slowest 1 %: one stall of the machine
 * (a major GC of the bench's own heap, another process) that lands in a set of 1,000 decides that set's p99, so a
 * set by set ratio swings from 0.3 to 4 with no flood at all; 12,000 latencies a side make the pooled ratio stable.
 * The api's clock is pinned (the partials were made for one moment), so every budget is a budget for the whole run:
 * the flooder's address spends its 1,200 a minute once and is refused from then on, as a flood that goes on is;
 * the launcher budget is raised to hold every honest partial of the run, since 100 farmers sending a real pool's
 * 200 partials a second each send ~100 times what a real farmer does (the address budget stays the default, and the
 * run refuses to start when an honest farmer's address would meet it). The
 * flooder runs in a process of its own at the lowest CPU priority: an attacker's own CPU is not the pool's, and on
 * a small machine a flooder at normal priority would measure the load generator, not the api.
 * BENCH_SCENARIOS picks what runs (default "throughput,flood"; "flood" runs only the flood scenario).
 */
const PARTIALS = Number(process.env.BENCH_PARTIALS ?? 20_000);
const FARMERS = Number(process.env.BENCH_FARMERS ?? 100);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 200);
/** The throughput scenario also runs the api as this many processes on one port (as main.js does: one per core). */
const API_PROCESSES = Number(process.env.BENCH_API_PROCESSES ?? availableParallelism());
/** Partials whose crypto is timed alone for the crypto bound. */
const CRYPTO_SAMPLE = 1024;
/**
 * Partials each api takes before the throughput is measured (BENCH_WARM_UP, default 2,000): a pool runs for days, and
 * a cold api spends its first seconds compiling its hot path (V8's optimising compiler took 8 % of the machine's CPU
 * during an unwarmed run, measured with perf), which is start-up, not throughput.
 */
const WARM_UP = Number(process.env.BENCH_WARM_UP ?? 2_000);
/** A folder: the api's main thread is CPU-profiled while the partials are posted, and a summary printed. */
const PROFILE_DIR = process.env.BENCH_PROFILE;
const SCENARIOS = new Set((process.env.BENCH_SCENARIOS ?? 'throughput,flood').split(',').map((name) => name.trim()));
/** Honest partials in each measured set, and how many sets (alone and under the flood in turn). */
const FLOOD_SET = Number(process.env.BENCH_FLOOD_SET ?? 2_000);
const FLOOD_SETS = 2 * Math.max(1, Math.round(Number(process.env.BENCH_FLOOD_PAIRS ?? 6)));
const FLOOD_RATE = Number(process.env.BENCH_FLOOD_RATE ?? 200);
const FLOOD_CONNECTIONS = Number(process.env.BENCH_FLOOD_CONNECTIONS ?? 64);
/** Honest partials sent before anything is measured: the first requests pay for JIT, connections and caches. */
const FLOOD_WARM_UP = 2_000;

interface HonestPartial {
  body: string;
  farmer: number;
}
/** The flooding client's address; honest farmer i sends from `honestAddress(i)`. */
const FLOOD_ADDRESS = '127.0.0.9';

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
  timeMethod(target, method, (syncMs, ms) => {
    into.syncMs += syncMs;
    into.ms += ms;
    into.calls += 1;
  });
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

/** The devnet and farmers (partials-scenario.ts) and the partials made for this bench's scenarios. */
class Scenario extends BenchDevnet {
  bodies: string[] = [];
  /** For the api in API_PROCESSES processes (a partial is credited once, so fresh ones). */
  processBodies: string[] = [];
  /** Posted to each api before its measured partials, and not measured (WARM_UP). */
  warmUpBodies: string[] = [];
  processWarmUpBodies: string[] = [];
  cryptoSample: { partial: PostPartialRequest; authenticationPublicKey: Uint8Array }[] = [];
  /**
   * The flood scenario's partials: a warm-up set and the measured sets of honest ones (each with its farmer's
   * index) and the flood's forged ones.
   */
  flood = { warmUp: [] as HonestPartial[], measured: [] as HonestPartial[][], bad: [] as string[] };

  constructor(bls: BlsBackend) {
    super(bls, FARMERS);
  }

  /**
   * The farmers registered with the api at `poolUrl`: the first api of a run has them launch their plot NFTs (and the
   * clock pinned, and the partials made); every later one only has them register again.
   */
  async farmersFor(poolUrl: string): Promise<void> {
    if (this.farmers.length === 0) {
      await this.joinFarmers(poolUrl);
      this.pinnedAt = this.clock.now() / 1000;
      await this.registerFarmers(poolUrl);
      this.generatePartials();
    } else {
      await this.registerFarmers(poolUrl);
    }
  }

  /**
   * Walks signage points, collecting every farmer's partials as request bodies: PARTIALS for the throughput
   * scenario, then the flood scenario's (fresh ones: a partial is credited once).
   */
  generatePartials(): void {
    const started = performance.now();
    const throughput = (PARTIALS + WARM_UP) * (API_PROCESSES > 1 ? 2 : 1) + CRYPTO_SAMPLE;
    const wanted = (SCENARIOS.has('throughput') ? throughput : 0) + (SCENARIOS.has('flood') ? FLOOD_WARM_UP + FLOOD_SETS * FLOOD_SET + 1000 : 0);
    const all: { partial: PostPartialRequest; farmer: number }[] = [];
    for (let sp = 0; all.length < wanted; sp++) {
      if (sp > 15_000 + wanted) throw new Error(`only ${all.length} partials after ${sp} signage points`);
      this.chain.advanceSignagePoints(1);
      const entry = this.chain.latestSignagePoint();
      const height = this.chain.peakHeight() + 1;
      this.farmers.forEach(({ farmer }, index) => {
        for (const partial of farmer.partialsFor(entry, height)) all.push({ partial, farmer: index });
      });
    }
    const json = partialBody;
    let next = 0;
    if (SCENARIOS.has('throughput')) {
      const bodies = (count: number): string[] => all.slice(next, (next += count)).map(({ partial }) => json(partial));
      this.warmUpBodies = bodies(WARM_UP);
      this.bodies = bodies(PARTIALS);
      if (API_PROCESSES > 1) {
        this.processWarmUpBodies = bodies(WARM_UP);
        this.processBodies = bodies(PARTIALS);
      }
      this.cryptoSample = all.slice(next, (next += CRYPTO_SAMPLE)).map(({ partial, farmer }) => ({ partial, authenticationPublicKey: this.farmers[farmer]!.farmer.signer.authPk }));
    }
    if (SCENARIOS.has('flood')) {
      const honest = (count: number): HonestPartial[] => all.slice(next, (next += count)).map(({ partial, farmer }) => ({ body: json(partial), farmer }));
      this.flood.warmUp = honest(FLOOD_WARM_UP);
      this.flood.measured = Array.from({ length: FLOOD_SETS }, () => honest(FLOOD_SET));
      // Well-formed partials of real farmers, each carrying another partial's signature: refused by the BLS check.
      const forged = all.slice(next, next + 1000);
      this.flood.bad = forged.map(({ partial }, i) => json({ ...partial, aggregateSignature: forged[(i + 1) % forged.length]!.partial.aggregateSignature }));
    }
    console.log(`  ${fmt(all.length)} partials generated in ${fmt((performance.now() - started) / 1000, 1)} s`);
  }
}

async function runAdapter(scenario: Scenario, adapter: BenchAdapter): Promise<string[]> {
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
    // Every partial from 127.0.0.1 on a pinned clock (nothing refills): budgets that never refuse, so the hooks run
    // and this measures the partial path; the flood scenario runs the default limits.
    const unlimited = { ...base.rateLimits, perAddressPerMinute: 10 * (PARTIALS + FARMERS), perLauncherPerMinute: 10 * (PARTIALS + FARMERS) };
    const config = { ...base, rateLimits: unlimited, settings: { ...base.settings, targetPuzzleHash: scenario.poolTarget, confirmationSecurityThreshold: 4 } };
    app = await createApiServer(
      { config, store, readModels, chain: chainClient, bls: scenario.bls, constants: scenario.constants, clock: scenario.now, partialCrypto: crypto },
      ['error'],
    );
    await app.listen(0, '127.0.0.1');
    const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    await scenario.farmersFor(url);
    await crypto.warmUp();
    await warmUp(adapter.name, url, scenario.warmUpBodies);

    // Measured alone, before the load (nothing else runs now).
    const bound = measureCryptoBound(scenario.bls, scenario.cryptoSample);
    const boundLine =
      `${adapter.name}: crypto bound ${fmt(bound.partialsPerSecond)} partials/s = ${bound.cores} cores / ${fmt(bound.msPerPartial, 3)} ms ` +
      `(batched BLS + proof of space per partial, timed alone on one thread over ${fmt(scenario.cryptoSample.length)} partials)`;
    console.log(`  ${boundLine}`);
    for (const counter of [appends, reads, lookups]) Object.assign(counter, newCallTimes());
    const cryptoBefore = crypto.stats();
    const eluBefore = performance.eventLoopUtilization();
    const cpuBefore = process.cpuUsage();
    console.log(`  ${adapter.name}: posting ${fmt(scenario.bodies.length)} partials over ${CONNECTIONS} connections...`);
    const threadBefore = threadCpuMs('main');
    collectSetUpGarbage();
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
      boundLine,
      `${adapter.name}, one api process: ${fmt(load.accepted)} of ${fmt(scenario.bodies.length)} accepted in ${fmt(load.wallMs / 1000, 2)} s = ${fmt((load.accepted * 1000) / load.wallMs)} accepted partials/s ` +
        `(${fmt((100 * load.accepted * 1000) / load.wallMs / bound.partialsPerSecond, 0)} % of the crypto bound); ` +
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
    if (API_PROCESSES > 1) {
      await app.close();
      app = undefined;
      lines.push(await runApiProcesses(scenario, adapter, unlimited, bound.partialsPerSecond, (load.accepted * 1000) / load.wallMs));
    }
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

/**
 * The same load on the api as API_PROCESSES processes on one port (test/support/api-processes.child.ts: the supervisor main.js
 * uses), over the same store, with fresh partials. CPU is that of the api's processes (all their threads).
 */
async function runApiProcesses(scenario: Scenario, adapter: BenchAdapter, rateLimits: RateLimitSettings, boundPerSecond: number, onePerSecond: number): Promise<string> {
  const api = await startBenchApi({
    processes: API_PROCESSES,
    port: await freePort(),
    eventStoreUrl: adapter.eventStoreUrl,
    readModelsUrl: adapter.readModelsUrl,
    nodePort: scenario.node!.port,
    chiaRoot: join(scenario.dir, 'chia'),
    settings: { targetPuzzleHash: scenario.poolTarget, confirmationSecurityThreshold: 4 },
    now: scenario.now(),
    rateLimits,
  });
  try {
    await warmUp(adapter.name, api.url, scenario.processWarmUpBodies);
    console.log(`  ${adapter.name}: posting ${fmt(scenario.processBodies.length)} partials to ${API_PROCESSES} api processes over ${CONNECTIONS} connections...`);
    const cpuBefore = api.cpuMs();
    const load = await postFromWorker(api.url, scenario.processBodies);
    const cpuMs = api.cpuMs() - cpuBefore;
    const sorted = [...load.latenciesMs].sort((a, b) => a - b);
    const perSecond = (load.accepted * 1000) / load.wallMs;
    const line =
      `${adapter.name}, ${API_PROCESSES} api processes: ${fmt(load.accepted)} of ${fmt(scenario.processBodies.length)} accepted in ${fmt(load.wallMs / 1000, 2)} s = ${fmt(perSecond)} accepted partials/s ` +
      `(${fmt((100 * perSecond) / boundPerSecond, 0)} % of the crypto bound, x${fmt(perSecond / onePerSecond, 2)} one process); ` +
      `latency p50 ${fmt(percentile(sorted, 50), 1)} ms, p99 ${fmt(percentile(sorted, 99), 1)} ms, max ${fmt(sorted[sorted.length - 1] ?? NaN, 1)} ms; ` +
      `api CPU ${fmt(cpuMs / Math.max(1, load.accepted), 3)} ms per accepted partial (all its processes and threads), load generator ${fmt((load.cpuMs ?? NaN) / Math.max(1, load.accepted), 3)} ms; ` +
      `outcomes ${JSON.stringify(load.outcomes)}`;
    console.log(`  ${line}`);
    return line;
  } finally {
    await api.stop();
  }
}

/**
 * The flood scenario on its own api (SQLite, the default rate limits): honest p99 alone, then while one client
 * floods bad-signature partials, measured once the flood has spent its burst (its address budget) and is being
 * refused, i.e. in the steady state of a flood that goes on.
 */
async function runFlood(scenario: Scenario, adapter: BenchAdapter): Promise<string[]> {
  const store: EventStore = await openEventStore(adapter.eventStoreUrl);
  const readModels = await ReadModelDatabase.open(adapter.readModelsUrl);
  const chainClient = scenario.rpcClient();
  const crypto = new WorkerPoolPartialVerifier();
  let app: NestFastifyApplication | undefined;
  let honestFarmers: PacedFarmers | undefined;
  try {
    const base = loadPoolConfig({});
    // Every honest partial of the run (and the farmers' registrations) within one launcher's budget: see the top.
    const honestPartials = FLOOD_WARM_UP + FLOOD_SETS * FLOOD_SET;
    const rateLimits = { ...base.rateLimits, perLauncherPerMinute: Math.max(base.rateLimits.perLauncherPerMinute, honestPartials + 100) };
    const config = { ...base, rateLimits, settings: { ...base.settings, targetPuzzleHash: scenario.poolTarget, confirmationSecurityThreshold: 4 } };
    app = await createApiServer(
      { config, store, readModels, chain: chainClient, bls: scenario.bls, constants: scenario.constants, clock: scenario.now, partialCrypto: crypto },
      ['error'],
    );
    await app.listen(0, '127.0.0.1');
    const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    await scenario.farmersFor(url);
    await crypto.warmUp();
    const limits = config.rateLimits;
    // Each honest farmer sends from an address of its own, whose budget must hold all it sends in the run.
    const perFarmer = new Map<number, number>();
    for (const { farmer } of [scenario.flood.warmUp, ...scenario.flood.measured].flat()) perFarmer.set(farmer, (perFarmer.get(farmer) ?? 0) + 1);
    const busiest = Math.max(...perFarmer.values());
    if (busiest + 10 > limits.perAddressPerMinute) throw new Error(`a farmer sends ${busiest} partials in the run, about its address's budget (${limits.perAddressPerMinute}): fewer or smaller sets`);
    console.log(
      `  flood: rate limits ${limits.enabled ? 'on' : 'OFF'} (${limits.perAddressPerMinute}/min an address, ${limits.perLauncherPerMinute}/min a launcher); ` +
        `${fmt(FLOOD_SETS)} sets of ${fmt(FLOOD_SET)} honest partials at ${FLOOD_RATE}/s from ${FARMERS} addresses, alone...`,
    );
    // One load generator for every set: its connections (one or more per farmer address) are opened by the warm-up
    // and kept, so no set's tail measures a cold start (new thread, new TCP connections), only the api.
    honestFarmers = new PacedFarmers(url, FLOOD_RATE);
    const farmers = honestFarmers;
    const paced = (set: HonestPartial[]): Promise<LoadReport> => farmers.post(set.map(({ body, farmer }) => ({ body, from: honestAddress(farmer) })));
    await paced(scenario.flood.warmUp);
    collectSetUpGarbage();

    console.log(`  flood: ${FLOOD_ADDRESS} floods bad-signature partials over ${FLOOD_CONNECTIONS} connections (alone, flood, flood, alone, ...)...`);
    const runs: { alone: LoadReport[]; underFlood: LoadReport[]; flood: LoadReport[] } = { alone: [], underFlood: [], flood: [] };
    let floodCrypto = 0;
    let floodSeconds = 0;
    const profiles: string[] = [];
    // The api's main thread (the devnet's RPC server shares it here) busy while each set is posted.
    const utilization = { alone: [] as string[], underFlood: [] as string[] };
    const measure = async (name: string, set: HonestPartial[]): Promise<LoadReport> => {
      const before = performance.eventLoopUtilization();
      const delay = monitorEventLoopDelay({ resolution: 5 });
      delay.enable();
      const { result, summary } = await profiled(name, () => paced(set));
      delay.disable();
      const busy = performance.eventLoopUtilization(before).utilization;
      utilization[name.startsWith('flood-alone') ? 'alone' : 'underFlood'].push(
        `${fmt(100 * busy, 0)} % (loop delay p99 ${fmt(delay.percentile(99) / 1e6, 0)} ms, max ${fmt(delay.max / 1e6, 0)} ms)`,
      );
      profiles.push(...summary);
      return result;
    };
    for (const [i, set] of scenario.flood.measured.entries()) {
      // Alone, flood, flood, alone, alone, flood, ...: a drift over the run (a heap that grows, a neighbour that
      // wakes up) falls on both sides alike, and no side always has the first set after the warm-up.
      if (i % 4 === 0 || i % 4 === 3) {
        runs.alone.push(await measure(`flood-alone-${i}`, set));
        continue;
      }
      const flood = runFlooder({ url, bodies: scenario.flood.bad, connections: FLOOD_CONNECTIONS, from: FLOOD_ADDRESS });
      // Measured once the flood is being refused: the steady state of a flood that goes on.
      if (limits.enabled) await flood.limited;
      const cryptoBefore = crypto.stats().jobs;
      const started = performance.now();
      runs.underFlood.push(await measure(`flood-under-${i}`, set));
      floodCrypto += crypto.stats().jobs - cryptoBefore;
      floodSeconds += (performance.now() - started) / 1000;
      runs.flood.push(await flood.stop());
    }
    const merged = (reports: LoadReport[]): LoadReport => ({
      latenciesMs: reports.flatMap((r) => r.latenciesMs),
      accepted: reports.reduce((n, r) => n + r.accepted, 0),
      outcomes: reports.reduce<Record<string, number>>((all, r) => {
        for (const [key, n] of Object.entries(r.outcomes)) all[key] = (all[key] ?? 0) + n;
        return all;
      }, {}),
      wallMs: reports.reduce((n, r) => n + r.wallMs, 0),
    });
    const alone = merged(runs.alone);
    const underFlood = merged(runs.underFlood);
    const floodReport = merged(runs.flood);

    const p = (report: LoadReport, q: number): number => percentile([...report.latenciesMs].sort((a, b) => a - b), q);
    const lines = [
      `flood: honest latency alone p50 ${fmt(p(alone, 50), 1)} ms, p99 ${fmt(p(alone, 99), 1)} ms; outcomes ${JSON.stringify(alone.outcomes)}`,
      `flood: honest latency under flood p50 ${fmt(p(underFlood, 50), 1)} ms, p99 ${fmt(p(underFlood, 99), 1)} ms; outcomes ${JSON.stringify(underFlood.outcomes)}`,
      `flood: honest p99 under flood / alone = ${fmt(p(underFlood, 99) / p(alone, 99), 2)} (target at most 1.20); ` +
        `set by set (each flood set against the alone set next to it): ${runs.underFlood.map((set, i) => fmt(p(set, 99) / p(runs.alone[i]!, 99), 2)).join(', ')}`,
      ...(runs.alone.length < 2
        ? []
        : [`flood: the noise floor, no flood on either side: p99 of the odd alone sets / the even ones = ${fmt(p(merged(runs.alone.filter((_, i) => i % 2 === 1)), 99) / p(merged(runs.alone.filter((_, i) => i % 2 === 0)), 99), 2)}`]),
      `flood: the api's main thread while the honest partials were posted: alone ${utilization.alone.join(', ')}; under the flood ${utilization.underFlood.join(', ')}`,
      `flood: the flooder sent ${fmt(Object.values(floodReport.outcomes).reduce((a, b) => a + b, 0))} requests in ${fmt(floodReport.wallMs / 1000, 1)} s ` +
        `(${fmt((1000 * Object.values(floodReport.outcomes).reduce((a, b) => a + b, 0)) / floodReport.wallMs)}/s): ${JSON.stringify(floodReport.outcomes)}; ` +
        `crypto jobs while the honest partials were measured under it: ${fmt(floodCrypto)} (honest ones included) in ${fmt(floodSeconds, 1)} s ` +
        `(the api's clock is pinned, so the flooder's budget does not refill: on the wall clock it would get ${fmt(limits.perAddressPerMinute / 60, 0)}/s to crypto)`,
    ];
    for (const line of [...lines, ...profiles]) console.log(`  ${line}`);
    return [...lines, ...profiles];
  } finally {
    await honestFarmers?.close();
    await app?.close();
    await crypto.close();
    chainClient.close();
    await readModels.close();
    await store.close();
    await adapter.cleanup();
  }
}

/** Honest farmers posting partials at a steady rate from their own addresses: one worker thread, sent one set at a time. */
class PacedFarmers {
  private readonly worker: Worker;

  constructor(url: string, rate: number) {
    this.worker = new Worker(__filename, { workerData: { mode: 'paced', url, rate } satisfies LoadJob });
  }

  post(requests: PacedRequest[]): Promise<LoadReport> {
    return askThread<LoadReport>(this.worker, requests);
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

/** Set in a flooder process (this file, run again), which is sent its job as its first message. */
const FLOOD_CHILD_VARIABLE = 'BENCH_FLOOD_CHILD';

/**
 * The flooder: this file again in a process of its own that runs only on CPU nobody else wants (Linux's SCHED_IDLE
 * through `chrt --idle 0`; `nice -n 19` where chrt is missing, which still lets it take a share of a busy core), so
 * it floods with the CPU the api and the honest farmers leave over, as a remote attacker's machine would, instead of
 * taking one of this machine's two cores from them. It says 'limited' at its first rate-limit refusal and sends its
 * report when told to stop.
 */
function runFlooder(job: FloodJob): { limited: Promise<void>; stop(): Promise<LoadReport> } {
  const [command, ...args] = existsSync('/usr/bin/chrt') ? ['/usr/bin/chrt', '--idle', '0'] : ['nice', '-n', '19'];
  const child = spawn(command!, [...args, process.execPath, __filename], {
    env: { ...process.env, [FLOOD_CHILD_VARIABLE]: '1' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  child.send({ job });
  let saidLimited: () => void = () => undefined;
  const limited = new Promise<void>((resolve) => (saidLimited = resolve));
  const report = new Promise<LoadReport>((resolve, reject) => {
    child.on('message', (message: LoadReport | 'limited') => (message === 'limited' ? saidLimited() : resolve(message)));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the flooder exited (${code}) before its report`)));
  });
  return {
    limited,
    stop: async () => {
      child.send('stop');
      return report.finally(() => child.kill());
    },
  };
}

/** The load generator runs on its own thread so that its HTTP client does not share the api's event loop. */
/** Posts the warm-up partials (WARM_UP) and checks that the api took them; nothing of them is measured. */
async function warmUp(name: string, url: string, bodies: readonly string[]): Promise<void> {
  if (bodies.length === 0) return;
  const started = performance.now();
  const { accepted } = await postFromWorker(url, bodies);
  if (accepted !== bodies.length) throw new Error(`${name}: the api accepted ${accepted} of ${bodies.length} warm-up partials`);
  console.log(`  ${name}: warmed up with ${fmt(bodies.length)} partials in ${fmt((performance.now() - started) / 1000, 1)} s (not measured)`);
}

function postFromWorker(url: string, bodies: readonly string[]): Promise<LoadReport> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(__filename, { workerData: { mode: 'throughput', url, bodies: bodies as string[], connections: CONNECTIONS } satisfies LoadJob });
    worker.once('message', (report: LoadReport) => {
      resolve(report);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

/** What a load generator thread is asked to do. */
type LoadJob =
  | { mode: 'throughput'; url: string; bodies: string[]; connections: number }
  /** Honest farmers: each partial from its farmer's address, `rate` a second whatever the answers take. */
  | { mode: 'paced'; url: string; rate: number };

/** One honest partial and the farmer address it is sent from. */
interface PacedRequest {
  body: string;
  from: string;
}

/** One client, as fast as the api answers, until told to stop; says 'limited' at its first rate-limit refusal. */
interface FloodJob {
  url: string;
  bodies: string[];
  connections: number;
  from: string;
}

/** The paced load worker: posts each set of requests it is sent, on connections it keeps between sets. */
function servePacedSets(job: Extract<LoadJob, { mode: 'paced' }>): void {
  const target = new URL('/partial', job.url);
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  parentPort!.on('message', (requests: PacedRequest[]) => void pacedLoad(agent, target, requests, job.rate).then((report) => parentPort!.postMessage(report)));
}

async function pacedLoad(agent: Agent, target: URL, requests: PacedRequest[], rate: number): Promise<LoadReport> {
  const latenciesMs: number[] = [];
  const outcomes: Record<string, number> = {};
  const started = performance.now();
  await Promise.all(
    requests.map(async ({ body, from }, i) => {
      const due = started + (i * 1000) / rate;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
      const t = performance.now();
      let outcome: string;
      try {
        outcome = outcomeOf(await postPartialFrom(agent, target, body, from));
      } catch (error) {
        outcome = `failed: ${(error as Error).message}`;
      }
      latenciesMs.push(performance.now() - t);
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    }),
  );
  return { latenciesMs, accepted: outcomes.accepted ?? 0, outcomes, wallMs: performance.now() - started };
}

async function floodLoad(job: FloodJob): Promise<LoadReport> {
  const target = new URL('/partial', job.url);
  const agent = new Agent({ keepAlive: true, maxSockets: job.connections });
  const outcomes: Record<string, number> = {};
  let stop = false;
  process.on('message', (message) => {
    if (message !== 'stop') return;
    stop = true;
    // Its refusals still held would keep the flooder up to their whole hold (many seconds): it hangs up instead.
    agent.destroy();
  });
  let said = false;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: job.connections }, async () => {
      while (!stop) {
        let outcome: string;
        try {
          outcome = outcomeOf(await postPartialFrom(agent, target, job.bodies[next++ % job.bodies.length]!, job.from));
        } catch (error) {
          if (stop) break; // hung up on stopping
          outcome = `failed: ${(error as Error).message}`;
        }
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
        if (outcome === 'rate limited' && !said) {
          said = true;
          process.send!('limited');
        }
      }
    }),
  );
  return { latenciesMs: [], accepted: 0, outcomes, wallMs: performance.now() - started };
}

async function loadGenerator(): Promise<void> {
  const job = workerData as LoadJob;
  if (job.mode === 'paced') return servePacedSets(job);
  const { url, bodies, connections } = job;
  const target = new URL('/partial', url);
  if (target.hostname !== '127.0.0.1' && target.hostname !== 'localhost') throw new Error(`refusing to load ${target.hostname}: loopback only`);
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const latenciesMs: number[] = [];
  const outcomes: Record<string, number> = {};
  let accepted = 0;
  let next = 0;
  const post = (body: string): Promise<string> => postPartialFrom(agent, target, body);
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
  console.log(`partials benchmark: ${fmt(PARTIALS)} partials from ${FARMERS} farmers (k=${PLOT_K}), ${CONNECTIONS} connections; ${inProcessApiFlags()}`);
  const scenario = new Scenario(await loadBls());
  await scenario.startNode();
  const summary: string[] = [];
  try {
    if (SCENARIOS.has('throughput')) {
      summary.push(...(await runAdapter(scenario, sqliteBenchAdapter('partials'))));
      const pg = await postgresBenchAdapter('partials');
      if (typeof pg === 'string') summary.push(`postgres skipped: ${pg}`);
      else summary.push(...(await runAdapter(scenario, pg)));
    }
    if (SCENARIOS.has('flood')) summary.push(...(await runFlood(scenario, sqliteBenchAdapter('partials-flood'))));
  } finally {
    await scenario.node?.close();
    rmSync(scenario.dir, { recursive: true, force: true });
  }
  console.log(`\n${summary.join('\n')}`);
}

if (process.env[FLOOD_CHILD_VARIABLE] !== undefined) {
  process.once('message', (message: { job: FloodJob }) => void floodLoad(message.job).then((report) => process.send!(report)));
} else if (isMainThread) {
  void main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
} else {
  void loadGenerator();
}
