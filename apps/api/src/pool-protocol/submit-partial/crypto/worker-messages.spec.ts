import { type PartialCryptoJob, type PartialCryptoResult } from './partial-crypto';
import { packJobs, packResults, unpackJobs, unpackResults } from './worker-messages';

const bytes = (length: number, seed: number): Uint8Array => Uint8Array.from({ length }, (_, i) => (i * 31 + seed) & 0xff);

describe('crypto worker messages', () => {
  it('packs jobs into one buffer of their own and unpacks them unchanged', () => {
    // A Buffer slice shares an 8 KB pool: only its own bytes may travel.
    const pooled = Buffer.from('ab'.repeat(48), 'hex');
    const jobs: PartialCryptoJob[] = [
      { kind: 'partial', pks: [bytes(48, 1), pooled], message: bytes(32, 2), signature: bytes(96, 3), k: 32, plotId: bytes(32, 4), challenge: bytes(32, 5), proof: bytes(256, 6) },
      { kind: 'partial', pks: [], message: bytes(0, 0), signature: bytes(96, 7), k: 300.5, plotId: null, challenge: bytes(32, 8), proof: bytes(0, 0) },
    ];
    const packed = packJobs(jobs);
    expect(packed.byteOffset).toBe(0);
    expect(packed.buffer.byteLength).toBe(packed.length);
    expect(packed.length).toBeLessThan(1200);
    expect(unpackJobs(packed)).toEqual(jobs.map((job) => ({ ...job, pks: job.pks.map((pk) => Uint8Array.from(pk)) })));
  });

  it('packs results, valid and invalid, and unpacks them unchanged', () => {
    const results: PartialCryptoResult[] = [
      { signatureValid: true, proof: { valid: true, quality: bytes(32, 9) } },
      { signatureValid: false, proof: { valid: false, reason: 'no plot id: the plot has no pool contract puzzle hash – ünïcode' } },
      { signatureValid: true, proof: { valid: false, reason: '' } },
    ];
    expect(unpackResults(packResults(results))).toEqual(results);
    expect(unpackResults(packResults([]))).toEqual([]);
  });
});
