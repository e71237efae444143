import type { Command } from 'commander';
import { runDevnet, type DevnetRunOptions } from '../devnet/devnet-run';

export const DEVNET_DEFAULTS = { farmers: 3, speed: 4, dataDir: './data', port: 8080, host: '0.0.0.0', plotK: 18 };

const positive = (name: string) => (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got ${JSON.stringify(value)}`);
  return n;
};

/** Runs the devnet until SIGINT/SIGTERM or the duration, then stops cleanly (the ledger stays in the data dir). */
export async function runDevnetUntilStopped(options: DevnetRunOptions): Promise<void> {
  const controller = new AbortController();
  for (const name of ['SIGINT', 'SIGTERM'] as const) process.once(name, () => controller.abort());
  await runDevnet(options, controller.signal);
}

export function registerDevnetCommands(program: Command): void {
  const devnet = program.command('devnet').description('a simulated Chia network with farmers, and the pool running against it');
  devnet
    .command('run')
    .description('start a devnet node and wallet (mutual-TLS RPC), the pool (api + projector) and simulated farmers')
    .option('--farmers <n>', 'simulated farmers, one plot NFT and one plot each', positive('farmers'), DEVNET_DEFAULTS.farmers)
    .option('--speed <x>', 'devnet time runs x times faster than real time', positive('speed'), DEVNET_DEFAULTS.speed)
    .option('--duration <s>', 'stop cleanly after s real seconds', positive('duration'))
    .option('--data-dir <dir>', 'where the ledger, read models and devnet certificates live', DEVNET_DEFAULTS.dataDir)
    .option('--port <port>', 'api port', (v) => Number(v), Number(process.env.PORT ?? DEVNET_DEFAULTS.port))
    .option('--plot-size <k>', 'k of the farmers\' plots (18..22)', positive('plot-size'), DEVNET_DEFAULTS.plotK)
    .action(async (opts: { farmers: number; speed: number; duration?: number; dataDir: string; port: number; plotSize: number }) => {
      await runDevnetUntilStopped({
        farmers: Math.floor(opts.farmers),
        speed: opts.speed,
        durationSeconds: opts.duration,
        dataDir: opts.dataDir,
        port: opts.port,
        host: process.env.HOST ?? DEVNET_DEFAULTS.host,
        plotK: Math.floor(opts.plotSize),
        log: (line) => console.log(line),
      });
    });
}
