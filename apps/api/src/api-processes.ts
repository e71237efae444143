import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import { type RateLimitSettings } from '@pool/config';

/**
 * The api as several processes on one machine, as Node services run in production: one thread cannot use more than
 * one core, and the api's work per partial (HTTP, JSON, checks, the ledger append) is on that thread. The primary
 * process only supervises; each worker process is a whole api (its own crypto threads, store connections and
 * caches) listening on the same port, which node:cluster shares out connection by connection. Everything a partial
 * needs to be counted once lives in the ledger, not in a process, so any process may answer any request.
 */

/** The configured number of api processes, or one per core. */
export function apiProcessCount(configured: number | undefined): number {
  return configured ?? availableParallelism();
}

/**
 * One process's share of pool-wide per-client budgets. Connections are shared out round robin, so each process
 * sees about 1/n of a client's requests; a budget of 1/n each (rounded up) keeps the pool-wide limit what the
 * operator configured instead of n times it.
 */
export function rateLimitsPerProcess(limits: RateLimitSettings, processes: number): RateLimitSettings {
  if (processes <= 1) return limits;
  return {
    ...limits,
    perAddressPerMinute: Math.ceil(limits.perAddressPerMinute / processes),
    perLauncherPerMinute: Math.ceil(limits.perLauncherPerMinute / processes),
  };
}

/** Each process's crypto threads: the machine's cores shared out between the processes (at least one each). */
export function cryptoThreadsPerProcess(processes: number): number {
  return Math.max(1, Math.ceil(availableParallelism() / processes));
}

/**
 * V8 flags the supervisor starts its api processes with. A partial allocates about 30 KB of short-lived objects
 * (request, JSON, checks, event), so at a thousand partials a second V8's default young generation (16 MB
 * semi-spaces) is scavenged dozens of times a second and promotes objects that die soon after. 64 MB semi-spaces
 * took bench:partials on SQLite from 1,281 and 1,279 to 1,326 and 1,333 accepted partials/s (alternating runs),
 * for up to 144 MB more young generation per process when the load fills it.
 */
export const API_PROCESS_V8_FLAGS = ['--max-semi-space-size=64'];

/** A node or V8 flag's name: V8 spells its flags with - or _ alike. */
const flagName = (arg: string): string => arg.split('=')[0]!.replace(/_/g, '-');

/** The api processes' node flags: the supervisor's own, plus each of API_PROCESS_V8_FLAGS the operator did not set. */
export function apiProcessExecArgv(execArgv: readonly string[], nodeOptions = ''): string[] {
  const given = new Set([...execArgv, ...nodeOptions.split(/\s+/)].map(flagName));
  return [...execArgv, ...API_PROCESS_V8_FLAGS.filter((flag) => !given.has(flagName(flag)))];
}

export interface SupervisorOptions {
  processes: number;
  log(line: string): void;
  /** Before a dead process is started again (default 1 s): a process that dies at once must not spin. */
  restartDelayMs?: number;
}

/**
 * In the primary: starts `processes` api processes (this same script) and starts again any that dies. One that
 * exits by itself before it ever listened (a bad config, a port in use) would only do so again, so the primary then
 * stops them all and exits with its code; one killed by a signal (the OOM killer, an operator) is started again.
 * SIGTERM and SIGINT stop every process, then the primary. It logs once every process listens.
 */
export function superviseApiProcesses({ processes, log, restartDelayMs = 1000 }: SupervisorOptions): void {
  const listened = new WeakSet<Worker>();
  let listening = 0;
  cluster.setupPrimary({ execArgv: apiProcessExecArgv(process.execArgv, process.env.NODE_OPTIONS) });
  let stopping = false;
  const start = (): void => {
    const worker = cluster.fork();
    worker.once('listening', () => {
      listened.add(worker);
      if (++listening === processes) log(`api: all ${processes} processes listening`);
    });
    worker.once('exit', (code, signal) => {
      if (stopping) return;
      const how = signal ?? `code ${code}`;
      if (listened.has(worker)) listening--;
      else if (signal === null) {
        log(`api process ${worker.process.pid} exited (${how}) before it listened: stopping`);
        return stop(code === 0 ? 1 : (code ?? 1));
      }
      log(`api process ${worker.process.pid} exited (${how}): starting another`);
      setTimeout(() => !stopping && start(), restartDelayMs);
    });
  };
  const stop = (code: number): void => {
    if (stopping) return;
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead());
    if (workers.length === 0) process.exit(code);
    let left = workers.length;
    for (const worker of workers) {
      worker.once('exit', () => --left === 0 && process.exit(code));
      worker.process.kill('SIGTERM');
    }
  };
  process.once('SIGTERM', () => stop(0));
  process.once('SIGINT', () => stop(0));
  log(`api: ${processes} processes on one port (node:cluster), primary ${process.pid}`);
  for (let i = 0; i < processes; i++) start();
}
