import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { FullNodeRpcClient, loadBls, WalletRpcClient } from '@pool/chia';
import { loadPoolConfig, type TlsFiles } from '@pool/config';
import {
  AcceleratedClock,
  devnetFarmerSeed,
  DevnetChain,
  DevnetWallet,
  type WalletBehaviour,
  DEVNET_NETWORK,
  ensureDevnetChiaRoot,
  PlotCache,
  posConstantsFor,
  SimulatedFarmer,
  SimulatedFarmerV2,
  startChainDriver,
  startFullNodeRpcServer,
  startWalletRpcServer,
} from '@pool/devnet';
import { openEventStore } from '@pool/event-store';
import { DEVNET_SPACE_CONSTANTS } from '@pool/domain';
import { createProjections } from '@pool/projections';
import { ReadModelDatabase } from '@pool/read-models';
import { composePool } from '../start/compose-pool';
import { abortableSleep } from '@pool/runtime';
import { formatXch, tallyRewards, type RewardTally } from './reward-tally';
import { payoutTotals, readPayoutSagaView, type PayoutTotals } from '../commands/payout-status';
import { assertFreshDevnetLedger, DEVNET_CHIA_ROOT, prepareDevnetDataDir } from './devnet-data-dir';
import { lockDataDir } from '../start/data-dir-lock';
import { DevnetFarming, type FarmingTally } from './devnet-farming';
import { DevnetMilestones, type MilestoneTimes } from './devnet-milestones';
import { devnetRunRateLimits, devnetRunSettings } from './devnet-settings';
import { writeDevnetClock } from './devnet-login-link';

export interface DevnetRunOptions {
  farmers: number;
  /** Devnet time runs this many times faster than real time. */
  speed: number;
  /** Real seconds to run; undefined runs until the signal aborts. */
  durationSeconds?: number;
  /** Stop once every milestone has happened (a payout confirmed); `durationSeconds` still caps the run. */
  stopAfterCycle?: boolean;
  dataDir: string;
  /** 0 picks a free port. */
  port: number;
  host: string;
  plotK: number;
  /**
   * The pool protocol each farmer speaks, taken in turn (farmer i speaks `protocols[i % length]`): by default both,
   * v1 farmers with v1 plot NFTs (absorbed rewards) and v2 farmers with Chia's v2 Plot NFTs (forwarded rewards).
   */
  protocols?: readonly FarmerProtocol[];
  /**
   * Serve the pool over https from these PEM files (default: the config's server.tls_cert_file / _key_file or
   * POOL_TLS_CERT_FILE / POOL_TLS_KEY_FILE). The farmers then talk https to https://localhost:<port> and trust
   * that certificate (and the public roots), checking it as Chia's farmer does: it must name localhost.
   */
  tls?: TlsFiles;
  /**
   * How the devnet wallet builds transactions (default 'chia', as Chia's wallet does; 'shuffled' picks the origin
   * coin, the order of spends and outputs at random and sends change to fresh addresses).
   */
  walletBehaviour?: WalletBehaviour;
  log(line: string): void;
}

export type FarmerProtocol = 1 | 2;
export const BOTH_PROTOCOLS: readonly FarmerProtocol[] = [1, 2];

export interface DevnetRunSummary extends FarmingTally {
  /** Partials the pool has confirmed so far (from the farmer_points read model). */
  partialsConfirmed: number;
  height: number;
  /** Pool rewards by state in the ledger (the reward collector's events). */
  rewards?: RewardTally;
  /** The payout saga's progress (payout streams in the ledger). */
  payouts?: PayoutTotals;
  /** Real seconds from the start of the run to each step of the cycle that happened. */
  milestones: MilestoneTimes;
  /** Real seconds the run lasted. */
  seconds: number;
}

/** Real milliseconds between two looks at the ledger for milestones, and between two summaries. */
const MILESTONE_POLL_MS = 1000;
const SUMMARY_EVERY_MS = 10_000;

/**
 * The devnet and the pool in one process: a simulated node and wallet served over mutual-TLS RPC, the pool
 * (api + worker + projector) reaching them through its real RPC client, and simulated farmers that launch plot NFTs,
 * register and send partials from real plots. It runs until the signal aborts (or the duration ends, or the cycle
 * is complete when asked to stop then) and leaves the ledger in `dataDir` for audits and rebuilds. Nothing a
 * farmer does can end it: every failure is logged once per kind and counted.
 */
export async function runDevnet(options: DevnetRunOptions, signal: AbortSignal): Promise<DevnetRunSummary> {
  // One run per data directory, taken before anything in it is looked at, let alone moved: a second run would move
  // the running one's ledger aside while it keeps writing into the moved files.
  const lock = lockDataDir(options.dataDir, { host: options.host, port: options.port });
  try {
    return await runDevnetInDataDir(options, signal, lock.note);
  } finally {
    lock.release();
  }
}

async function runDevnetInDataDir(options: DevnetRunOptions, signal: AbortSignal, lockNote: string | undefined): Promise<DevnetRunSummary> {
  const startedAt = Date.now();
  const dataDir = resolve(options.dataDir);
  const base = loadPoolConfig({ ...process.env, POOL_DATA_DIR: dataDir });
  // A busy port is the usual reason `npm start` fails; say so before anything starts (and has to be stopped again).
  await assertPortFree(options.host, options.port);
  // Before anything opens the files (or marks the directory as a devnet run's).
  const dataDirNotes = [...(lockNote === undefined ? [] : [lockNote]), ...prepareDevnetDataDir(dataDir, base)];
  // What is open, closed in reverse order however the run ends (a failure on the way up included).
  const closers: { name: string; close(): unknown }[] = [];
  const closeAll = async (): Promise<void> => {
    for (const { name, close } of closers.splice(0).reverse()) {
      await Promise.resolve()
        .then(close)
        .catch((error: unknown) => options.log(`devnet: closing the ${name}: ${(error as Error).message}`));
    }
  };
  try {
    const clock = new AcceleratedClock(options.speed);
    const now = (): number => clock.now() / 1000;
    const chain = new DevnetChain({ network: DEVNET_NETWORK, clock });
    const driver = startChainDriver(chain, 100);
    closers.push({ name: 'chain driver', close: () => driver.stop() });
    // The key the config names (chia.wallet.fingerprint) is the devnet wallet's, so the worker logs in to it as it
    // would to a real wallet before paying.
    const wallet = new DevnetWallet(chain, { behaviour: options.walletBehaviour ?? 'chia', ...(base.chia.walletFingerprint === undefined ? {} : { fingerprint: base.chia.walletFingerprint }) });
    const chiaRoot = join(dataDir, DEVNET_CHIA_ROOT);
    ensureDevnetChiaRoot(chiaRoot);
    const nodeServer = await startFullNodeRpcServer(chain, { chiaRoot });
    closers.push({ name: 'node RPC server', close: () => nodeServer.close() });
    const walletServer = await startWalletRpcServer(wallet, { chiaRoot });
    closers.push({ name: 'wallet RPC server', close: () => walletServer.close() });
    const node = FullNodeRpcClient.fromChiaRoot({ host: '127.0.0.1', port: nodeServer.port, tls: { chiaRoot } });
    closers.push({ name: 'node RPC client', close: () => node.close() });
    const walletClient = WalletRpcClient.fromChiaRoot({ host: '127.0.0.1', port: walletServer.port, tls: { chiaRoot } });
    closers.push({ name: 'wallet RPC client', close: () => walletClient.close() });

    const settings = devnetRunSettings({ ...base.settings, targetPuzzleHash: wallet.puzzleHash });
    const tls = options.tls ?? base.tls;
    const config = { ...base, chia: { ...base.chia, walletFingerprint: wallet.fingerprint }, port: options.port, host: options.host, settings, rateLimits: devnetRunRateLimits(base.rateLimits, options.farmers), ...(tls === undefined ? {} : { tls }) };
    const store = await openEventStore(config.eventStoreUrl);
    closers.push({ name: 'event store', close: () => store.close() });
    const readModels = await ReadModelDatabase.open(config.readModelsUrl);
    closers.push({ name: 'read models', close: () => readModels.close() });
    // Before the pool starts: its worker would hold an earlier run's chain facts against this run's new chain.
    await assertFreshDevnetLedger(store, readModels, config);
    const bls = await loadBls();
    const constants = posConstantsFor(DEVNET_NETWORK);
    const pool = await composePool(
      { config, store, readModels, chain: node, wallet: walletClient, bls, constants, clock: now, projections: createProjections({ space: DEVNET_SPACE_CONSTANTS }) },
      ['error', 'warn'],
    );
    // Closed in reverse: the api first.
    for (const closer of [...pool.closers].reverse()) closers.push({ name: closer.name, close: () => closer.run() });
    const api = pool.api;
    await api.listen(config.port, config.host);
    // https when the api serves TLS (getUrl says so); the farmers then check the certificate as Chia's farmer does.
    const poolUrl = (await api.getUrl()).replace('[::1]', '127.0.0.1');
    const publicUrl = poolUrl.replace(/\/\/(0\.0\.0\.0|\[::\]|127\.0\.0\.1)(?=[:/]|$)/, '//localhost');
    // A certificate names host names more often than addresses: the farmers use the public name when served TLS.
    const farmersUrl = tls === undefined ? poolUrl : publicUrl;
    const poolCa = tls === undefined ? undefined : readFileSync(tls.certFile, 'utf8');
    options.log(`devnet: pool api on ${poolUrl}, node RPC on 127.0.0.1:${nodeServer.port}, wallet RPC on 127.0.0.1:${walletServer.port}, x${options.speed}`);
    for (const note of dataDirNotes) options.log(`devnet: ${note}`);
    options.log(`devnet: dashboard ${publicUrl}/dashboard, API docs ${publicUrl}/api/docs`);
    // For `poolctl devnet login-link`: the farmers' login links are signed at devnet time, which runs ahead.
    const removeClock = writeDevnetClock(dataDir, { poolUrl: publicUrl, speed: options.speed, realMs: Date.now(), devnetMs: clock.now(), pid: process.pid });
    closers.push({ name: 'devnet clock note', close: removeClock });
    options.log(`devnet: a farmer's settings: \`npm run poolctl -- devnet login-link <launcher id>\` prints its login link`);
    options.log(
      `devnet: plot NFTs and rewards buried by ${settings.confirmationSecurityThreshold} blocks, partials confirmed after ${settings.partialConfirmationDelay} devnet s, ` +
        `payouts every ${settings.payouts.intervalSeconds} s (minimum ${formatXch(settings.payouts.minimumPayout)} XCH)`,
    );

    const milestones = await DevnetMilestones.start(store, startedAt, options.log);
    const stop = new AbortController();
    const abort = (): void => stop.abort();
    signal.addEventListener('abort', abort, { once: true });
    if (signal.aborted) abort();
    const timer = options.durationSeconds === undefined ? undefined : setTimeout(abort, options.durationSeconds * 1000);
    const plots = new PlotCache();
    const protocols = options.protocols ?? BOTH_PROTOCOLS;
    const farmers = Array.from({ length: options.farmers }, (_, i) => {
      const farmerOptions = {
        bls,
        seed: devnetFarmerSeed(i),
        chain,
        constants,
        plots,
        plotK: options.plotK,
        poolUrl: farmersUrl,
        ...(poolCa === undefined ? {} : { poolCa }),
        now,
      };
      return protocols[i % protocols.length] === 2 ? new SimulatedFarmerV2(farmerOptions) : new SimulatedFarmer(farmerOptions);
    });
    closers.push({ name: 'farmers', close: () => farmers.forEach((farmer) => farmer.close()) });
    const farming = new DevnetFarming({
      farmers,
      now,
      // A farmer this far behind would only send partials the pool refuses as late: it skips the signage point.
      maxSignagePointAge: Math.max(5, settings.partialTimeLimit - 10),
      speed: options.speed,
      log: options.log,
      onBlockWon: (height, launcherId) => milestones.blockWon(height, launcherId),
      stopped: () => stop.signal.aborted,
    });
    const summary: DevnetRunSummary = { ...farming.tally, partialsConfirmed: 0, height: 0, milestones: milestones.times, seconds: 0 };
    const refresh = async (): Promise<void> => {
      Object.assign(summary, farming.tally);
      summary.height = chain.peakHeight();
      summary.partialsConfirmed = await confirmedPartials(readModels);
      summary.rewards = await tallyRewards(store);
      summary.payouts = payoutTotals(await readPayoutSagaView(store));
    };

    try {
      for (const farmer of farmers) if (!stop.signal.aborted) await farmer.joinPool();
      const buriedAt = chain.peakHeight() + settings.confirmationSecurityThreshold + 1;
      const v2Farmers = farmers.filter((farmer) => farmer instanceof SimulatedFarmerV2).length;
      options.log(`devnet: ${farmers.length - v2Farmers} v1 and ${v2Farmers} v2 plot NFTs launched after ${elapsed(startedAt)} s; registering once they are buried at height ${buriedAt}`);
      while (!stop.signal.aborted && chain.peakHeight() < buriedAt) await abortableSleep(200, stop.signal);
      await farming.register();

      let nextSeq = chain.latestSignagePoint().seq + 1;
      let lastSummary = Date.now();
      let lastMilestonePoll = 0;
      while (!stop.signal.aborted) {
        for (const entry of chain.signagePoints(nextSeq)) {
          if (stop.signal.aborted) break;
          nextSeq = entry.seq + 1;
          await farming.signagePoint(entry, chain.peakHeight() + 1);
        }
        await farming.retryRegistrations();
        if (Date.now() - lastMilestonePoll >= MILESTONE_POLL_MS) {
          lastMilestonePoll = Date.now();
          await milestones.poll().catch((error: unknown) => options.log(`devnet: reading the ledger for milestones: ${(error as Error).message}`));
          if (options.stopAfterCycle && milestones.complete) stop.abort();
        }
        if (Date.now() - lastSummary >= SUMMARY_EVERY_MS) {
          lastSummary = Date.now();
          await refresh().then(
            () => options.log(describe(summary)),
            (error: unknown) => options.log(`devnet: summary: ${(error as Error).message}`),
          );
        }
        await abortableSleep(100, stop.signal);
      }
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', abort);
      // The last facts the pool recorded before it stops, while the store is still open.
      await milestones.poll().catch(() => undefined);
      await refresh().catch(() => undefined);
    }
    await closeAll();
    summary.seconds = Number(elapsed(startedAt));
    options.log(`devnet stopped after ${summary.seconds} s: ${describe(summary)}`);
    options.log(`devnet: the ledger stays in ${dataDir}; check it with \`poolctl --event-store ${config.eventStoreUrl} audit\``);
    return summary;
  } finally {
    // Already done on a normal stop (then there is nothing left to close); here for a run that failed on its way up.
    await closeAll();
  }
}

/** Rejects with a message naming the port when something already listens on it (port 0 is always free). */
function assertPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolvePromise, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`port ${port} on ${host} is in use: stop what listens there, or choose another with PORT or --port`) : error),
    );
    probe.listen(port, host, () => probe.close(() => resolvePromise()));
  });
}

const elapsed = (startedAt: number): string => ((Date.now() - startedAt) / 1000).toFixed(1);

function describe(s: DevnetRunSummary): string {
  const rejected = Object.entries(s.partialsRejected)
    .map(([code, n]) => `${n} x code ${code}`)
    .join(', ');
  return (
    `height ${s.height}: partials accepted ${s.partialsAccepted}, confirmed ${s.partialsConfirmed}, rejected ${rejected || 'none'}; ` +
    `blocks won by pool farmers ${s.blocksWon}` +
    (s.rewards ? `; rewards detected ${s.rewards.detected}, absorbed ${s.rewards.absorbed} (${formatXch(s.rewards.absorbedMojos)} XCH)` : '') +
    (s.payouts ? `; payouts planned ${s.payouts.planned}, sent ${s.payouts.sent}, confirmed ${s.payouts.confirmed} (${formatXch(s.payouts.paidToFarmers)} XCH paid)` : '') +
    (s.farmerErrors > 0 ? `; farmer errors ${s.farmerErrors}` : '') +
    (s.signagePointsMissed > 0 ? `; signage points missed ${s.signagePointsMissed}` : '')
  );
}

async function confirmedPartials(readModels: ReadModelDatabase): Promise<number> {
  const [row] = await readModels.executor().query<{ confirmed: number | string | null }>('SELECT sum(partials_confirmed) AS confirmed FROM farmer_points');
  return Number(row?.confirmed ?? 0);
}
