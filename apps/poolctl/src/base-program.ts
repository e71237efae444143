import { Command } from 'commander';
import { packageVersion } from './commands/version';

/** The CLI's name, version and the options every command takes, with no command yet (program.ts adds them). */
export function baseProgram(): Command {
  return (
    new Command('poolctl')
      .description('chia-pool-ledger: run the pool, inspect and rebuild its ledger views')
      .version(packageVersion(), '-V, --version', 'print the version of chia-pool-ledger')
      .option('--event-store <url>', 'event store URL (sqlite:PATH, postgres://..., esdb://...)')
      .option('--read-models <url>', 'read-model database URL (sqlite:PATH, postgres://...)')
      .option('--config <file>', 'pool.yaml (see pool.example.yaml); the environment still overrides it')
      // Every command loads its config through loadPoolConfig, which reads the file POOL_CONFIG_FILE names.
      .hook('preAction', (command) => {
        const file = command.opts<{ config?: string }>().config;
        if (file !== undefined) process.env.POOL_CONFIG_FILE = file;
      })
  );
}
