import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { FullNodeRpcClient, loadBls } from '@pool/chia';
import { loadPoolConfig } from '@pool/config';
import {
  AcceleratedClock,
  DevnetChain,
  DevnetWallet,
  DEVNET_NETWORK,
  ensureDevnetChiaRoot,
  PlotCache,
  posConstantsFor,
  SimulatedFarmer,
  startChainDriver,
  startFullNodeRpcServer,
  startWalletRpcServer,
} from '@pool/devnet';
import { openEventStore } from '@pool/event-store';
import { ProjectorModule } from '@pool/projector';
import { ReadModelDatabase } from '@pool/read-models';
import { createApiServer } from '../../../api/src/api-server';
import { abortableSleep } from '../../../api/src/shared/abortable-sleep';

export interface DevnetRunOptions {
  farmers: number;
  /** Devnet time runs this many times faster than real time. */
  speed: number;
  /** Real seconds to run; undefined runs until the signal aborts. */
  durationSeconds?: number;
  dataDir: string;
  port: number;
  host: string;
  plotK: number;
  log(line: string): void;
}

export interface DevnetRunSummary {
  partialsAccepted: number;
  /** Partials the pool has confirmed so far (from the farmer_points read model). */
  partialsConfirmed: number;
  partialsRejected: Record<string, number>;
  blocksWon: number;
  height: number;
}

/**
 * The devnet and the pool in one process: a simulated node and wallet served over mutual-TLS RPC, the pool
 * (api + projector) reaching them through its real RPC client, and simulated farmers that launch plot NFTs,
 * register and send partials from real plots. The ledger stays in `dataDir` for audits and rebuilds.
 */
export async function runDevnet(options: DevnetRunOptions, signal: AbortSignal): Promise<DevnetRunSummary> {
  const dataDir = resolve(options.dataDir);
  const clock = new AcceleratedClock(options.speed);
  const now = (): number => clock.now() / 1000;
  const chain = new DevnetChain({ network: DEVNET_NETWORK, clock });
  const driver = startChainDriver(chain, 100);
  const wallet = new DevnetWallet(chain);
  const chiaRoot = join(dataDir, 'devnet-chia-root');
  ensureDevnetChiaRoot(chiaRoot);
  const nodeServer = await startFullNodeRpcServer(chain, { chiaRoot });
  const walletServer = await startWalletRpcServer(wallet, { chiaRoot });
  const node = FullNodeRpcClient.fromChiaRoot({ host: '127.0.0.1', port: nodeServer.port, tls: { chiaRoot } });

  const base = loadPoolConfig({ ...process.env, POOL_DATA_DIR: dataDir });
  const config = { ...base, port: options.port, host: options.host, settings: { ...base.settings, targetPuzzleHash: wallet.puzzleHash } };
  const store = await openEventStore(config.eventStoreUrl);
  const readModels = await ReadModelDatabase.open(config.readModelsUrl);
  const bls = await loadBls();
  const constants = posConstantsFor(DEVNET_NETWORK);
  const projector = await NestFactory.createApplicationContext(ProjectorModule.with(store, readModels), { logger: ['error', 'warn'] });
  await projector.init();
  const api = await createApiServer({ config, store, readModels, chain: node, bls, constants, clock: now, poolLoops: true }, ['error', 'warn']);
  await api.listen(config.port, config.host);
  const poolUrl = (await api.getUrl()).replace('[::1]', '127.0.0.1');
  options.log(`devnet: pool api on ${poolUrl}, node RPC on 127.0.0.1:${nodeServer.port}, wallet RPC on 127.0.0.1:${walletServer.port}, x${options.speed}`);

  const summary: DevnetRunSummary = { partialsAccepted: 0, partialsConfirmed: 0, partialsRejected: {}, blocksWon: 0, height: 0 };
  const plots = new PlotCache();
  const farmers = Array.from(
    { length: options.farmers },
    (_, i) =>
      new SimulatedFarmer({
        bls,
        seed: createHash('sha256').update(`chia-pool-ledger devnet farmer ${i}`).digest(),
        chain,
        constants,
        plots,
        plotK: options.plotK,
        poolUrl,
        now,
      }),
  );
  const stop = new AbortController();
  const abort = (): void => stop.abort();
  signal.addEventListener('abort', abort, { once: true });
  const timer = options.durationSeconds === undefined ? undefined : setTimeout(abort, options.durationSeconds * 1000);

  try {
    for (const farmer of farmers) await farmer.joinPool();
    const buriedAt = chain.peakHeight() + config.settings.confirmationSecurityThreshold + 1;
    options.log(`devnet: ${farmers.length} plot NFTs launched; registering once they are buried at height ${buriedAt}`);
    while (!stop.signal.aborted && chain.peakHeight() < buriedAt) await abortableSleep(200, stop.signal);
    for (const farmer of farmers) if (!stop.signal.aborted) await farmer.connect();

    let nextSeq = chain.latestSignagePoint().seq + 1;
    let lastReport = Date.now();
    while (!stop.signal.aborted) {
      for (const entry of chain.signagePoints(nextSeq)) {
        nextSeq = entry.seq + 1;
        const height = chain.peakHeight() + 1;
        for (const farmer of farmers) {
          if (farmer.tryToWinBlock(entry, height)) summary.blocksWon++;
          for (const partial of farmer.partialsFor(entry, height)) {
            const answer = await farmer.submit(partial);
            if (answer.error_code === undefined) summary.partialsAccepted++;
            else summary.partialsRejected[String(answer.error_code)] = (summary.partialsRejected[String(answer.error_code)] ?? 0) + 1;
          }
        }
      }
      if (Date.now() - lastReport >= 10_000) {
        lastReport = Date.now();
        summary.height = chain.peakHeight();
        summary.partialsConfirmed = await confirmedPartials(readModels);
        options.log(describe(summary));
      }
      await abortableSleep(100, stop.signal);
    }
    summary.partialsConfirmed = await confirmedPartials(readModels);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', abort);
    summary.height = chain.peakHeight();
    driver.stop();
    await api.close();
    await projector.close();
    node.close();
    await nodeServer.close();
    await walletServer.close();
    await readModels.close();
    await store.close();
  }
  options.log(`devnet stopped: ${describe(summary)}`);
  return summary;
}

function describe(s: DevnetRunSummary): string {
  const rejected = Object.entries(s.partialsRejected)
    .map(([code, n]) => `${n} x code ${code}`)
    .join(', ');
  return (
    `height ${s.height}: partials accepted ${s.partialsAccepted}, confirmed ${s.partialsConfirmed}, rejected ${rejected || 'none'}; ` +
    `blocks won by pool farmers ${s.blocksWon}`
  );
}

async function confirmedPartials(readModels: ReadModelDatabase): Promise<number> {
  const [row] = await readModels.executor().query<{ confirmed: number | string | null }>('SELECT sum(partials_confirmed) AS confirmed FROM farmer_points');
  return Number(row?.confirmed ?? 0);
}
