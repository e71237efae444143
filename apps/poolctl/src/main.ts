import 'reflect-metadata';
import type { Command } from 'commander';

/**
 * `poolctl audit …` loads the audit command alone: not the api, the devnet and the other commands, about 40 MB of
 * loaded code that a long audit would carry in its resident memory (npm run bench:audit prints it). Any other command
 * line, `--help` included, loads the whole CLI (program.ts).
 */
async function program(argv: readonly string[]): Promise<Command> {
  if (argv[2] !== 'audit') return (await import('./program')).buildProgram();
  const [{ baseProgram }, { registerAuditCommand }] = await Promise.all([import('./base-program'), import('./commands/audit.command')]);
  const audit = baseProgram();
  registerAuditCommand(audit);
  return audit;
}

program(process.argv)
  .then((built) => built.parseAsync(process.argv))
  .catch((error: unknown) => {
    console.error(`poolctl: ${(error as Error).message}`);
    process.exit(1);
  });
