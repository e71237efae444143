import type { Command } from 'commander';
import { baseProgram } from './base-program';
import { registerAuditCommand } from './commands/audit.command';
import { registerChiaCommands, type LineIo } from './commands/chia.command';
import { registerConfigCommands } from './commands/config-check.command';
import { registerDevnetCommands } from './commands/devnet.command';
import { registerLedgerCommands } from './commands/ledger.command';
import { registerPayoutCommands } from './commands/payouts.command';
import { registerProjectionCommands } from './commands/projections.command';
import { registerStartCommand } from './commands/start.command';
import { registerVerifyPayoutCommand } from './commands/verify-payout';

/** The whole CLI; main.ts runs it, tests drive it with their own argv. */
export function buildProgram(io?: () => LineIo): Command {
  const program = baseProgram();
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
