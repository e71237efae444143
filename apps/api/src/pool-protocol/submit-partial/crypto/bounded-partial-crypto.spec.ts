import { BoundedPartialCrypto, PartialCryptoBusyError } from './bounded-partial-crypto';
import { type PartialCryptoJob, type PartialCryptoResult, type PartialCryptoVerifier } from './partial-crypto';

/** A verifier that holds every job until the test answers it: what a worker pool busy with a flood looks like. */
function heldVerifier() {
  const held: Array<(result: PartialCryptoResult) => void> = [];
  const verifier: PartialCryptoVerifier = {
    verify: jest.fn(() => new Promise<PartialCryptoResult>((resolve) => held.push(resolve))),
    close: jest.fn(async () => undefined),
  };
  return { verifier, held, answerOne: () => held.shift()!({ signatureValid: true, proof: { valid: false, reason: 'held' } }) };
}

const job = {} as PartialCryptoJob;

describe('BoundedPartialCrypto', () => {
  it('refuses jobs past its bound at once, without handing them on, and takes jobs again as others finish', async () => {
    const { verifier, answerOne } = heldVerifier();
    const bounded = new BoundedPartialCrypto(verifier, 3);
    const accepted = [bounded.verify(job), bounded.verify(job), bounded.verify(job)];
    expect(bounded.pending).toBe(3);
    // A flood past the bound: every job refused, none queued behind the three.
    const refused = await Promise.allSettled(Array.from({ length: 100 }, () => bounded.verify(job)));
    expect(refused.every((r) => r.status === 'rejected' && r.reason instanceof PartialCryptoBusyError && r.reason.outstanding === 3)).toBe(true);
    expect(verifier.verify).toHaveBeenCalledTimes(3);
    expect(bounded.pending).toBe(3);

    answerOne();
    await accepted[0];
    expect(bounded.pending).toBe(2);
    const next = bounded.verify(job);
    expect(verifier.verify).toHaveBeenCalledTimes(4);
    answerOne();
    answerOne();
    answerOne();
    await Promise.all([...accepted, next]);
    expect(bounded.pending).toBe(0);
  });

  it('frees the slot of a job that fails, whether it throws or rejects', async () => {
    const throwing: PartialCryptoVerifier = {
      verify: () => {
        throw new Error('closed');
      },
      close: async () => undefined,
    };
    const rejecting: PartialCryptoVerifier = { verify: async () => Promise.reject(new Error('worker died')), close: async () => undefined };
    for (const inner of [throwing, rejecting]) {
      const bounded = new BoundedPartialCrypto(inner, 1);
      await expect(bounded.verify(job)).rejects.toThrow(/closed|worker died/);
      await expect(bounded.verify(job)).rejects.toThrow(/closed|worker died/);
      expect(bounded.pending).toBe(0);
    }
  });

  it('closes the verifier it wraps', async () => {
    const { verifier } = heldVerifier();
    await new BoundedPartialCrypto(verifier, 1).close();
    expect(verifier.close).toHaveBeenCalled();
  });
});
