import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { GlobalPosition } from '@pool/event-sourcing';
import type { ViewProjectionOptions } from '@pool/projections';
import type { RebuildCount, RebuildPrefill } from '@pool/read-models';
import { startWorker } from '@pool/runtime';
import { rebuildGroups } from './rebuild-groups';
import type { RebuildThreadData, RebuildThreadReply } from './rebuild-thread-messages';

const WORKER_SCRIPT = join(__dirname, 'rebuild.worker');
const YOUNG_GENERATION_MB = 96;
const PRIVATE_MEMORY = 'sqlite::memory:';

export interface RebuildThreadsOptions {
  eventStoreUrl: string;
  readModelsUrl: string;
  /** What the projections being rebuilt were made with (createProjections): each thread makes the same ones. */
  projectionOptions?: ViewProjectionOptions;
  /** Threads (default: the cores this process may use); under 2, no threads. */
  threads?: number;
  /** Events per batch in each thread (the Projector's default when omitted). */
  batchSize?: number;
}

/**
 * A rebuild on every core: the projections are split into groups of about equal work (rebuildGroups), and each group
 * is built from the whole ledger by a thread of its own (rebuild.worker.ts) before the Projector catches them all up
 * and switches as usual. Each thread reads the ledger again, which costs far less than the folds and writes it takes
 * off the others. Undefined where threads cannot help: one core, or a ledger or read models in this process's private
 * memory, which another thread cannot open.
 */
export function rebuildInThreads(options: RebuildThreadsOptions): RebuildPrefill | undefined {
  const threads = options.threads ?? availableParallelism();
  if (threads < 2 || options.readModelsUrl === PRIVATE_MEMORY || options.eventStoreUrl === PRIVATE_MEMORY) return undefined;
  return async (targets, signal, onBatch) => {
    const groups = rebuildGroups([...targets.keys()], threads);
    const workers = groups.map((group, i) =>
      startWorker(WORKER_SCRIPT, {
        workerData: {
          eventStoreUrl: options.eventStoreUrl,
          readModelsUrl: options.readModelsUrl,
          projectionOptions: options.projectionOptions ?? {},
          generations: Object.fromEntries(group.map((projection) => [projection.name, targets.get(projection)!])),
          batchSize: options.batchSize,
          // The heaviest group's thread, the last to finish, tells of the progress.
          reportsProgress: i === 0,
        } satisfies RebuildThreadData,
        // A batch's events all live until it is applied: a young generation that holds more of them promotes less to
        // the old one, which a thread otherwise marks again and again.
        resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
      }),
    );
    const stopAll = (): void => workers.forEach((worker) => void worker.terminate());
    signal.addEventListener('abort', stopAll, { once: true });
    try {
      const counts = await Promise.all(
        workers.map((worker) =>
          outcome(worker, onBatch).catch((error: unknown) => {
            stopAll();
            throw error;
          }),
        ),
      );
      return counts.reduce((sum, count) => ({ read: sum.read + count.read, applied: sum.applied + count.applied }), { read: 0, applied: 0 });
    } finally {
      signal.removeEventListener('abort', stopAll);
    }
  };
}

/** What a thread reports at its end; its batches go to `onBatch` meanwhile. */
function outcome(worker: Worker, onBatch: (read: number, position: GlobalPosition) => void): Promise<RebuildCount> {
  return new Promise<RebuildCount>((resolve, reject) => {
    worker.on('message', (reply: RebuildThreadReply) => {
      if (reply.type === 'batch') onBatch(reply.read, reply.position as GlobalPosition);
      else if (reply.type === 'done') resolve({ read: reply.read, applied: reply.applied });
      else reject(new Error(`a rebuild thread failed: ${reply.message}`));
    });
    worker.on('error', reject);
    // After 'done' or 'failed' this changes nothing; before them, the thread was stopped or died.
    worker.on('exit', (code) => reject(new Error(`a rebuild thread exited (code ${code}) before it finished`)));
  });
}
