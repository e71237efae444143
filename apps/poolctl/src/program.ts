import { Command } from 'commander';
import { registerChiaCommands, type LineIo } from './commands/chia.command';
import { registerDevnetCommands } from './commands/devnet.command';
import { registerProjectionCommands } from './commands/projections.command';
import { registerStartCommand } from './commands/start.command';

/** The whole CLI; main.ts runs it, tests drive it with their own argv. */
export function buildProgram(io?: () => LineIo): Command {
  const program = new Command('poolctl')
    .description('chia-pool-ledger: run the pool, inspect and rebuild its ledger views')
    .option('--event-store <url>', 'event store URL (sqlite:PATH, postgres://..., esdb://...)')
    .option('--read-models <url>', 'read-model database URL (sqlite:PATH, postgres://...)');
  registerStartCommand(program);
  registerProjectionCommands(program);
  registerDevnetCommands(program);
  registerChiaCommands(program, io);
  return program;
}
