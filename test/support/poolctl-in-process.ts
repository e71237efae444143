import { buildProgram } from '@pool/poolctl';

/**
 * Runs `poolctl …` in-process, as a spec sees the CLI: the lines it printed and the exit code it set (a command that
 * throws rejects). `env`, when given, is the whole environment for the run; the process's own comes back after.
 */
export async function runPoolctl(args: readonly string[], env?: NodeJS.ProcessEnv): Promise<{ lines: string[]; exitCode: number }> {
  const lines: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((line: unknown) => void lines.push(String(line)));
  const savedEnv = process.env;
  const previous = process.exitCode;
  if (env !== undefined) process.env = { ...env };
  process.exitCode = 0;
  try {
    await buildProgram().parseAsync(['node', 'poolctl', ...args]);
    return { lines, exitCode: Number(process.exitCode ?? 0) };
  } finally {
    process.exitCode = previous;
    process.env = savedEnv;
    log.mockRestore();
  }
}
