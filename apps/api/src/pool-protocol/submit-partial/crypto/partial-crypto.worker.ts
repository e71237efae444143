import { parentPort, workerData } from 'node:worker_threads';
import { loadBls } from '@pool/chia';
import { type BlsBackendName } from '@pool/chia';
import { verifyPartialCryptoBatch } from './partial-crypto';
import { packResults, unpackJobs, type WorkerReply, type WorkerRequest } from './worker-messages';

/**
 * Body of one crypto worker thread: loads its own BLS backend, then answers each batch it is handed. Batches
 * are verified synchronously, so the thread is busy exactly as long as the pool thinks it is.
 */
async function serve(): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error('partial-crypto.worker must run in a worker thread');
  const backend = (workerData as { blsBackend?: BlsBackendName } | undefined)?.blsBackend;
  const bls = await loadBls(backend, { log: (message) => port.postMessage({ type: 'log', message } satisfies WorkerReply) });
  port.on('message', (request: WorkerRequest) => {
    let reply: WorkerReply;
    try {
      const timings = { signatureMs: 0, proofMs: 0 };
      const results = packResults(verifyPartialCryptoBatch(bls, unpackJobs(request.jobs), timings));
      reply = { type: 'results', batch: request.batch, results, ...timings };
      port.postMessage(reply, [results.buffer]);
    } catch (error) {
      reply = { type: 'failed', batch: request.batch, message: error instanceof Error ? error.message : String(error) };
      port.postMessage(reply);
    }
  });
  port.postMessage({ type: 'ready', backend: bls.name } satisfies WorkerReply);
}

serve().catch((error: unknown) => {
  // An unhandled rejection would end the thread without saying why; the pool logs this and fails the jobs.
  parentPort?.postMessage({ type: 'fatal', message: error instanceof Error ? error.message : String(error) } satisfies WorkerReply);
});
