import { Command } from 'commander';
import { registerAuditCommand } from './commands/audit.command';
import { registerChiaCommands, type LineIo } from './commands/chia.command';
import { registerConfigCommands } from './commands/config-check.command';
import { registerDevnetCommands } from './commands/devnet.command';
import { registerLedgerCommands } from './commands/ledger.command';
import { registerPayoutCommands } from './commands/payouts.command';
import { registerProjectionCommands } from './commands/projections.command';
import { registerStartCommand } from './commands/start.command';
import { packageVersion } from './commands/version';
import { registerVerifyPayoutCommand } from './commands/verify-payout';

/** The whole CLI; main.ts runs it, tests drive it with their own argv. */
export function buildProgram(io?: () => LineIo): Command {
  const program = new Command('poolctl')
    .description('chia-pool-ledger: run the pool, inspect and rebuild its ledger views')
    .version(packageVersion(), '-V, --version', 'print the version of chia-pool-ledger')
    .option('--event-store <url>', 'event store URL (sqlite:PATH, postgres://..., esdb://...)')
    .option('--read-models <url>', 'read-model database URL (sqlite:PATH, postgres://...)')
    .option('--config <file>', 'pool.yaml (see pool.example.yaml); the environment still overrides it')
    // Every command loads its config through loadPoolConfig, which reads the file POOL_CONFIG_FILE names.
    .hook('preAction', (command) => {
      const file = command.opts<{ config?: string }>().config;
      if (file !== undefined) process.env.POOL_CONFIG_FILE = file;
    });
  registerStartCommand(program);
  registerProjectionCommands(program);
  registerDevnetCommands(program);
  registerChiaCommands(program, io);
  registerPayoutCommands(program);
  registerAuditCommand(program);
  registerVerifyPayoutCommand(program);
  registerLedgerCommands(program);
  registerConfigCommands(program);
  return program;
}
