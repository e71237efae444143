import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { Agent } from 'node:http';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import { CommandBus } from '@nestjs/cqrs';
import { NestFactory } from '@nestjs/core';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { createApiServer, DEFAULT_CRYPTO_BATCH, WorkerPoolPartialVerifier } from '@pool/api';
import { loadBls, PoolErrorCode, type PostPartialRequest, type RecentSignagePointOrEos, type SignagePointOrEosQuery } from '@pool/chia';
import { LedgerCommandsModule } from '@pool/commands';
import { loadPoolConfig } from '@pool/config';
import { DevnetChain, ManualClock, type TimelineEntry } from '@pool/devnet';
import { decodePoolEvent, farmerDecider, farmerStream } from '@pool/domain';
import { StreamCommandRunner, type EventStore } from '@pool/event-sourcing';
import { NEWEST_LEDGER_FORMAT, openEventStore } from '@pool/event-store';
import { ReadModelDatabase } from '@pool/read-models';
import { PartialConfirmer } from '@pool/worker';
import { postgresBenchAdapter, sqliteBenchAdapter, type BenchAdapter } from './bench-adapters';
import { inProcessApiFlags } from './bench-api-processes';
import { collectSetUpGarbage, timeMethod } from './bench-timing';
import { askThread, BenchDevnet, farmerAddress, fmt, honestAddress, outcomeOf, partialBody, percentile, PLOT_K, postPartialFrom, threadCpuMs } from './partials-scenario';

/**
 * `npm run bench:load` (or `node dist/test/bench/load.bench.js` after `npm run build`): an open-loop load shaped
 * like a pool, on SQLite and then on PostgreSQL (a throwaway schema, when it answers), each on its own api in this
 * process over HTTP, behind the devnet's chain reached over its mutual-TLS RPC (issue 19, items 2 and 3).
 *
 * 1. Saturation: BENCH_LOAD_SATURATION_PARTIALS (default 5,000) valid partials posted closed-loop over 200
 *    connections, as partials.bench does, after BENCH_LOAD_WARM_UP (default 2,000) others that are not measured (a
 *    cold api spends its first seconds compiling): accepted/s is the saturation throughput of this run. Its partials are not
 *    judged for lateness (their signage point's receive time is when the api asks for it): they all arrive at once.
 * 2. Bursts: BENCH_LOAD_BURSTS (default 4) signage points, one every BENCH_LOAD_SP_SECONDS (default 9.375, mainnet's),
 *    at a mean rate of BENCH_LOAD_BURST_SHARE (default 0.8) of the saturation: all partials of a signage point arrive
 *    evenly spread over BENCH_LOAD_SPREAD_SECONDS (default 1) from its start, each farmer from its own loopback
 *    address over at most BENCH_LOAD_FARMER_CONNECTIONS (default 8) connections.
 * 3. Steady: BENCH_LOAD_STEADY_SECONDS (default 37.5) at BENCH_LOAD_STEADY_SHARE (default 0.7) of the saturation, the
 *    partials spread evenly over the whole time (a constant arrival rate), each devnet signage point's right after it.
 * 4. Settlement and bytes: the worker's PartialConfirmer settles every partial on this ledger (the confirmation delay
 *    passed), then the store's bytes (tables and indexes) added since the farmers registered are divided by the
 *    accepted partials, with the bytes per event type.
 *
 * Each phase prints where the CPU went, the crypto threads' batch sizes and the wall time of the steps a partial
 * awaits (its signage point lookup, its crypto with the wait for a thread, its append); BENCH_LOAD_PROFILE=<dir> also writes the
 * api main thread's CPU profile of each phase there (open it in Chrome's DevTools).
 *
 * Open loop: every partial has a scheduled arrival and is sent then whatever the earlier answers took, and its latency
 * is measured from that schedule, so queueing shows. BENCH_LOAD_INVALID (default 0.02) of the partials are invalid
 * (half carry another partial's signature, half a tampered proof of space signed by its farmer), each farmer's from an
 * address of their own (invalidAddress). A farmer here sends in minutes what a real one sends in days: from its own
 * address, 2 % of that crossed the api's budget of failed checks (20 per launcher and address in 10 minutes,
 * crypto-failure-budget.ts) within the steady phase, and its valid partials were then refused unchecked (error 16, 861
 * of 33,392 in one run), which both cut the load and hid those partials' latency.
 *
 * How "too late" is made real. The api's clock is NOT pinned: it is the wall clock (anchored on the devnet's time)
 * and it judges lateness as a pool does, from the node's receive time of the partial's signage point to the
 * request's arrival (partial-checks.ts), against the default limit (25 s). A devnet farmer with one k=18 plot finds
 * about one partial every other signage point, so the partials a signage point of a real pool brings (thousands)
 * come here from several consecutive devnet signage points (printed per burst). The chain (its ManualClock) is moved
 * to them BENCH_LOAD_SP_LEAD_MS (default 250) before their node receive time, and never earlier: the pool's node does
 * not know them before. That receive time, as the api reads it over the RPC, is for a burst's the burst's scheduled
 * start (the moment a real pool's node would have received the one signage point they stand for), for the steady
 * load's when each one's first partial is due. Partials are made before the timed part (signing and proof lookup
 * are slow) from a second DevnetChain with the same seed, whose signage points are the same ones; each move checks
 * that the chain's newest signage point is the one the partials were made for.
 *
 * Deliberate differences from a production pool, so that the figures measure the partial path: rate limits are lifted
 * (every farmer sends dozens of partials per signage point here), and the difficulty grace is unbounded (a farmer
 * sends more than the 300 partials after which the pool raises its difficulty; its partials at difficulty 1 keep
 * counting). Latency figures measured under `chrt --idle 0` on a shared machine are upper bounds.
 */
const FARMERS = Number(process.env.BENCH_LOAD_FARMERS ?? 100);
const SP_SECONDS = Number(process.env.BENCH_LOAD_SP_SECONDS ?? 9.375);
const SPREAD_SECONDS = Math.min(SP_SECONDS, Number(process.env.BENCH_LOAD_SPREAD_SECONDS ?? 1));
const BURSTS = Number(process.env.BENCH_LOAD_BURSTS ?? 4);
const BURST_SHARE = Number(process.env.BENCH_LOAD_BURST_SHARE ?? 0.8);
const STEADY_SECONDS = Number(process.env.BENCH_LOAD_STEADY_SECONDS ?? 37.5);
const STEADY_SHARE = Number(process.env.BENCH_LOAD_STEADY_SHARE ?? 0.7);
const SATURATION_PARTIALS = Number(process.env.BENCH_LOAD_SATURATION_PARTIALS ?? 5_000);
const SATURATION_CONNECTIONS = 200;
const WARM_UP = Number(process.env.BENCH_LOAD_WARM_UP ?? 2_000);
const INVALID_SHARE = Number(process.env.BENCH_LOAD_INVALID ?? 0.02);
/** Where farmer i's invalid partials come from: another loopback address than its valid ones (honestAddress). */
const invalidAddress = (farmer: number): string => farmerAddress(1, farmer);
const FARMER_CONNECTIONS = Number(process.env.BENCH_LOAD_FARMER_CONNECTIONS ?? 8);
const SP_LEAD_MS = Number(process.env.BENCH_LOAD_SP_LEAD_MS ?? 250);
/** Overrides the crypto threads' largest batch (WorkerPoolOptions.maxBatch), to compare batch sizes. */
const CRYPTO_BATCH = process.env.BENCH_LOAD_CRYPTO_BATCH === undefined ? undefined : Number(process.env.BENCH_LOAD_CRYPTO_BATCH);
/** Overrides the api's too-late limit (seconds; default the pool's, 25), e.g. 1 to see partials refused as too late. */
const TIME_LIMIT = process.env.BENCH_LOAD_TIME_LIMIT === undefined ? undefined : Number(process.env.BENCH_LOAD_TIME_LIMIT);
const STORES = new Set((process.env.BENCH_LOAD_STORES ?? 'sqlite,postgres').split(',').map((name) => name.trim()));
/** A directory: the api main thread's CPU profile of each phase is written there (`<store>-<phase>.cpuprofile`). */
const PROFILE_DIR = process.env.BENCH_LOAD_PROFILE;
/** Targets of issue 19. */
const STEADY_P99_TARGET_MS = 100;
/** Time for the api and the load generator to be scheduled before the first partial of a phase is due. */
const PHASE_START_DELAY_MS = 1_500;
/** Confirmers run side by side to settle the run's partials. */
const SETTLEMENT_SHARDS = 16;
/** Far more than the devnet's default, so no signage point of a run is forgotten before its partials settle. */
const SIGNAGE_POINT_CACHE = 1 << 16;

type ReceiveTime = 'burst start' | 'first partial';

/** Absolute milliseconds, comparable across threads (each has its own performance.now() origin). */
const wallMs = (): number => performance.timeOrigin + performance.now();

/** One partial of a phase: when it is due (ms after the phase's start), from which farmer, in which burst. */
interface ScheduledPartial {
  body: string;
  from: string;
  atMs: number;
  burst: number;
  valid: boolean;
}

/** The partials of one burst (or one steady interval) and the devnet signage points they answer. */
interface Burst {
  entries: TimelineEntry[];
  /** When the first partial of each entry is due (ms after the phase's start). */
  firstDueMs: number[];
  partials: ScheduledPartial[];
}

interface PhaseResult {
  latenciesMs: number[];
  outcomes: string[];
  /** When each answer came, ms after the phase's start. */
  answeredAtMs: number[];
  wallMs: number;
  /** CPU time of the load generator's thread. */
  cpuMs?: number;
}

type LoadJob =
  | { mode: 'open'; url: string; partials: ScheduledPartial[]; startAtMs: number; connectionsPerFarmer: number }
  | { mode: 'closed'; url: string; bodies: string[]; connections: number };

/** The api's clock: the wall clock, anchored on the devnet's time when the adapter's run starts. */
class ApiClock {
  private anchorSeconds = 0;
  private anchorWallMs = 0;

  anchor(devnetSeconds: number): void {
    this.anchorSeconds = devnetSeconds;
    this.anchorWallMs = wallMs();
  }

  readonly now = (): number => this.secondsAt(wallMs());

  secondsAt(wall: number): number {
    return this.anchorSeconds + (wall - this.anchorWallMs) / 1000;
  }
}

/** The devnet, the farmers, and the partials of each phase, made ahead from a twin chain. */
class LoadScenario extends BenchDevnet {
  /** The same seed and clock start as `chain`: its signage points are the ones `chain` will have. */
  private readonly twin = new DevnetChain({ clock: new ManualClock(), networkBlockEverySignagePoints: 0, signagePointCacheSize: SIGNAGE_POINT_CACHE });
  /**
   * The node's receive time (api clock seconds) of each devnet signage point a phase uses, by hash; 'when asked' for
   * the saturation phase's, which measures throughput, not lateness (all its partials arrive at once and would grow late).
   */
  readonly receivedAt = new Map<string, number | 'when asked'>();
  /** Timer lateness of the chain's moves (ms), for the report. */
  readonly advanceLagMs: number[] = [];

  constructor(bls: Awaited<ReturnType<typeof loadBls>>) {
    super(bls, FARMERS, { signagePointCacheSize: SIGNAGE_POINT_CACHE });
  }

  /**
   * `count` bursts of `perBurst` partials each (a share of them made invalid), due `spreadMs` evenly after each
   * burst's start, bursts `intervalMs` apart; made on the twin chain from the devnet signage points after the chain's.
   * The farmers sign with `tokenTime` (api seconds), the time the phase will run at.
   */
  makeBursts(count: number, perBurst: number, intervalMs: number, spreadMs: number, tokenTime: number, invalidShare = INVALID_SHARE): Burst[] {
    const started = performance.now();
    this.pinnedAt = tokenTime;
    const height = this.chain.peakHeight() + 1;
    const bursts: Burst[] = [];
    let twinSeq = Math.max(this.chain.latestSignagePoint().seq, this.twin.latestSignagePoint().seq);
    for (let burst = 0; burst < count; burst++) {
      const entries: TimelineEntry[] = [];
      const firstIndex: number[] = [];
      const made: { partial: PostPartialRequest; farmer: number }[] = [];
      while (made.length < perBurst) {
        twinSeq += 1;
        this.twin.advanceSignagePoints(twinSeq - this.twin.latestSignagePoint().seq);
        const entry = this.twin.latestSignagePoint();
        entries.push(entry);
        firstIndex.push(made.length);
        this.farmers.forEach(({ farmer }, index) => {
          for (const partial of farmer.partialsFor(entry, height)) made.push({ partial, farmer: index });
        });
        if (entries.length > 100 * perBurst + 1000) throw new Error(`only ${made.length} partials after ${entries.length} signage points`);
      }
      const kept = made.slice(0, perBurst);
      const invalidEvery = invalidShare > 0 ? Math.max(1, Math.round(1 / invalidShare)) : Infinity;
      const partials = kept.map(({ partial, farmer }, i): ScheduledPartial => {
        const invalid = (i + 1) % invalidEvery === 0;
        const body = invalid ? partialBody(this.spoiled(partial, farmer, Math.floor(i / invalidEvery), kept)) : partialBody(partial);
        return { body, from: invalid ? invalidAddress(farmer) : honestAddress(farmer), atMs: burst * intervalMs + (i * spreadMs) / perBurst, burst, valid: !invalid };
      });
      bursts.push({ entries, firstDueMs: firstIndex.map((i) => partials[Math.min(i, partials.length - 1)]!.atMs), partials });
    }
    this.pinnedAt = undefined;
    const total = bursts.reduce((n, b) => n + b.partials.length, 0);
    console.log(`  ${fmt(total)} partials made for ${count} signage points in ${fmt((performance.now() - started) / 1000, 1)} s`);
    return bursts;
  }

  /**
   * The `nth` invalid partial of a burst: every other one carries another partial's signature, the rest a tampered
   * proof of space their farmer signed (refused by the proof check, after the signature's).
   */
  private spoiled(partial: PostPartialRequest, farmer: number, nth: number, all: { partial: PostPartialRequest }[]): PostPartialRequest {
    if (nth % 2 === 0) {
      const other = all.find((candidate) => candidate.partial !== partial)?.partial ?? partial;
      return { ...partial, aggregateSignature: other.aggregateSignature };
    }
    const proof = Uint8Array.from(partial.payload.proofOfSpace.proof);
    proof[0] = proof[0]! ^ 0xff;
    return this.farmers[farmer]!.farmer.signer.partial({ ...partial.payload, proofOfSpace: { ...partial.payload.proofOfSpace, proof } });
  }

  /** Moves the chain to `entry` (and the signage points before it), checking it is the one the partials were made for. */
  advanceTo(entry: TimelineEntry): void {
    this.chain.advanceSignagePoints(entry.seq - this.chain.latestSignagePoint().seq);
    const now = this.chain.latestSignagePoint();
    if (now.hash !== entry.hash) throw new Error(`the chain's signage point ${now.seq} is ${now.hash}, the partials were made for ${entry.hash}`);
  }

  /**
   * The node's receive time of each signage point of `bursts` on the api's clock: 'burst start' gives all of a burst's
   * the burst's scheduled start (they stand for one signage point of a real pool), 'first partial' gives each its own,
   * when its first partial is due (a steady load, where each signage point's partials follow it at once).
   */
  receiveAt(bursts: Burst[], startAtSeconds: number | 'when asked', intervalMs: number, when: ReceiveTime = 'burst start'): void {
    bursts.forEach((burst, i) => {
      burst.entries.forEach((entry, e) => {
        const offsetMs = when === 'burst start' ? i * intervalMs : burst.firstDueMs[e]!;
        this.receivedAt.set(entry.hash, startAtSeconds === 'when asked' ? startAtSeconds : startAtSeconds + offsetMs / 1000);
      });
    });
  }

  /** What the api reads over the RPC: the devnet's answer with the receive time of the burst its signage point belongs to. */
  withReceiveTimes(lookup: (query: SignagePointOrEosQuery) => Promise<RecentSignagePointOrEos | null>, now: () => number) {
    return async (query: SignagePointOrEosQuery): Promise<RecentSignagePointOrEos | null> => {
      const seen = await lookup(query);
      const at = this.receivedAt.get('spHash' in query ? query.spHash : query.challengeHash);
      return seen === null || at === undefined ? seen : { ...seen, timeReceived: at === 'when asked' ? now() : at };
    };
  }
}

interface PhaseSummary {
  lines: string[];
  /** Targets met (undefined: not judged). */
  met?: boolean;
}

async function runAdapter(scenario: LoadScenario, adapter: BenchAdapter): Promise<string[]> {
  const store: EventStore = await openEventStore(adapter.eventStoreUrl);
  const readModels = await ReadModelDatabase.open(adapter.readModelsUrl);
  const chainClient = scenario.rpcClient();
  const crypto = new WorkerPoolPartialVerifier(CRYPTO_BATCH === undefined ? {} : { maxBatch: CRYPTO_BATCH });
  const clock = new ApiClock();
  const generator = new LoadGenerator();
  let app: NestFastifyApplication | undefined;
  const name = adapter.name;
  try {
    const lookup = chainClient.getRecentSignagePointOrEos.bind(chainClient);
    chainClient.getRecentSignagePointOrEos = scenario.withReceiveTimes(lookup, clock.now);
    // Timed as the api awaits them (a partial's crypto includes its wait for a thread).
    const steps = new AwaitedSteps();
    steps.time('signage point lookup over RPC', chainClient, 'getRecentSignagePointOrEos');
    steps.time('crypto', crypto, 'verify');
    steps.time('store append', store, 'append');
    const base = loadPoolConfig({});
    const unlimited = { ...base.rateLimits, perAddressPerMinute: 1e9, perLauncherPerMinute: 1e9 };
    const settings = {
      ...base.settings,
      targetPuzzleHash: scenario.poolTarget,
      confirmationSecurityThreshold: 4,
      difficultyGraceSeconds: 1e9,
      partialTimeLimit: TIME_LIMIT ?? base.settings.partialTimeLimit,
    };
    const config = { ...base, rateLimits: unlimited, settings };
    clock.anchor(scenario.clock.now() / 1000);
    app = await createApiServer({ config, store, readModels, chain: chainClient, bls: scenario.bls, constants: scenario.constants, clock: clock.now, partialCrypto: crypto }, ['error']);
    await app.listen(0, '127.0.0.1');
    const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    if (scenario.farmers.length === 0) await scenario.joinFarmers(url);
    scenario.pinnedAt = clock.now();
    await scenario.registerFarmers(url);
    scenario.pinnedAt = undefined;
    await crypto.warmUp();
    const sizeBefore = await storeSize(adapter);
    const lines: string[] = [
      `${name}: the api's too-late limit ${settings.partialTimeLimit} s from the node's receive time of the signage point` +
        (TIME_LIMIT === undefined ? " (the pool's default)" : ' (BENCH_LOAD_TIME_LIMIT)'),
    ];

    // 1. Saturation, closed loop.
    const [saturationBurst] = scenario.makeBursts(1, WARM_UP + SATURATION_PARTIALS, 0, 0, clock.now(), 0);
    scenario.receiveAt([saturationBurst!], 'when asked', 0);
    scenario.advanceTo(saturationBurst!.entries[saturationBurst!.entries.length - 1]!);
    const bodies = saturationBurst!.partials.map((p) => p.body);
    collectSetUpGarbage();
    const warmUp = await generator.run({ mode: 'closed', url, bodies: bodies.slice(0, WARM_UP), connections: SATURATION_CONNECTIONS });
    const warmedUp = count(warmUp.outcomes, 'accepted');
    if (warmedUp !== WARM_UP) throw new Error(`${name}: the api accepted ${warmedUp} of ${WARM_UP} warm-up partials`);
    console.log(`  ${name}: warmed up with ${fmt(WARM_UP)} partials (not measured)`);
    console.log(`  ${name}: saturation: posting ${fmt(SATURATION_PARTIALS)} partials closed-loop over ${SATURATION_CONNECTIONS} connections...`);
    const closedCpu = cpuMeter(crypto, steps);
    const closedProfile = await mainThreadProfile(`${name}: saturation`);
    const closed = await generator.run({ mode: 'closed', url, bodies: bodies.slice(WARM_UP), connections: SATURATION_CONNECTIONS });
    await closedProfile.stop();
    const saturation = count(closed.outcomes, 'accepted') / (closed.wallMs / 1000);
    lines.push(
      `${name}: saturation (closed loop, ${SATURATION_CONNECTIONS} connections): ${fmt(count(closed.outcomes, 'accepted'))} of ${fmt(closed.outcomes.length)} accepted in ` +
        `${fmt(closed.wallMs / 1000, 2)} s = ${fmt(saturation)} accepted partials/s; outcomes ${JSON.stringify(tally(closed.outcomes))}`,
    );
    lines.push(closedCpu.line(`${name}: saturation`, count(closed.outcomes, 'accepted'), closed.cpuMs));
    for (const line of lines.slice(-2)) console.log(`  ${line}`);

    // 2. Bursts at BURST_SHARE of saturation; 3. steady load at STEADY_SHARE of it.
    const intervalMs = SP_SECONDS * 1000;
    const bursts = await runPhase(scenario, clock, generator, url, {
      label: `${name}: bursts`,
      count: BURSTS,
      perBurst: Math.max(1, Math.round(BURST_SHARE * saturation * SP_SECONDS)),
      intervalMs,
      spreadMs: SPREAD_SECONDS * 1000,
      receive: 'burst start',
      crypto,
      steps,
    });
    const steadyIntervals = Math.max(1, Math.round(STEADY_SECONDS / SP_SECONDS));
    const steady = await runPhase(scenario, clock, generator, url, {
      label: `${name}: steady`,
      count: steadyIntervals,
      perBurst: Math.max(1, Math.round(STEADY_SHARE * saturation * SP_SECONDS)),
      intervalMs,
      spreadMs: intervalMs,
      receive: 'first partial',
      crypto,
      steps,
    });
    lines.push(...bursts.lines, ...steady.lines);
    lines.push(
      `${name}: verdict: bursts at ${fmt(100 * BURST_SHARE)} % of saturation ${bursts.met ? 'MET' : 'NOT MET'} (every burst drained before the next signage point, 0 too late); ` +
        `steady at ${fmt(100 * STEADY_SHARE)} % of saturation ${steady.met ? 'MET' : 'NOT MET'} (p99 < ${STEADY_P99_TARGET_MS} ms)`,
    );

    // 4. Settlement, then bytes of store per accepted partial.
    const accepted = warmedUp + count(closed.outcomes, 'accepted') + bursts.accepted + steady.accepted;
    const settled = [...(await settleAll(scenario, store, clock, settings.partialConfirmationDelay, name)), ...(await storeBytes(adapter, sizeBefore, accepted))];
    for (const line of settled) console.log(`  ${line}`);
    return [...lines, ...settled];
  } finally {
    await generator.close();
    await app?.close();
    await crypto.close();
    chainClient.close();
    await readModels.close();
    await store.close();
    await adapter.cleanup();
  }
}

interface PhaseOptions {
  label: string;
  count: number;
  perBurst: number;
  intervalMs: number;
  spreadMs: number;
  receive: ReceiveTime;
  crypto: WorkerPoolPartialVerifier;
  steps: AwaitedSteps;
}

/** Makes a phase's partials, then runs it open-loop, moving the chain at each burst, and reports burst by burst. */
async function runPhase(scenario: LoadScenario, clock: ApiClock, generator: LoadGenerator, url: string, o: PhaseOptions): Promise<PhaseSummary & { accepted: number }> {
  const made = scenario.makeBursts(o.count, o.perBurst, o.intervalMs, o.spreadMs, clock.now() + 60);
  // Making the partials (tens of seconds of signing) leaves old-space garbage that V8 would otherwise collect in the
  // middle of the phase: the bench's, not the api's.
  collectSetUpGarbage();
  const startAtMs = wallMs() + PHASE_START_DELAY_MS;
  scenario.receiveAt(made, clock.secondsAt(startAtMs), o.intervalMs, o.receive);
  const spread = o.spreadMs >= o.intervalMs ? 'evenly over the whole interval' : `within ${fmt(o.spreadMs / 1000, 2)} s`;
  console.log(
    `  ${o.label}: ${o.count} signage points ${fmt(o.intervalMs / 1000, 3)} s apart, ${fmt(o.perBurst)} partials each (${fmt((1000 * o.perBurst) / o.intervalMs)}/s mean) arriving ${spread}...`,
  );
  // The chain learns each signage point SP_LEAD_MS before its node receive time, and never earlier: a burst's all at
  // once, a steady interval's one by one.
  const moves = made.flatMap((burst, i) =>
    o.receive === 'burst start'
      ? [{ dueMs: startAtMs + i * o.intervalMs - SP_LEAD_MS, entry: burst.entries[burst.entries.length - 1]! }]
      : burst.entries.map((entry, e) => ({ dueMs: startAtMs + burst.firstDueMs[e]! - SP_LEAD_MS, entry })),
  );
  const timers = moves.map(({ dueMs, entry }) =>
    setTimeout(() => {
      scenario.advanceLagMs.push(wallMs() - dueMs);
      scenario.advanceTo(entry);
    }, Math.max(0, dueMs - wallMs())),
  );
  const cpu = cpuMeter(o.crypto, o.steps);
  const profile = await mainThreadProfile(o.label);
  const result = await generator.run({ mode: 'open', url, partials: made.flatMap((b) => b.partials), startAtMs, connectionsPerFarmer: FARMER_CONNECTIONS });
  await profile.stop();
  timers.forEach(clearTimeout);
  const summary = summarizePhase(o, made, result);
  const cpuLine = cpu.line(o.label, summary.accepted, result.cpuMs);
  console.log(`  ${cpuLine}`);
  return { ...summary, lines: [...summary.lines, cpuLine] };
}

/** With BENCH_LOAD_PROFILE, profiles this (the api's main) thread until stop(), into a file named after the phase. */
async function mainThreadProfile(label: string): Promise<{ stop(): Promise<void> }> {
  if (PROFILE_DIR === undefined) return { stop: async () => undefined };
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop() {
      const { profile } = await session.post('Profiler.stop');
      mkdirSync(PROFILE_DIR, { recursive: true });
      const file = join(PROFILE_DIR, `${label.replace(/[^a-z0-9]+/gi, '-')}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
      console.log(`  ${label}: the api main thread's CPU profile is in ${file}`);
    },
  };
}

/** The wall time of each call of the steps a partial awaits, phase by phase: where its latency went. */
class AwaitedSteps {
  private readonly times = new Map<string, number[]>();

  /** Replaces `target[method]` with itself timed under `step`. */
  time<T extends object>(step: string, target: T, method: keyof T & string): void {
    const times: number[] = [];
    this.times.set(step, times);
    timeMethod(target, method, (_syncMs, ms) => times.push(ms));
  }

  /** Each step's p50, p99 and max since the last call, and its calls. */
  take(): string {
    const parts = [...this.times].map(([step, times]) => {
      const sorted = times.splice(0).sort((a, b) => a - b);
      return `${step} p50 ${fmt(percentile(sorted, 50), 1)}, p99 ${fmt(percentile(sorted, 99), 1)}, max ${fmt(sorted[sorted.length - 1] ?? NaN, 1)} ms (${fmt(sorted.length)} calls)`;
    });
    return `awaited: ${parts.join('; ')}`;
  }
}

/**
 * Where the CPU went while a phase ran (the api's main thread, the load generator's thread, the whole process; the crypto
 * threads' batch sizes, which fall when partials come one by one and raise the BLS cost per partial), so
 * that a phase that falls behind shows whether the api's main thread was the bottleneck or the machine was busy; and
 * how long the main thread was stalled at worst (event-loop delay), which tells a stall of its own from a wait elsewhere;
 * and the awaited steps' times over the phase (AwaitedSteps).
 */
function cpuMeter(crypto: WorkerPoolPartialVerifier, steps: AwaitedSteps): { line(label: string, accepted: number, generatorMs: number | undefined): string } {
  steps.take();
  const crypto0 = crypto.stats();
  const elu = performance.eventLoopUtilization();
  const process0 = process.cpuUsage();
  const main0 = threadCpuMs('main');
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  return {
    line(label, accepted, generatorMs) {
      delay.disable();
      const busy = performance.eventLoopUtilization(elu);
      const proc = process.cpuUsage(process0);
      const main1 = threadCpuMs('main');
      const crypto1 = crypto.stats();
      const jobs = Math.max(1, crypto1.jobs - crypto0.jobs);
      const per = (ms: number | undefined): string => (ms === undefined ? 'n/a' : fmt(ms / Math.max(1, accepted), 2));
      return (
        `${label}: api main thread event-loop utilisation ${fmt(100 * busy.utilization, 1)} %, event-loop delay p99 ${fmt(delay.percentile(99) / 1e6, 1)} ms, max ${fmt(delay.max / 1e6, 1)} ms; CPU ms per accepted partial: api main thread ` +
        `${per(main0 === undefined || main1 === undefined ? undefined : main1 - main0)}, load generator ${per(generatorMs)}, whole process ${per((proc.user + proc.system) / 1000)}; ` +
        `crypto batches of ${fmt(jobs / Math.max(1, crypto1.batches - crypto0.batches), 1)} jobs on average, ` +
        `${fmt((crypto1.signatureMs - crypto0.signatureMs) / jobs, 2)} ms of BLS and ${fmt((crypto1.proofMs - crypto0.proofMs) / jobs, 2)} ms of proof of space per job ` +
        `(the threads' wall time: it counts the time they waited for a core); ${steps.take()}`
      );
    },
  };
}

function summarizePhase(o: PhaseOptions, made: Burst[], result: PhaseResult): PhaseSummary & { accepted: number } {
  const all = made.flatMap((b) => b.partials);
  const lines: string[] = [];
  let met = true;
  const tooLate = (outcome: string): boolean => outcome === PoolErrorCode[PoolErrorCode.TOO_LATE];
  made.forEach((burst, i) => {
    const indexes = all.map((p, j) => (p.burst === i ? j : -1)).filter((j) => j >= 0);
    const latencies = indexes.map((j) => result.latenciesMs[j]!).sort((a, b) => a - b);
    const outcomes = indexes.map((j) => result.outcomes[j]!);
    const drainedAt = Math.max(...indexes.map((j) => result.answeredAtMs[j]!)) - i * o.intervalMs;
    const late = outcomes.filter(tooLate).length;
    const drained = drainedAt <= o.intervalMs;
    met &&= drained && late === 0;
    // A steady interval's partials arrive until its end: only a burst can be drained before the next signage point.
    const drainedText = o.spreadMs >= o.intervalMs ? '' : ` (${drained ? 'drained' : 'NOT drained'} before the next)`;
    lines.push(
      `${o.label} ${i + 1}/${made.length}: ${fmt(burst.partials.length)} partials (${burst.entries.length} devnet signage points), latency from arrival ` +
        `p50 ${fmt(percentile(latencies, 50), 1)} ms, p99 ${fmt(percentile(latencies, 99), 1)} ms, max ${fmt(latencies[latencies.length - 1] ?? NaN, 1)} ms; ` +
        `last answer ${fmt(drainedAt / 1000, 2)} s after the signage point${drainedText}; too late ${late}; ` +
        `outcomes ${JSON.stringify(tally(outcomes))}`,
    );
  });
  const sorted = [...result.latenciesMs].sort((a, b) => a - b);
  const validSorted = all.map((p, j) => (p.valid ? result.latenciesMs[j]! : NaN)).filter((ms) => !Number.isNaN(ms)).sort((a, b) => a - b);
  const accepted = count(result.outcomes, 'accepted');
  // From the first signage point to the last answer (at least the phase's signage point intervals): a phase the api
  // drains late is not credited with the rate it was offered.
  const seconds = Math.max(made.length * o.intervalMs, result.wallMs) / 1000;
  const steadyMet = percentile(sorted, 99) < STEADY_P99_TARGET_MS && result.outcomes.filter(tooLate).length === 0;
  lines.push(
    `${o.label} overall: ${fmt(accepted)} accepted of ${fmt(all.length)} sent; ${fmt(seconds, 1)} s from the first signage point to the last answer = ${fmt(accepted / seconds)} accepted/s; latency from arrival ` +
      `p50 ${fmt(percentile(sorted, 50), 1)} ms, p99 ${fmt(percentile(sorted, 99), 1)} ms, max ${fmt(sorted[sorted.length - 1] ?? NaN, 1)} ms ` +
      `(valid partials only: p99 ${fmt(percentile(validSorted, 99), 1)} ms); too late ${result.outcomes.filter(tooLate).length}; ` +
      `errors ${JSON.stringify(tally(result.outcomes.filter((x) => x !== 'accepted')))}`,
  );
  for (const line of lines) console.log(`  ${line}`);
  return { lines, met: o.spreadMs >= o.intervalMs ? steadyMet : met, accepted };
}

/**
 * Settles every partial of the ledger as the worker's confirmer does once the confirmation delay has passed: the
 * worker's PartialConfirmer and the ledger's command handlers, SETTLEMENT_SHARDS of them side by side over disjoint
 * partials (one settles one partial at a time, which would make this step longer than the load itself).
 */
async function settleAll(scenario: LoadScenario, store: EventStore, clock: ApiClock, delaySeconds: number, name: string): Promise<string[]> {
  const started = performance.now();
  const context = await NestFactory.createApplicationContext(LedgerCommandsModule.forStore(store), { logger: false });
  try {
    const runner = new StreamCommandRunner(store);
    const later = clock.now() + delaySeconds + 1;
    const confirmers = Array.from(
      { length: SETTLEMENT_SHARDS },
      () =>
        new PartialConfirmer({
          store,
          commandBus: context.get(CommandBus),
          chain: scenario.chain,
          farmerState: async (launcherId) => (await runner.load(farmerStream(launcherId), farmerDecider)).state,
          delaySeconds,
          now: () => later,
        }),
    );
    for (const recorded of await store.readAll({ filter: { types: ['PartialSubmitted', 'PartialConfirmed', 'PartialReverted'] } })) {
      const event = decodePoolEvent(recorded);
      const proofHash = event === undefined ? undefined : (event.data as { proofHash?: string | null }).proofHash;
      if (event === undefined || typeof proofHash !== 'string') continue;
      confirmers[Number.parseInt(proofHash.slice(-4), 16) % SETTLEMENT_SHARDS]!.track(event);
    }
    const settled = (await Promise.all(confirmers.map((confirmer) => confirmer.settleDue()))).reduce((a, b) => a + b, 0);
    return [
      `${name}: settlement: ${fmt(settled)} partials settled by the worker's PartialConfirmer (${SETTLEMENT_SHARDS} side by side) in ${fmt((performance.now() - started) / 1000, 1)} s`,
    ];
  } finally {
    await context.close();
  }
}

interface StoreSize {
  /** Bytes of the event tables and their indexes. */
  bytes: number;
  /** The same bytes by table and by index (an index named by its columns). */
  parts: Map<string, number>;
  /** The newest global position (events after it are the run's). */
  head: number;
}

function sqliteFile(adapter: BenchAdapter): string {
  return adapter.eventStoreUrl.replace(/^sqlite:/, '');
}

function pgSchema(adapter: BenchAdapter): string {
  const schema = new URL(adapter.eventStoreUrl).searchParams.get('schema');
  if (schema === null) throw new Error(`no schema in ${adapter.eventStoreUrl}`);
  return schema;
}

/**
 * SQLite: the pages (dbstat) of the ledger's tables (es_events; es_streams in format 1; es_stream_names, es_event_types
 * and es_values in format 3) and of their indexes; PostgreSQL: the ledger's tables (LEDGER_TABLES: es_events; es_streams
 * in format 1; es_values and es_event_types in format 3), each with its TOAST, and their indexes (together what
 * pg_total_relation_size counts).
 */
async function storeSize(adapter: BenchAdapter, vacuumFull = false): Promise<StoreSize> {
  if (adapter.name === 'sqlite') {
    const db = new Database(sqliteFile(adapter), { readonly: true });
    try {
      const trees = db
        .prepare(
          `SELECT m.type, m.tbl_name AS tbl, m.name, SUM(d.pgsize) AS bytes FROM dbstat d JOIN sqlite_master m ON m.name = d.name
            WHERE m.tbl_name IN ('es_events', 'es_streams', 'es_stream_names', 'es_event_types', 'es_values') GROUP BY m.name`,
        )
        .all() as { type: string; tbl: string; name: string; bytes: number }[];
      const label = (tree: (typeof trees)[number]): string =>
        tree.type === 'table' ? tree.tbl : `${tree.tbl}(${(db.pragma(`index_info('${tree.name}')`) as { name: string }[]).map((c) => c.name).join(', ')}) index`;
      const head = db.prepare('SELECT COALESCE(MAX(global_position), 0) AS head FROM es_events').get() as { head: number };
      return { bytes: trees.reduce((n, t) => n + t.bytes, 0), parts: new Map(trees.map((t) => [label(t), t.bytes])), head: head.head };
    } finally {
      db.close();
    }
  }
  const schema = pgSchema(adapter);
  const client = new Client({ connectionString: adapter.eventStoreUrl.replace(/[?&]schema=[^&]*/, '') });
  await client.connect();
  try {
    // Format 1 has es_streams, format 2 only es_events, format 3 es_values and es_event_types besides.
    const { rows: tables } = await client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = $1 AND c.relname = ANY($2) AND c.relkind = 'r'`,
      [schema, LEDGER_TABLES],
    );
    if (vacuumFull) await client.query(`VACUUM FULL ${tables.map((t) => `"${schema}".${t.name}`).join(', ')}`);
    // Each table (with its TOAST) and each of its indexes, named by its columns.
    const { rows } = await client.query<{ label: string; bytes: string }>(
      `SELECT c.relname AS label, pg_table_size(c.oid) AS bytes FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
        WHERE s.nspname = $1 AND c.relname = ANY($2) AND c.relkind = 'r'
       UNION ALL
       SELECT t.relname || '(' || (SELECT string_agg(a.attname, ', ' ORDER BY k.n) FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)
                                     JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum) || ') index',
              pg_relation_size(i.indexrelid)
         FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace s ON s.oid = t.relnamespace
        WHERE s.nspname = $1 AND t.relname = ANY($2)`,
      [schema, LEDGER_TABLES],
    );
    const head = await client.query<{ head: string }>(`SELECT COALESCE(MAX(global_position), 0) AS head FROM "${schema}".es_events`);
    const parts = new Map(rows.map((r) => [r.label, Number(r.bytes)]));
    return { bytes: [...parts.values()].reduce((n, b) => n + b, 0), parts, head: Number(head.rows[0]!.head) };
  } finally {
    await client.end();
  }
}

/** The tables a PostgreSQL ledger of any format may have. */
const LEDGER_TABLES = ['es_events', 'es_streams', 'es_values', 'es_event_types'];

/** Bytes of store per accepted partial since `before`, and where they go by event type. */
async function storeBytes(adapter: BenchAdapter, before: StoreSize, accepted: number): Promise<string[]> {
  const name = adapter.name;
  const after = await storeSize(adapter);
  const lines = [
    `${name}: store (ledger format ${NEWEST_LEDGER_FORMAT[adapter.name === 'sqlite' ? 'sqlite' : 'postgres']}): ${fmt(after.bytes - before.bytes)} bytes (the ledger's tables with their indexes) added for ${fmt(accepted)} accepted partials = ` +
      `${fmt((after.bytes - before.bytes) / Math.max(1, accepted))} bytes per accepted partial over its life (target <= 400; includes the refusals and difficulty changes of the run)`,
  ];
  const share = [...after.parts]
    .map(([part, bytes]) => [part, (bytes - (before.parts.get(part) ?? 0)) / Math.max(1, accepted)] as const)
    .sort((a, b) => b[1] - a[1]);
  lines.push(`${name}: where those bytes per accepted partial are: ${share.map(([part, bytes]) => `${part} ${fmt(bytes)}`).join(', ')}`);
  if (adapter.name !== 'sqlite') {
    const compact = await storeSize(adapter, true);
    lines.push(`${name}: store after VACUUM FULL (dead row versions gone): ${fmt((compact.bytes - before.bytes) / Math.max(1, accepted))} bytes per accepted partial`);
  }
  const byType = await bytesByType(adapter, before.head);
  lines.push(
    `${name}: events of the run by type (count, average bytes of data / metadata / ${adapter.name === 'sqlite' ? 'data+metadata+ids+type' : 'whole row (pg_column_size)'}): ` +
      byType.map((t) => `${t.type} ${fmt(t.count)} (${fmt(t.data)} / ${fmt(t.metadata)} / ${fmt(t.row)})`).join('; '),
  );
  const perPartial = byType.reduce((n, t) => n + t.count * t.row, 0) / Math.max(1, accepted);
  // The ledger without the refusals (the invalid and late partials) and the farmers' difficulty changes: a partial's own events.
  const own = byType.filter((t) => t.type.startsWith('Partial') && t.type !== 'PartialRefused').reduce((n, t) => n + t.count * t.row, 0) / Math.max(1, accepted);
  lines.push(
    `${name}: those rows alone (no page or tuple overhead, no indexes): ${fmt(perPartial)} bytes per accepted partial; ` +
      `of which the partials' own events (${byType.filter((t) => t.type.startsWith('Partial') && t.type !== 'PartialRefused').map((t) => t.type).join(', ')}): ${fmt(own)}`,
  );
  return lines;
}

interface TypeBytes {
  type: string;
  count: number;
  data: number;
  metadata: number;
  row: number;
}

/** The bytes SQLite stores a positive integer column in (its record format's 1, 2, 3, 4 or 6 byte integers). */
const INTEGER_BYTES_SQL = (column: string): string =>
  `CASE WHEN ${column} < 128 THEN 1 WHEN ${column} < 32768 THEN 2 WHEN ${column} < 8388608 THEN 3 WHEN ${column} < 2147483648 THEN 4 ELSE 6 END`;

async function bytesByType(adapter: BenchAdapter, after: number): Promise<TypeBytes[]> {
  if (adapter.name === 'sqlite') {
    const db = new Database(sqliteFile(adapter), { readonly: true });
    try {
      // Format 3 rows hold numbers for their stream and type (their names are stored once, in tables of their own).
      const numbered = db.pragma('user_version', { simple: true }) === 3;
      const [type, stream, source] = numbered
        ? ['t.name', `(${INTEGER_BYTES_SQL('stream')} + ${INTEGER_BYTES_SQL('e.type')})`, 'es_events e JOIN es_event_types t ON t.id = e.type']
        : ['type', 'LENGTH(CAST(stream_id AS BLOB)) + LENGTH(CAST(type AS BLOB))', 'es_events'];
      return db
        .prepare(
          `SELECT ${type} AS type, COUNT(*) AS count, AVG(LENGTH(CAST(data AS BLOB))) AS data, AVG(LENGTH(CAST(metadata AS BLOB))) AS metadata,
                  AVG(LENGTH(CAST(data AS BLOB)) + LENGTH(CAST(metadata AS BLOB)) + LENGTH(CAST(event_id AS BLOB)) + ${stream}) AS row
             FROM ${source} WHERE global_position > ? GROUP BY ${type} ORDER BY count DESC`,
        )
        .all(after) as TypeBytes[];
    } finally {
      db.close();
    }
  }
  const schema = pgSchema(adapter);
  const client = new Client({ connectionString: adapter.eventStoreUrl.replace(/[?&]schema=[^&]*/, '') });
  await client.connect();
  try {
    // Format 3 rows hold their type's number in es_event_types (type_id).
    const numbered = (await client.query(`SELECT to_regclass(format('%I.es_event_types', $1::text)) IS NOT NULL AS numbered`, [schema])).rows[0]?.numbered === true;
    const [type, source] = numbered ? ['t.name', `"${schema}".es_events e JOIN "${schema}".es_event_types t ON t.id = e.type_id`] : ['e.type', `"${schema}".es_events e`];
    const { rows } = await client.query<{ type: string; count: string; data: string; metadata: string; row: string }>(
      `SELECT ${type} AS type, COUNT(*) AS count, AVG(pg_column_size(e.data)) AS data, AVG(pg_column_size(e.metadata)) AS metadata, AVG(pg_column_size(e.*)) AS row
         FROM ${source} WHERE e.global_position > $1 GROUP BY ${type} ORDER BY COUNT(*) DESC`,
      [after],
    );
    return rows.map((r) => ({ type: r.type, count: Number(r.count), data: Number(r.data), metadata: Number(r.metadata), row: Number(r.row) }));
  } finally {
    await client.end();
  }
}

const count = (outcomes: readonly string[], outcome: string): number => outcomes.filter((x) => x === outcome).length;

function tally(outcomes: readonly string[]): Record<string, number> {
  const all: Record<string, number> = {};
  for (const outcome of outcomes) all[outcome] = (all[outcome] ?? 0) + 1;
  return all;
}

/**
 * The load generator runs on its own thread so that its HTTP client does not share the api's event loop. One thread
 * for an adapter's whole run: the farmers' connections are kept from phase to phase, as a real farmer keeps its
 * connection to the pool, so no burst measures connections being opened.
 */
class LoadGenerator {
  private readonly worker = new Worker(__filename);

  run(job: LoadJob): Promise<PhaseResult> {
    return askThread<PhaseResult>(this.worker, job);
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

/** Posts one partial and says what came of it: 'accepted', the error code's name, 'rate limited' or 'failed: ...'. */
async function post(agent: Agent, target: URL, body: string, from?: string): Promise<string> {
  try {
    const outcome = outcomeOf(await postPartialFrom(agent, target, body, from));
    const code = /^error (\d+)$/.exec(outcome)?.[1];
    return code === undefined ? outcome : (PoolErrorCode[Number(code)] ?? outcome);
  } catch (error) {
    return `failed: ${(error as Error).message}`;
  }
}

/** Open loop: each partial is sent when due, from its farmer's address, whatever the answers before it take. */
async function openLoad(job: Extract<LoadJob, { mode: 'open' }>): Promise<PhaseResult> {
  const target = new URL('/partial', job.url);
  const agentFor = (from: string): Agent => {
    const key = `${job.url} ${from}`;
    let agent = farmerAgents.get(key);
    if (agent === undefined) farmerAgents.set(key, (agent = new Agent({ keepAlive: true, maxSockets: job.connectionsPerFarmer })));
    return agent;
  };
  const n = job.partials.length;
  const result: PhaseResult = { latenciesMs: new Array<number>(n), outcomes: new Array<string>(n), answeredAtMs: new Array<number>(n), wallMs: 0 };
  const cpuBefore = threadCpuMs('this');
  await Promise.all(
    job.partials.map(async (partial, i) => {
      const due = job.startAtMs + partial.atMs;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - wallMs())));
      result.outcomes[i] = await post(agentFor(partial.from), target, partial.body, partial.from);
      const answered = wallMs();
      result.latenciesMs[i] = answered - due;
      result.answeredAtMs[i] = answered - job.startAtMs;
    }),
  );
  result.wallMs = wallMs() - job.startAtMs;
  const cpuAfter = threadCpuMs('this');
  if (cpuBefore !== undefined && cpuAfter !== undefined) result.cpuMs = cpuAfter - cpuBefore;
  return result;
}

/** Closed loop: `connections` requests in flight, each connection sending its next partial when answered. */
async function closedLoad(job: Extract<LoadJob, { mode: 'closed' }>): Promise<PhaseResult> {
  const target = new URL('/partial', job.url);
  const agent = new Agent({ keepAlive: true, maxSockets: job.connections });
  const outcomes: string[] = [];
  let next = 0;
  const started = wallMs();
  const cpuBefore = threadCpuMs('this');
  await Promise.all(
    Array.from({ length: job.connections }, async () => {
      for (let i = next++; i < job.bodies.length; i = next++) outcomes.push(await post(agent, target, job.bodies[i]!));
    }),
  );
  agent.destroy();
  const cpuAfter = threadCpuMs('this');
  const cpuMs = cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore;
  return { latenciesMs: [], outcomes, answeredAtMs: [], wallMs: wallMs() - started, ...(cpuMs === undefined ? {} : { cpuMs }) };
}

/** In the load generator's thread: each farmer's connections (by api url and farmer address), kept between phases. */
const farmerAgents = new Map<string, Agent>();

/** The load generator's thread: runs each job it is sent and answers with its result. */
function serveLoadJobs(): void {
  parentPort!.on('message', (job: LoadJob) => {
    const target = new URL(job.url);
    if (target.hostname !== '127.0.0.1' && target.hostname !== 'localhost') throw new Error(`refusing to load ${target.hostname}: loopback only`);
    void (job.mode === 'open' ? openLoad(job) : closedLoad(job)).then((result) => parentPort!.postMessage(result));
  });
}

async function main(): Promise<void> {
  console.log(
    `load benchmark: ${FARMERS} farmers (k=${PLOT_K}), signage points every ${fmt(SP_SECONDS, 3)} s` +
      `${process.env.BENCH_LOAD_SP_SECONDS === undefined ? " (mainnet's interval)" : ' (BENCH_LOAD_SP_SECONDS, shorter than mainnet)'}, ` +
      `${BURSTS} bursts at ${fmt(100 * BURST_SHARE)} % of saturation then ${fmt(STEADY_SECONDS, 1)} s steady at ${fmt(100 * STEADY_SHARE)} %, ${fmt(100 * INVALID_SHARE, 1)} % invalid partials; ` +
      `crypto batches of at most ${CRYPTO_BATCH ?? DEFAULT_CRYPTO_BATCH}${CRYPTO_BATCH === undefined ? '' : ' (BENCH_LOAD_CRYPTO_BATCH)'}; ` +
      inProcessApiFlags(),
  );
  const scenario = new LoadScenario(await loadBls());
  await scenario.startNode();
  const summary: string[] = [];
  try {
    if (STORES.has('sqlite')) summary.push(...(await runAdapter(scenario, sqliteBenchAdapter('load'))));
    if (STORES.has('postgres')) {
      const pg = await postgresBenchAdapter('load');
      if (typeof pg === 'string') summary.push(`postgres skipped: ${pg}`);
      else summary.push(...(await runAdapter(scenario, pg)));
    }
    const lag = [...scenario.advanceLagMs].sort((a, b) => a - b);
    summary.push(`the chain's moves to each burst's signage points ran late by p50 ${fmt(percentile(lag, 50), 1)} ms, max ${fmt(lag[lag.length - 1] ?? NaN, 1)} ms (lead ${SP_LEAD_MS} ms)`);
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
  serveLoadJobs();
}
