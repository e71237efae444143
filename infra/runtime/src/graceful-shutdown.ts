import type { FastifyInstance } from 'fastify';

/**
 * Once the app starts closing, every answer carries `Connection: close`. Fastify's close already refuses new
 * requests (503) and waits for in-flight ones, but a keep-alive connection whose request finishes during the
 * close would otherwise stay open until its keep-alive timeout (72 s) and hold the close up that long.
 */
export function installGracefulClose(fastify: FastifyInstance): void {
  let closing = false;
  fastify.addHook('preClose', async () => {
    closing = true;
  });
  fastify.addHook('onSend', async (_request, reply, payload) => {
    if (closing) void reply.header('connection', 'close');
    return payload;
  });
}

export interface ShutdownStep {
  name: string;
  run(): Promise<unknown> | unknown;
}

export interface ShutdownOptions {
  /** After this, whatever has not finished is abandoned and the process exits with 1. */
  timeoutMs?: number;
  log?(line: string): void;
  exit?(code: number): void;
  signals?: readonly NodeJS.Signals[];
}

/**
 * The entry points' SIGTERM/SIGINT handling: run the steps in order (the api first, so in-flight requests drain
 * while the store and the node connection are still open; the stores last), once, whatever number of signals
 * arrive, then exit. A step that fails is logged and the next one still runs. A second signal does not cut the
 * drain short; the timeout does.
 */
export function shutdownOnSignals(steps: readonly ShutdownStep[], options: ShutdownOptions = {}): () => Promise<void> {
  const log = options.log ?? ((line: string) => console.error(line));
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let running: Promise<void> | undefined;
  const shutdown = (reason: string): Promise<void> => {
    running ??= (async () => {
      log(`${reason}: shutting down`);
      const timer = setTimeout(() => {
        log(`shutdown did not finish within ${options.timeoutMs ?? 30_000} ms; exiting anyway`);
        exit(1);
      }, options.timeoutMs ?? 30_000);
      timer.unref();
      let failed = false;
      for (const step of steps) {
        try {
          await step.run();
        } catch (error) {
          failed = true;
          log(`shutdown: ${step.name} failed: ${(error as Error).message}`);
        }
      }
      clearTimeout(timer);
      log('shutdown complete');
      exit(failed ? 1 : 0);
    })();
    return running;
  };
  for (const signal of options.signals ?? (['SIGINT', 'SIGTERM'] as const)) process.on(signal, () => void shutdown(signal));
  return () => shutdown('requested');
}
