// Deep imports keep a worker thread from loading (and, under ts-jest, transpiling) all of @pool/chia.
import { type BlsBackend } from '@pool/chia';
import { verifyProof } from '@pool/chia';

/**
 * The expensive part of checking a partial: the farmer's aggregate signature (plot key + authentication key
 * over the payload hash) and the proof of space. Everything cheap stays with the caller.
 */
export interface PartialCryptoJob {
  readonly kind: 'partial';
  /** Public keys of the aggregate signature; each signs `message`. */
  readonly pks: readonly Uint8Array[];
  readonly message: Uint8Array;
  readonly signature: Uint8Array;
  readonly k: number;
  /** null when the plot has no pool contract puzzle hash: there is no plot id, so no proof to check. */
  readonly plotId: Uint8Array | null;
  readonly challenge: Uint8Array;
  readonly proof: Uint8Array;
}

export type PartialProofVerdict = { valid: true; quality: Uint8Array } | { valid: false; reason: string };

export interface PartialCryptoResult {
  signatureValid: boolean;
  proof: PartialProofVerdict;
}

/** Where partial crypto runs: in this thread, or in a pool of worker threads. */
export interface PartialCryptoVerifier {
  verify(job: PartialCryptoJob): Promise<PartialCryptoResult>;
  /** Releases threads or other resources; verify() after close() rejects. */
  close(): Promise<void>;
}

export const NO_PLOT_ID_REASON = 'no plot id: the plot has no pool contract puzzle hash';

/** The proof-of-space half of a job. verifyProof never throws: bad input is a reason. */
export function verifyJobProof(job: PartialCryptoJob): PartialProofVerdict {
  if (job.plotId === null) return { valid: false, reason: NO_PLOT_ID_REASON };
  return verifyProof(job.k, job.plotId, job.challenge, job.proof);
}

/**
 * Verifies jobs that arrived together: all signatures in one `verifyBatch` (one final exponentiation when
 * every signature is good, one check per item otherwise), then each proof. results[i] answers jobs[i].
 */
export function verifyPartialCryptoBatch(
  bls: Pick<BlsBackend, 'verifyBatch'>,
  jobs: readonly PartialCryptoJob[],
  timings?: PartialCryptoTimings,
): PartialCryptoResult[] {
  const started = performance.now();
  const signatures = bls.verifyBatch(jobs.map((job) => ({ pks: job.pks, msgs: job.pks.map(() => job.message), sig: job.signature })));
  const signed = performance.now();
  const results = jobs.map((job, i) => ({ signatureValid: signatures[i] === true, proof: verifyJobProof(job) }));
  if (timings !== undefined) {
    timings.signatureMs += signed - started;
    timings.proofMs += performance.now() - signed;
  }
  return results;
}

/** Where a batch's time went, in ms (accumulated). */
export interface PartialCryptoTimings {
  signatureMs: number;
  proofMs: number;
}

/** Runs the crypto on the calling thread: for unit tests and deployments too small to want threads. */
export class InProcessPartialVerifier implements PartialCryptoVerifier {
  private closed = false;

  constructor(private readonly bls: Pick<BlsBackend, 'verifyBatch'>) {}

  async verify(job: PartialCryptoJob): Promise<PartialCryptoResult> {
    if (this.closed) throw new Error('the partial verifier is closed');
    return verifyPartialCryptoBatch(this.bls, [job])[0]!;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/** Where partial signatures and proofs are verified (a `PartialCryptoVerifier`: worker pool by default). */
export const PARTIAL_CRYPTO = Symbol('PARTIAL_CRYPTO');
