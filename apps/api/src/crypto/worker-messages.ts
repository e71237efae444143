import { type PartialCryptoJob, type PartialCryptoResult } from './partial-crypto';

/** Main thread to worker: jobs to verify together, tagged so the answer finds its callers. */
export interface WorkerRequest {
  batch: number;
  jobs: readonly PartialCryptoJob[];
}

/** Worker to main thread. */
export type WorkerReply =
  | { type: 'ready'; backend: string }
  | { type: 'log'; message: string }
  | { type: 'results'; batch: number; results: PartialCryptoResult[]; signatureMs: number; proofMs: number }
  | { type: 'failed'; batch: number; message: string }
  | { type: 'fatal'; message: string };
