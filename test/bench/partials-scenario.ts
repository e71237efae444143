import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { type Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type Worker } from 'node:worker_threads';
import { FullNodeRpcClient, PoolErrorCode, PostPartialRequestLegacySchema, stringifyChiaJson, type BlsBackend, type PostPartialRequest } from '@pool/chia';
import {
  DevnetChain,
  DEVNET_NETWORK,
  ensureDevnetChiaRoot,
  ManualClock,
  PlotCache,
  posConstantsFor,
  SimulatedFarmer,
  startFullNodeRpcServer,
  type DevnetChainOptions,
  type SimulatedFarmerOptions,
} from '@pool/devnet';

/*
 * What the partials benchmarks share (partials.bench.ts, load.bench.ts): the devnet chain behind its mutual-TLS RPC
 * server, the farmers with their plot NFTs and k=18 plots, posting a partial over HTTP, and the figures' helpers.
 */

export const PLOT_K = 18;

export const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
export const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Farmer i's own loopback address in the 127.<subnet>.x.y block: 250 farmers to each x. */
export const farmerAddress = (subnet: number, farmer: number): string => `127.${subnet}.${1 + Math.floor(farmer / 250)}.${1 + (farmer % 250)}`;

/** Honest farmer i sends from its own loopback address, as each farmer of a real pool has its own. */
export const honestAddress = (farmer: number): string => farmerAddress(0, farmer);

/** A partial as the farmer sends it: its JSON body. */
export const partialBody = (partial: PostPartialRequest): string => stringifyChiaJson(PostPartialRequestLegacySchema.toJson(partial));

/**
 * The devnet, its RPC server and the farmers, shared by every adapter's run. The farmers' seeds and the pool target
 * are fixed, so the plot NFTs (and so the plot ids) come out the same on every run of every bench and the plot cache hits.
 */
export class BenchDevnet {
  readonly constants = posConstantsFor(DEVNET_NETWORK);
  readonly clock = new ManualClock();
  readonly chain: DevnetChain;
  readonly dir = mkdtempSync(join(tmpdir(), 'pool-bench-partials-chain-'));
  /** Seconds; undefined follows the chain's clock, a number pins the api's and the farmers' clock. */
  pinnedAt: number | undefined;
  readonly now = (): number => this.pinnedAt ?? this.clock.now() / 1000;
  readonly poolTarget = createHash('sha256').update('partials bench pool').digest('hex');
  farmers: { farmer: SimulatedFarmer; options: SimulatedFarmerOptions }[] = [];
  node?: Awaited<ReturnType<typeof startFullNodeRpcServer>>;

  constructor(
    readonly bls: BlsBackend,
    readonly farmerCount: number,
    chainOptions: Omit<DevnetChainOptions, 'clock' | 'networkBlockEverySignagePoints'> = {},
  ) {
    this.chain = new DevnetChain({ ...chainOptions, clock: this.clock, networkBlockEverySignagePoints: 0 });
  }

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
    for (let i = 0; i < this.farmerCount; i++) {
      const seed = createHash('sha256').update(`partials bench farmer ${i}`).digest();
      const options: SimulatedFarmerOptions = { bls: this.bls, seed, chain: this.chain, constants: this.constants, plots, plotK: PLOT_K, poolUrl, now: this.now };
      const farmer = new SimulatedFarmer(options);
      await farmer.joinPool();
      this.farmers.push({ farmer, options });
      if ((i + 1) % 10 === 0) console.log(`  ${i + 1}/${this.farmerCount} farmers joined (${fmt((performance.now() - started) / 1000, 1)} s)`);
    }
    this.chain.farmBlocks(6);
    console.log(`  plot cache: ${JSON.stringify(plots.stats)}`);
  }

  async registerFarmers(poolUrl: string): Promise<void> {
    for (const { farmer } of this.farmers) {
      farmer.pointAt(poolUrl);
      const answer = await farmer.register();
      if (answer.error_code !== undefined) throw new Error(`registration refused: ${JSON.stringify(answer)}`);
      // Its kept-alive connection would count against the api's per-address cap while the load runs from 127.0.0.1.
      farmer.close();
    }
  }
}

/** POST /partial from `from` (a loopback address), resolving with the answer's text. */
export function postPartialFrom(agent: Agent, target: URL, body: string, from?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        ...(from === undefined ? {} : { localAddress: from }),
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        res.on('error', reject);
      },
    );
    // As Chia's farmer (aiohttp sets TCP_NODELAY): no request waits on Nagle's algorithm for an ACK.
    req.setNoDelay(true);
    req.setTimeout(30_000, () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

/** 'accepted', 'rate limited' or 'error <code>' for the api's answer. */
export function outcomeOf(text: string): string {
  const answer = JSON.parse(text) as { error_code?: number; error_message?: string };
  if (answer.error_code === undefined) return 'accepted';
  return answer.error_code === PoolErrorCode.REQUEST_FAILED && answer.error_message?.startsWith('rate limit:') ? 'rate limited' : `error ${answer.error_code}`;
}

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
export function threadCpuMs(thread: 'main' | 'this'): number | undefined {
  return cpuMsOf(thread === 'main' ? `/proc/self/task/${process.pid}/stat` : '/proc/thread-self/stat');
}

/** A process's user + system time over all its threads, in ms; undefined once it is gone (or off Linux). */
export function processCpuMs(pid: number): number | undefined {
  return cpuMsOf(`/proc/${pid}/stat`);
}

/** utime + stime of a /proc stat file, in ms. */
function cpuMsOf(statFile: string): number | undefined {
  try {
    const stat = readFileSync(statFile, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
  } catch {
    return undefined;
  }
}

/** Posts `message` to a load-generator thread and resolves with the next message it sends back (its report). */
export function askThread<T>(worker: Worker, message: unknown): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const fail = (error: Error): void => reject(error);
    worker.once('error', fail);
    worker.once('message', (reply: T) => {
      worker.off('error', fail);
      resolve(reply);
    });
    worker.postMessage(message);
  });
}
