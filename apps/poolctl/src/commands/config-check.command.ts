import type { Command } from 'commander';
import { plainHttpWarning } from '@pool/api';
import { ConfigError, loadPoolConfig, readConfigFile, type PoolConfig } from '@pool/config';

export interface ConfigCheckResult {
  file?: string;
  problems: string[];
  warnings: string[];
}

const problemsOf = (load: () => unknown): string[] => {
  try {
    load();
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
};

/**
 * Everything loadPoolConfig would refuse at start-up, all at once. loadPoolConfig stops at the file's problems
 * before it reads the environment, so when the file is bad the environment is checked on its own as well: the
 * operator fixes both in one pass instead of discovering the second list on the next start.
 */
export function checkPoolConfig(env: NodeJS.ProcessEnv, file: string | undefined): ConfigCheckResult {
  let config: PoolConfig | undefined;
  let problems = problemsOf(() => {
    config = loadPoolConfig(env, file);
  });
  if (problems.length > 0 && file !== undefined && problemsOf(() => readConfigFile(file)).length > 0) {
    // Without POOL_CONFIG_FILE too: loadPoolConfig falls back to it when given no file.
    const envOnly = { ...env, POOL_CONFIG_FILE: undefined };
    problems = [...new Set([...problems, ...problemsOf(() => loadPoolConfig(envOnly, undefined))])];
  }
  const warning = config === undefined ? undefined : plainHttpWarning(config);
  return { ...(file === undefined ? {} : { file }), problems, warnings: warning === undefined ? [] : [warning] };
}

/**
 * `poolctl config check [--config pool.yaml]`: validates the file (and the environment, which overrides it, as the
 * pool would read them) and prints every problem; exit code 1 when there is any. Warnings (plain HTTP with a real
 * node) are printed but do not fail the check: a TLS proxy the config does not know about may be in front.
 */
export function registerConfigCommands(program: Command, print: (line: string) => void = (line) => console.log(line)): void {
  const config = program.command('config').description('check a pool configuration before starting the pool with it');
  config
    .command('check')
    .description('validate the config file (--config or POOL_CONFIG_FILE) and the POOL_* environment; report every problem')
    .action((_options: unknown, command: Command) => {
      const file = command.optsWithGlobals<{ config?: string }>().config ?? (process.env.POOL_CONFIG_FILE || undefined);
      const result = checkPoolConfig(process.env, file);
      const subject = file === undefined ? 'no config file (defaults and environment)' : file;
      for (const warning of result.warnings) print(`warning: ${warning}`);
      if (result.problems.length === 0) {
        print(`config OK: ${subject}`);
        return;
      }
      print(`config INVALID: ${subject}: ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}`);
      for (const problem of result.problems) print(`  ${problem}`);
      process.exitCode = 1;
    });
}
