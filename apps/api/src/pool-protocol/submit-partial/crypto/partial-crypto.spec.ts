import { bytesToHex, loadBls, type BlsBackend } from '@pool/chia';
import { InProcessPartialVerifier, NO_PLOT_ID_REASON, verifyPartialCryptoBatch } from './partial-crypto';
import { tamperedJobs, validJobs, type SignedProofJob } from '@pool/testing';

describe('in-process partial verifier', () => {
  let bls: BlsBackend;
  let jobs: SignedProofJob[];

  beforeAll(async () => {
    bls = await loadBls();
    jobs = await validJobs(bls, 4);
  });

  it('accepts real signatures and proofs, giving the quality the plot reports', async () => {
    const verifier = new InProcessPartialVerifier(bls);
    for (const { job, expectedQuality } of jobs) {
      const result = await verifier.verify(job);
      expect(result.signatureValid).toBe(true);
      expect(result.proof.valid).toBe(true);
      if (result.proof.valid) expect(bytesToHex(result.proof.quality)).toBe(bytesToHex(expectedQuality));
    }
  });

  it('refuses each tampered variant on the check it breaks, and only that one', async () => {
    const verifier = new InProcessPartialVerifier(bls);
    const variants = tamperedJobs(jobs[0]!.job, jobs[1]!.job);
    const signatureBreakers = ['another partial signature', 'a changed message', 'a missing signer', 'garbage signature bytes', 'an identity public key'];
    for (const [name, job] of Object.entries(variants)) {
      const result = await verifier.verify(job);
      const breaksSignature = signatureBreakers.includes(name);
      expect({ name, signatureValid: result.signatureValid, proofValid: result.proof.valid }).toEqual({
        name,
        signatureValid: !breaksSignature,
        proofValid: breaksSignature,
      });
    }
    const noPlotId = await verifier.verify(variants['no plot id']!);
    expect(noPlotId.proof).toEqual({ valid: false, reason: NO_PLOT_ID_REASON });
  });

  it('verifies a batch item by item, finding the one bad signature among good ones', () => {
    const batch = jobs.map((j) => j.job);
    batch[2] = { ...batch[2]!, signature: batch[0]!.signature };
    const timings = { signatureMs: 0, proofMs: 0 };
    const results = verifyPartialCryptoBatch(bls, batch, timings);
    expect(results.map((r) => r.signatureValid)).toEqual([true, true, false, true]);
    expect(results.every((r) => r.proof.valid)).toBe(true);
    expect(timings.signatureMs).toBeGreaterThan(0);
  });

  it('refuses work after close()', async () => {
    const verifier = new InProcessPartialVerifier(bls);
    await verifier.close();
    await expect(verifier.verify(jobs[0]!.job)).rejects.toThrow(/closed/);
  });
});
