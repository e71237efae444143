import { randomBytes } from 'node:crypto';
import {
  bytesToHex,
  MAINNET_POS_CONSTANTS,
  plotIdFromPoolContractPuzzleHash,
  PoolErrorCode,
  PostPartialPayloadSchema,
  type FullNodeRpc,
  type PostPartialRequestLegacy,
} from '@pool/chia';
import { type RegisteredFarmer } from '@pool/domain';
import { type PartialCryptoJob, type PartialCryptoResult } from './crypto/partial-crypto';
import { validatePartial, type PartialValidationContext } from './partial-checks';

/** Error precedence around the combined crypto call; the accepting path runs end to end in test/e2e. */
describe('validatePartial check order', () => {
  const contract = randomBytes(32);
  const plotPk = randomBytes(48);
  const authPk = randomBytes(48);
  const request: PostPartialRequestLegacy = {
    payload: {
      launcherId: randomBytes(32),
      authenticationToken: 1n,
      proofOfSpace: {
        challenge: randomBytes(32),
        poolPublicKey: null,
        poolContractPuzzleHash: contract,
        plotPublicKey: plotPk,
        version: 0,
        plotIndex: 0,
        metaGroup: 0,
        strength: 0,
        size: 18,
        proof: randomBytes(144),
      },
      spHash: randomBytes(32),
      endOfSubSlot: false,
      harvesterId: randomBytes(32),
    },
    aggregateSignature: randomBytes(96),
  };
  const farmer = (p2 = bytesToHex(contract)) =>
    ({ authenticationPublicKey: bytesToHex(authPk), p2SingletonPuzzleHash: p2, difficulty: 1n }) as unknown as RegisteredFarmer;

  function context(verdict: PartialCryptoResult, lookup: FullNodeRpc['getRecentSignagePointOrEos']) {
    const jobs: PartialCryptoJob[] = [];
    const lookups = jest.fn(lookup);
    const ctx: PartialValidationContext = {
      crypto: { verify: async (job) => (jobs.push(job), verdict) },
      chain: { getRecentSignagePointOrEos: lookups },
      constants: MAINNET_POS_CONSTANTS,
      partialTimeLimit: 25,
      nextHeight: async () => 1,
    };
    return { ctx, jobs, lookups };
  }

  const badProof = { valid: false as const, reason: 'bad' };

  it('sends one job with both signers, the payload hash and the plot id', async () => {
    const { ctx, jobs } = context({ signatureValid: false, proof: badProof }, async () => null);
    await expect(validatePartial(request, farmer(), 0, ctx)).rejects.toMatchObject({ code: PoolErrorCode.INVALID_SIGNATURE });
    expect(jobs).toHaveLength(1);
    const job = jobs[0]!;
    expect(job.pks.map((pk) => bytesToHex(pk))).toEqual([bytesToHex(plotPk), bytesToHex(authPk)]);
    expect(bytesToHex(job.message)).toBe(bytesToHex(PostPartialPayloadSchema.hash(request.payload)));
    expect(bytesToHex(job.plotId!)).toBe(bytesToHex(plotIdFromPoolContractPuzzleHash(contract, plotPk)));
    expect({ k: job.k, proof: bytesToHex(job.proof), challenge: bytesToHex(job.challenge) }).toEqual({
      k: 18,
      proof: bytesToHex(request.payload.proofOfSpace.proof),
      challenge: bytesToHex(request.payload.proofOfSpace.challenge),
    });
  });

  it('reports a bad signature before a failing node lookup', async () => {
    const { ctx } = context({ signatureValid: false, proof: badProof }, async () => {
      throw new Error('node down');
    });
    await expect(validatePartial(request, farmer(), 0, ctx)).rejects.toMatchObject({ code: PoolErrorCode.INVALID_SIGNATURE });
  });

  it('reports a bad signature before a foreign pool contract', async () => {
    const { ctx, lookups } = context({ signatureValid: false, proof: badProof }, async () => null);
    await expect(validatePartial(request, farmer('00'.repeat(32)), 0, ctx)).rejects.toMatchObject({ code: PoolErrorCode.INVALID_SIGNATURE });
    expect(lookups).not.toHaveBeenCalled();
  });

  it('reports a foreign pool contract without asking the node', async () => {
    const { ctx, lookups } = context({ signatureValid: true, proof: badProof }, async () => null);
    await expect(validatePartial(request, farmer('00'.repeat(32)), 0, ctx)).rejects.toMatchObject({
      code: PoolErrorCode.INVALID_P2_SINGLETON_PUZZLE_HASH,
    });
    expect(lookups).not.toHaveBeenCalled();
  });

  it('reports an unknown signage point before an invalid proof, and a node failure as it is', async () => {
    const unknown = context({ signatureValid: true, proof: badProof }, async () => null);
    await expect(validatePartial(request, farmer(), 0, unknown.ctx)).rejects.toMatchObject({ code: PoolErrorCode.NOT_FOUND });
    const down = context({ signatureValid: true, proof: badProof }, async () => {
      throw new Error('node down');
    });
    await expect(validatePartial(request, farmer(), 0, down.ctx)).rejects.toThrow('node down');
  });
});
