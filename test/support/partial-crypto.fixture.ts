import { createHash, randomBytes } from 'node:crypto';
import { G1_INFINITY, type BlsBackend } from '@pool/chia';
import { PlotCache } from '@pool/devnet';
import { type PartialCryptoJob } from '@pool/api';

/** A valid job built from a real k=18 devnet plot and real keys, plus the quality the plot itself reports. */
export interface SignedProofJob {
  job: PartialCryptoJob;
  expectedQuality: Uint8Array;
}

const K = 18;

/** `count` valid jobs over one cached plot, each with its own keys, message and challenge. */
export async function validJobs(bls: BlsBackend, count: number): Promise<SignedProofJob[]> {
  const plotId = createHash('sha256').update('partial-crypto fixture plot').digest();
  const plot = await new PlotCache().getOrCreate(K, plotId);
  const jobs: SignedProofJob[] = [];
  for (let attempt = 0; jobs.length < count && attempt < 100 * count; attempt++) {
    const challenge = randomBytes(32);
    const found = plot.proofsForChallenge(challenge)[0];
    if (found === undefined) continue;
    const plotSk = bls.keyGen(randomBytes(32));
    const authSk = bls.keyGen(randomBytes(32));
    const message = randomBytes(32);
    const signature = bls.aggregate([bls.sign(plotSk, message), bls.sign(authSk, message)]);
    jobs.push({
      job: { kind: 'partial', pks: [bls.skToPk(plotSk), bls.skToPk(authSk)], message, signature, k: K, plotId, challenge, proof: found.proof },
      expectedQuality: found.quality,
    });
  }
  if (jobs.length < count) throw new Error(`found only ${jobs.length} proofs`);
  return jobs;
}

/** Variants of a valid job that must each fail one check. */
export function tamperedJobs(valid: PartialCryptoJob, other: PartialCryptoJob): Record<string, PartialCryptoJob> {
  const flipped = (bytes: Uint8Array, at: number): Uint8Array => {
    const copy = Uint8Array.from(bytes);
    copy[at]! ^= 0x01;
    return copy;
  };
  return {
    'another partial signature': { ...valid, signature: other.signature },
    'a changed message': { ...valid, message: flipped(valid.message, 0) },
    'a missing signer': { ...valid, pks: [valid.pks[0]!] },
    'garbage signature bytes': { ...valid, signature: new Uint8Array(96).fill(7) },
    'an identity public key': { ...valid, pks: [valid.pks[0]!, G1_INFINITY] },
    'a flipped proof bit': { ...valid, proof: flipped(valid.proof, 20) },
    'another challenge': { ...valid, challenge: other.challenge },
    'a short proof': { ...valid, proof: valid.proof.subarray(0, 100) },
    'no plot id': { ...valid, plotId: null },
    'an unsupported k': { ...valid, k: 60 },
  };
}
