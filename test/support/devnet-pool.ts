import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LogLevel } from '@nestjs/common';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { FullNodeRpcClient, loadBls, type BlsBackend, type PosConsensusConstants } from '@pool/chia';
import { loadPoolConfig, type ConnectionLimitSettings, type PoolConfig, type PoolSettings, type RateLimitSettings } from '@pool/config';
import {
  DevnetChain,
  DEVNET_NETWORK,
  ensureDevnetChiaRoot,
  ManualClock,
  PlotCache,
  posConstantsFor,
  SimulatedFarmer,
  startFullNodeRpcServer,
  type RunningRpcServer,
  type SimulatedFarmerOptions,
  type WalletBehaviour,
} from '@pool/devnet';
import { SqliteEventStore } from '@pool/event-store';
import { ReadModelDatabase } from '@pool/read-models';
import { createApiServer, type ApiDependencies } from '@pool/api';

export interface DevnetPoolOptions {
  settings?: Partial<PoolSettings>;
  logger?: LogLevel[];
  /** Default: on, but far above what any spec sends from 127.0.0.1 (the rate limit specs set their own). */
  rateLimits?: Partial<RateLimitSettings>;
  /** Default: the pool's own (the connection-limit spec sets short ones). */
  connections?: Partial<ConnectionLimitSettings>;
  /** How a devnet wallet a spec makes builds payouts (harness.walletBehaviour); default POOL_E2E_WALLET_BEHAVIOUR or 'chia'. */
  walletBehaviour?: WalletBehaviour;
  /** The farmer area's notification targets (a spec's local webhook receiver needs allowLocalUrls). */
  notificationTargets?: ApiDependencies['notificationTargets'];
}

/**
 * The harness's node knows every signage point its farmers see (they share the chain), so waiting for an unknown
 * one would only slow the specs that send unknown points on purpose; the spec of that wait sets its own. Rate
 * limits stay on (every request passes the hooks) with budgets no spec comes near.
 */
// A devnet's coins are on no public explorer: no links, as `poolctl devnet run` shows none.
const HARNESS_DEFAULTS = { settings: { signagePointWaitSeconds: 0, explorerCoinUrl: null }, rateLimits: { perAddressPerMinute: 1_000_000, perLauncherPerMinute: 1_000_000 } };

/**
 * The e2e harness: a devnet on a manual clock served over mutual-TLS RPC, the pool api (on SQLite in a
 * temporary folder) reaching it through its real client, and simulated farmers with deterministic seeds,
 * so their plots come from the on-disk cache after the first run.
 */
export class DevnetPoolHarness {
  readonly clock = new ManualClock();
  readonly chain = new DevnetChain({ clock: this.clock, networkBlockEverySignagePoints: 0 });
  readonly constants: PosConsensusConstants = posConstantsFor(DEVNET_NETWORK);
  readonly now = (): number => this.clock.now() / 1000;
  readonly poolTarget: string;
  /** What a spec passes to the DevnetWallet it pays from (a payout spec runs under both). */
  readonly walletBehaviour: WalletBehaviour;
  bls!: BlsBackend;
  store!: SqliteEventStore;
  readModels!: ReadModelDatabase;
  app!: NestFastifyApplication;
  poolUrl!: string;
  config!: PoolConfig;
  plots!: PlotCache;
  client!: FullNodeRpcClient;
  private node?: RunningRpcServer;
  private dir?: string;

  constructor(
    private readonly label: string,
    private readonly options: DevnetPoolOptions = {},
  ) {
    this.poolTarget = this.hash('pool target').toString('hex');
    this.walletBehaviour = options.walletBehaviour ?? (process.env.POOL_E2E_WALLET_BEHAVIOUR === 'shuffled' ? 'shuffled' : 'chia');
  }

  /** A deterministic 32-byte value for `name` in this harness. */
  hash(name: string): Buffer {
    return createHash('sha256').update(`${this.label} e2e: ${name}`).digest();
  }

  async start(): Promise<void> {
    this.dir = mkdtempSync(join(tmpdir(), `pool-e2e-${this.label}-`));
    const chiaRoot = join(this.dir, 'chia');
    this.bls = await loadBls();
    this.plots = new PlotCache();
    ensureDevnetChiaRoot(chiaRoot);
    this.node = await startFullNodeRpcServer(this.chain, { chiaRoot });
    this.client = FullNodeRpcClient.fromChiaRoot({ host: '127.0.0.1', port: this.node.port, tls: { chiaRoot } });
    this.store = new SqliteEventStore({ path: join(this.dir, 'events.db') });
    this.readModels = await ReadModelDatabase.open(`sqlite:${join(this.dir, 'read-models.db')}`);
    const base = loadPoolConfig({});
    this.config = {
      ...base,
      settings: { ...base.settings, targetPuzzleHash: this.poolTarget, confirmationSecurityThreshold: 4, ...HARNESS_DEFAULTS.settings, ...this.options.settings },
      rateLimits: { ...base.rateLimits, ...HARNESS_DEFAULTS.rateLimits, ...this.options.rateLimits },
      connections: { ...base.connections, ...this.options.connections },
    };
    this.app = await createApiServer(
      {
        config: this.config,
        store: this.store,
        readModels: this.readModels,
        chain: this.client,
        bls: this.bls,
        constants: this.constants,
        clock: this.now,
        ...(this.options.notificationTargets === undefined ? {} : { notificationTargets: this.options.notificationTargets }),
      },
      this.options.logger ?? ['error'],
    );
    await this.app.listen(0, '127.0.0.1');
    this.poolUrl = await this.app.getUrl();
  }

  /** The ledger's URL, as poolctl takes it (--event-store). */
  get eventStoreUrl(): string {
    if (this.dir === undefined) throw new Error('the harness is not started');
    return `sqlite:${join(this.dir, 'events.db')}`;
  }

  /** This devnet's node as a farmer names its own: an address, and the CHIA_ROOT holding the certificates. */
  nodeAddress(): { address: string; chiaRoot: string } {
    if (this.node === undefined || this.dir === undefined) throw new Error('the harness is not started');
    return { address: `127.0.0.1:${this.node.port}`, chiaRoot: join(this.dir, 'chia') };
  }

  /** A simulated farmer whose keys (and so plot NFT and plots) are the same every run. */
  farmer(name: string, plotK = 18): SimulatedFarmer {
    return new SimulatedFarmer(this.farmerOptions(`farmer ${name}`, plotK));
  }

  /** What any simulated farmer (v1, v2, misbehaving) needs to farm on this devnet: keys from `seedLabel`, this pool. */
  farmerOptions(seedLabel: string, plotK = 18): SimulatedFarmerOptions {
    return { bls: this.bls, seed: this.hash(seedLabel), chain: this.chain, constants: this.constants, plots: this.plots, plotK, poolUrl: this.poolUrl, now: this.now };
  }

  async stop(): Promise<void> {
    await this.app?.close();
    this.client?.close();
    await this.node?.close();
    await this.readModels?.close();
    await this.store?.close();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}
