import { randomBytes } from 'node:crypto';
import {
  bytesToHex,
  MAINNET_POS_CONSTANTS,
  plotIdFromPoolContractPuzzleHash,
  PoolErrorCode,
  PostPartialPayloadSchema,
  type FullNodeRpc,
  type PostPartialRequestLegacy,
  type RecentSignagePointOrEos,
} from '@pool/chia';
import { type RegisteredFarmer } from '@pool/domain';
import { type PartialCryptoJob, type PartialCryptoResult } from './crypto/partial-crypto';
import { validatePartial, type PartialValidationContext } from './partial-checks';
import { waitingSignagePointLookups } from './signage-point-lookups';

/** A well-formed partial paying `contract`, every other byte random (its signature and proof verify nothing). */
function randomPartial(contract: Uint8Array, plot: { plotPublicKey: Uint8Array; size: number }): PostPartialRequestLegacy {
  return {
    payload: {
      launcherId: randomBytes(32),
      authenticationToken: 1n,
      proofOfSpace: {
        challenge: randomBytes(32),
        poolPublicKey: null,
        poolContractPuzzleHash: contract,
        plotPublicKey: plot.plotPublicKey,
        version: 0,
        plotIndex: 0,
        metaGroup: 0,
        strength: 0,
        size: plot.size,
        proof: randomBytes(144),
      },
      spHash: randomBytes(32),
      endOfSubSlot: false,
      harvesterId: randomBytes(32),
    },
    aggregateSignature: randomBytes(96),
  };
}

/** Error precedence around the combined crypto call; the accepting path runs end to end in test/e2e. */
describe('validatePartial check order', () => {
  const contract = randomBytes(32);
  const plotPk = randomBytes(48);
  const authPk = randomBytes(48);
  const request = randomPartial(contract, { plotPublicKey: plotPk, size: 18 });
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

/** TOO_LATE counts from the node's receive time to the request's, so the wait for an unknown point is never lateness. */
describe('validatePartial with a signage point the node learns late', () => {
  const contract = randomBytes(32);
  const authPk = randomBytes(48);
  const request = randomPartial(contract, { plotPublicKey: randomBytes(48), size: 32 });
  const farmer = { authenticationPublicKey: bytesToHex(authPk), p2SingletonPuzzleHash: bytesToHex(contract), difficulty: 1n } as unknown as RegisteredFarmer;
  const receivedAt = 1_700_000_000;
  /** The point as the node reports it once it has it: seen `timeReceived`, a challenge the proof does not answer. */
  const seenAt = (timeReceived: number) =>
    ({ kind: 'signage_point', signagePoint: { ccVdf: { challenge: randomBytes(32) } }, timeReceived, reverted: false }) as unknown as RecentSignagePointOrEos;

  /** The node knows the point from its `knownFromLook`th look on; the waits between looks are 10 s of fake time. */
  function context(knownFromLook: number, timeReceived: number) {
    let looks = 0;
    let waitedMs = 0;
    const node = { getRecentSignagePointOrEos: async () => (++looks >= knownFromLook ? seenAt(timeReceived) : null) };
    const ctx: PartialValidationContext = {
      crypto: { verify: async () => ({ signatureValid: true, proof: { valid: false as const, reason: 'not checked here' } }) },
      chain: waitingSignagePointLookups(node, { retries: 5, intervalMs: 10_000, signal: new AbortController().signal, sleep: async (ms) => void (waitedMs += ms) }),
      constants: MAINNET_POS_CONSTANTS,
      partialTimeLimit: 25,
      nextHeight: async () => 1,
    };
    return { ctx, looks: () => looks, waitedMs: () => waitedMs };
  }

  it('accepts the timing of a partial that waited 20 s for its point: the node saw it after the partial arrived', async () => {
    const late = context(3, receivedAt + 19);
    // Past TOO_LATE: the next check (the proof's challenge) is what refuses it.
    await expect(validatePartial(request, farmer, receivedAt, late.ctx)).rejects.toMatchObject({
      code: PoolErrorCode.INVALID_PROOF,
      message: expect.stringMatching(/proof challenge does not match/),
    });
    expect({ looks: late.looks(), waitedMs: late.waitedMs() }).toEqual({ looks: 3, waitedMs: 20_000 });
  });

  it('still refuses as too late a partial for a point the node saw long before the request arrived', async () => {
    const stale = context(1, receivedAt - 40);
    await expect(validatePartial(request, farmer, receivedAt, stale.ctx)).rejects.toMatchObject({
      code: PoolErrorCode.TOO_LATE,
      message: 'the partial arrived 40.0 s after the signage point; the limit is 25 s',
    });
    expect(stale.waitedMs()).toBe(0);
  });

  it('answers NOT_FOUND once the node still does not know the point after the whole wait', async () => {
    const never = context(Infinity, receivedAt);
    await expect(validatePartial(request, farmer, receivedAt, never.ctx)).rejects.toMatchObject({
      code: PoolErrorCode.NOT_FOUND,
      message: expect.stringMatching(/does not know signage point [0-9a-f]{64}, even after waiting for it/),
    });
    expect({ looks: never.looks(), waitedMs: never.waitedMs() }).toEqual({ looks: 6, waitedMs: 50_000 });
  });
});
