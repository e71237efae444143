import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadBls } from '@pool/chia';
import { BOTH_PROTOCOLS, runDevnet, type DevnetRunOptions, type FarmerProtocol } from '../devnet/devnet-run';
import { devnetLoginLink, devnetNow, readDevnetClock, DEVNET_CLOCK_FILE } from '../devnet/devnet-login-link';
import { loadPoolConfig } from '@pool/config';
import { parseLauncherId, withLedger } from './connections';
import { DEVNET_RUN_SPEED } from '../devnet/devnet-settings';
import { type WalletBehaviour } from '@pool/devnet';

/** What `npm start` (`poolctl start` without a full node) runs; POOL_DATA_DIR moves the data as it does for the pool. */
export const DEVNET_DEFAULTS = { farmers: 3, speed: DEVNET_RUN_SPEED, dataDir: process.env.POOL_DATA_DIR || './data', port: 8080, host: '0.0.0.0', plotK: 18 };

const positive = (name: string) => (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got ${JSON.stringify(value)}`);
  return n;
};

/**
 * Runs the devnet until SIGINT/SIGTERM or the duration, then stops cleanly (the ledger stays in the data dir). A
 * second signal while it stops is left to Node's default handling: it ends the process at once.
 */
/** `--protocols v1,v2`: the pool protocol of each farmer in turn. */
export function parseProtocols(value: string): FarmerProtocol[] {
  const protocols = value.split(',').map((name) => name.trim().toLowerCase());
  if (protocols.length === 0 || protocols.some((name) => name !== 'v1' && name !== 'v2')) {
    throw new Error(`--protocols takes v1, v2 or a list of them (v1,v2), got ${JSON.stringify(value)}`);
  }
  return protocols.map((name) => (name === 'v2' ? 2 : 1));
}

export async function runDevnetUntilStopped(options: DevnetRunOptions): Promise<void> {
  const controller = new AbortController();
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((name) => {
    const handler = (): void => {
      options.log(`devnet: ${name} received, stopping cleanly`);
      controller.abort();
    };
    process.once(name, handler);
    return [name, handler] as const;
  });
  try {
    await runDevnet(options, controller.signal);
  } finally {
    for (const [name, handler] of handlers) process.removeListener(name, handler);
  }
}

function parseWalletBehaviour(value: string): WalletBehaviour {
  if (value !== 'chia' && value !== 'shuffled') throw new Error(`--wallet-behaviour takes chia or shuffled, got ${JSON.stringify(value)}`);
  return value;
}

export function registerDevnetCommands(program: Command): void {
  const devnet = program.command('devnet').description('a simulated Chia network with farmers, and the pool running against it');
  devnet
    .command('run')
    .description(
      'start a devnet node and wallet (mutual-TLS RPC), the pool (api + worker + projector) and simulated farmers; ' +
        'with server.tls_cert_file/tls_key_file (POOL_TLS_CERT_FILE/POOL_TLS_KEY_FILE) set the api serves https and the farmers trust that certificate',
    )
    .option('--farmers <n>', 'simulated farmers, one plot NFT and one plot each', positive('farmers'), DEVNET_DEFAULTS.farmers)
    .option('--protocols <list>', 'the pool protocol each farmer speaks, in turn (v1 and v2 plot NFTs): v1, v2 or v1,v2', parseProtocols, [...BOTH_PROTOCOLS])
    .option('--speed <x>', 'devnet time runs x times faster than real time', positive('speed'), DEVNET_DEFAULTS.speed)
    .option('--duration <s>', 'stop cleanly after s real seconds', positive('duration'))
    .option('--stop-after-cycle', 'stop once a payout is confirmed (the whole cycle has happened); --duration still caps the run')
    .option('--data-dir <dir>', 'where the ledger, read models and devnet certificates live', DEVNET_DEFAULTS.dataDir)
    .option('--port <port>', 'api port', (v) => Number(v), Number(process.env.PORT ?? DEVNET_DEFAULTS.port))
    .option('--plot-size <k>', 'k of the farmers\' plots (18..22)', positive('plot-size'), DEVNET_DEFAULTS.plotK)
    .option('--wallet-behaviour <chia|shuffled>', "how the devnet wallet builds payouts: as Chia's wallet does, or with inputs, outputs and change addresses shuffled", parseWalletBehaviour, 'chia')
    .action(async (opts: { farmers: number; protocols: FarmerProtocol[]; speed: number; duration?: number; stopAfterCycle?: boolean; dataDir: string; port: number; plotSize: number; walletBehaviour: WalletBehaviour }) => {
      await runDevnetUntilStopped({
        farmers: Math.floor(opts.farmers),
        protocols: opts.protocols,
        speed: opts.speed,
        durationSeconds: opts.duration,
        stopAfterCycle: opts.stopAfterCycle === true,
        dataDir: opts.dataDir,
        port: opts.port,
        host: process.env.HOST ?? DEVNET_DEFAULTS.host,
        plotK: Math.floor(opts.plotSize),
        walletBehaviour: opts.walletBehaviour,
        log: (line) => console.log(line),
      });
    });
  devnet
    .command('login-link <launcherId>')
    .description(
      "print the login link a devnet farmer's `chia plotnft get_login_link` would print (open it to reach the farmer area); " +
        `the pool's URL and the devnet's clock come from the running devnet's ${DEVNET_CLOCK_FILE} in the data directory`,
    )
    .option('--data-dir <dir>', 'the data directory of the running devnet', DEVNET_DEFAULTS.dataDir)
    .option('--pool-url <url>', "the pool's URL (default: the running devnet's)")
    .option('--at <unixSeconds>', "sign for this time on the pool's clock (default: the running devnet's clock)", (v) => Number(v))
    .option('--farmers <n>', 'how many devnet farmer seeds to look through', positive('farmers'), 100)
    .action(async (typed: string, opts: { dataDir: string; poolUrl?: string; at?: number; farmers: number }, command: Command) => {
      const note = readDevnetClock(resolve(opts.dataDir));
      const poolUrl = opts.poolUrl ?? note?.poolUrl;
      const now = opts.at ?? (note === undefined ? undefined : devnetNow(note));
      if (poolUrl === undefined || now === undefined || !Number.isFinite(now)) {
        throw new Error(`no running devnet in ${resolve(opts.dataDir)} (no ${DEVNET_CLOCK_FILE}): start one with npm start, or pass --pool-url and --at`);
      }
      const launcherId = parseLauncherId(typed);
      const bls = await loadBls();
      // The devnet run's ledger lives in its data directory, unless --event-store names another.
      const storeUrl = command.optsWithGlobals<{ eventStore?: string }>().eventStore ?? loadPoolConfig({ ...process.env, POOL_DATA_DIR: resolve(opts.dataDir) }).eventStoreUrl;
      const link = await withLedger(storeUrl, (store) => devnetLoginLink({ store, bls, launcherId, poolUrl, now, seeds: Math.floor(opts.farmers) }));
      console.log(link);
    });
}
