import { Command } from 'commander';
import { registerProjectionCommands } from './commands/projections.command';
import { registerStartCommand } from './commands/start.command';

/** The whole CLI; main.ts runs it, tests drive it with their own argv. */
export function buildProgram(): Command {
  const program = new Command('poolctl')
    .description('chia-pool-ledger: run the pool, inspect and rebuild its ledger views')
    .option('--event-store <url>', 'event store URL (sqlite:PATH, postgres://..., esdb://...)')
    .option('--read-models <url>', 'read-model database URL (sqlite:PATH, postgres://...)');
  registerStartCommand(program);
  registerProjectionCommands(program);
  return program;
}
