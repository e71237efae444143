import { loadBls, type BlsBackend } from '@pool/chia';
import { InProcessPartialVerifier } from './partial-crypto';
import { tamperedJobs, validJobs, type SignedProofJob } from '@pool/testing';
import { WorkerPoolPartialVerifier } from './worker-pool-verifier';

describe('worker pool partial verifier', () => {
  let bls: BlsBackend;
  let jobs: SignedProofJob[];
  let pool: WorkerPoolPartialVerifier;

  beforeAll(async () => {
    bls = await loadBls();
    jobs = await validJobs(bls, 8);
    pool = new WorkerPoolPartialVerifier({ size: 2 });
    await pool.warmUp();
  });

  afterAll(async () => {
    await pool.close();
  });

  it('loads in every thread the backend this process prefers (native blst where its addon loads)', () => {
    expect(pool.backends()).toEqual([bls.name, bls.name]);
  });

  it('answers exactly as the in-process verifier on valid and tampered jobs', async () => {
    const reference = new InProcessPartialVerifier(bls);
    const cases = [...jobs.map((j) => j.job), ...Object.values(tamperedJobs(jobs[0]!.job, jobs[1]!.job))];
    // All at once, so they also travel in shared batches.
    const [fromPool, fromReference] = await Promise.all([
      Promise.all(cases.map((job) => pool.verify(job))),
      Promise.all(cases.map((job) => reference.verify(job))),
    ]);
    expect(fromPool).toEqual(fromReference);
    expect(fromPool.filter((r) => r.signatureValid && r.proof.valid)).toHaveLength(jobs.length);
  });

  it('batches jobs that arrive together and singles out the one bad signature', async () => {
    const single = new WorkerPoolPartialVerifier({ size: 1, maxBatch: 64 });
    try {
      await single.warmUp();
      const batch = jobs.map((j) => j.job);
      const bad = 5;
      batch[bad] = { ...batch[bad]!, signature: batch[0]!.signature };
      const results = await Promise.all(batch.map((job) => single.verify(job)));
      expect(results.map((r, i) => (r.signatureValid ? -1 : i)).filter((i) => i >= 0)).toEqual([bad]);
      expect(results.every((r) => r.proof.valid)).toBe(true);
      expect(single.stats()).toMatchObject({ jobs: batch.length, batches: 1 });
    } finally {
      await single.close();
    }
  });

  it('lets a few jobs wait for company up to gatherMs, and sends minBatch jobs at once', async () => {
    const gathering = new WorkerPoolPartialVerifier({ size: 1, minBatch: 3, gatherMs: 500 });
    const never = new WorkerPoolPartialVerifier({ size: 1, minBatch: 3, gatherMs: 600_000 });
    try {
      await Promise.all([gathering.warmUp(), never.warmUp()]);
      // Two jobs 20 ms apart travel together; a lone one still goes once it has waited.
      const first = gathering.verify(jobs[0]!.job);
      await new Promise((resolve) => setTimeout(resolve, 20));
      const results = await Promise.all([first, gathering.verify(jobs[1]!.job)]);
      expect(results.every((r) => r.signatureValid && r.proof.valid)).toBe(true);
      expect(gathering.stats()).toMatchObject({ jobs: 2, batches: 1 });
      expect((await gathering.verify(jobs[2]!.job)).signatureValid).toBe(true);
      expect(gathering.stats()).toMatchObject({ jobs: 3, batches: 2 });
      // minBatch jobs need no wait: with a wait of ten minutes these are answered only because they are three.
      const three = await Promise.all(jobs.slice(0, 3).map((j) => never.verify(j.job)));
      expect(three.every((r) => r.signatureValid)).toBe(true);
      expect(never.stats()).toMatchObject({ jobs: 3, batches: 1 });
    } finally {
      await Promise.all([gathering.close(), never.close()]);
    }
  });

  it('ends its threads on close() and refuses work afterwards', async () => {
    const closing = new WorkerPoolPartialVerifier({ size: 2 });
    await closing.warmUp();
    expect(closing.runningThreads()).toBe(2);
    const inFlight = expect(closing.verify(jobs[0]!.job)).rejects.toThrow(/closed/);
    await closing.close();
    expect(closing.runningThreads()).toBe(0);
    await inFlight;
    await expect(closing.verify(jobs[0]!.job)).rejects.toThrow(/closed/);
  });
});
