import { randomBytes } from 'node:crypto';
import {
  bytesToHex,
  MAINNET_POS_CONSTANTS,
  passesPlotFilter,
  plotFilterBitsForHeight,
  plotIdFromPoolContractPuzzleHash,
  PoolErrorCode,
  posChallenge,
  PostPartialPayloadSchema,
  type PosConsensusConstants,
  type PostPartialRequestLegacy,
  type RecentSignagePointOrEos,
} from '@pool/chia';
import { type RegisteredFarmer } from '@pool/domain';
import { PoolProtocolError } from '../pool-protocol.error';
import { PartialCryptoBusyError } from './crypto/bounded-partial-crypto';
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

/**
 * Cheap checks first: a partial failing any check that needs no crypto (pool contract, proof shape, signage point,
 * time, proof challenge, plot filter, the sender's failure budget) is refused without a job for the verifier; only a
 * partial passing them all costs a worker its signature and proof. The accepting path runs end to end in test/e2e.
 */
describe('validatePartial check order: cheap checks before any crypto', () => {
  const contract = randomBytes(32);
  const authPk = randomBytes(48);
  const receivedAt = 1_700_000_000;
  /** No plot filter (0 bits): every plot passes, so the checks before the crypto can all be passed on purpose. */
  const noFilter = { ...MAINNET_POS_CONSTANTS, numberZeroBitsPlotFilterV1: 0 };
  const farmer = (p2 = bytesToHex(contract)) =>
    ({ launcherId: 'aa'.repeat(32), authenticationPublicKey: bytesToHex(authPk), p2SingletonPuzzleHash: p2, difficulty: 1n }) as unknown as RegisteredFarmer;

  /** A partial whose proof challenge answers `challengeHash` at its signage point: it passes every cheap check. */
  function partialFor(challengeHash: Uint8Array, plotPublicKey = randomBytes(48)): PostPartialRequestLegacy {
    const request = randomPartial(contract, { plotPublicKey, size: 32 });
    const plotId = plotIdFromPoolContractPuzzleHash(contract, plotPublicKey);
    request.payload.proofOfSpace.challenge = posChallenge(plotId, challengeHash, request.payload.spHash);
    return request;
  }
  const challengeHash = randomBytes(32);
  const seen = (over: Partial<{ timeReceived: number; reverted: boolean; challenge: Uint8Array | null }> = {}) =>
    ({
      kind: 'signage_point',
      signagePoint: { ccVdf: over.challenge === null ? null : { challenge: over.challenge ?? challengeHash } },
      timeReceived: over.timeReceived ?? receivedAt - 1,
      reverted: over.reverted ?? false,
    }) as unknown as RecentSignagePointOrEos;

  function context(options: { verdict?: PartialCryptoResult; seen?: RecentSignagePointOrEos | null; constants?: PosConsensusConstants; busy?: boolean } = {}) {
    const verdict = options.verdict ?? { signatureValid: true, proof: { valid: false as const, reason: 'bad' } };
    const jobs: PartialCryptoJob[] = [];
    const verify = jest.fn(async (job: PartialCryptoJob) => {
      if (options.busy) throw new PartialCryptoBusyError(7);
      jobs.push(job);
      return verdict;
    });
    const lookups = jest.fn(async () => (options.seen === undefined ? seen() : options.seen));
    const failures = { admit: jest.fn(), failed: jest.fn() };
    const ctx: PartialValidationContext = {
      crypto: { verify },
      chain: { getRecentSignagePointOrEos: lookups },
      constants: options.constants ?? noFilter,
      partialTimeLimit: 25,
      nextHeight: async () => 1,
      failures,
    };
    return { ctx, jobs, verify, lookups, failures };
  }

  /** Refused with `code` (and `message`), and never handed to the verifier. */
  async function refusedBeforeCrypto(request: PostPartialRequestLegacy, c: ReturnType<typeof context>, code: PoolErrorCode, message: RegExp, f = farmer()) {
    await expect(validatePartial(request, f, receivedAt, c.ctx)).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
    expect(c.verify).not.toHaveBeenCalled();
    expect(c.failures.failed).not.toHaveBeenCalled();
  }

  it('refuses a foreign pool contract without asking the node or the verifier', async () => {
    const c = context();
    await refusedBeforeCrypto(partialFor(challengeHash), c, PoolErrorCode.INVALID_P2_SINGLETON_PUZZLE_HASH, /is not your plot NFT's/, farmer('00'.repeat(32)));
    expect(c.lookups).not.toHaveBeenCalled();
  });

  it('refuses a proof of the wrong shape (plot size, pool key plot, v2 proof) without asking the node or the verifier', async () => {
    const small = partialFor(challengeHash);
    small.payload.proofOfSpace.size = 18;
    const c = context();
    await refusedBeforeCrypto(small, c, PoolErrorCode.INVALID_PROOF, /plot size k=18 is outside/);
    const poolKey = partialFor(challengeHash);
    poolKey.payload.proofOfSpace.poolPublicKey = randomBytes(48);
    await refusedBeforeCrypto(poolKey, c, PoolErrorCode.INVALID_PROOF, /not a pool public key/);
    const v2 = partialFor(challengeHash);
    v2.payload.proofOfSpace.version = 1;
    await refusedBeforeCrypto(v2, c, PoolErrorCode.INVALID_PROOF, /v2 proofs of space/);
    expect(c.lookups).not.toHaveBeenCalled();
  });

  it('refuses an unknown, reverted or stale signage point, or one with no VDF yet, before the verifier', async () => {
    const request = partialFor(challengeHash);
    await refusedBeforeCrypto(request, context({ seen: null }), PoolErrorCode.NOT_FOUND, /does not know signage point .* even after waiting/);
    await refusedBeforeCrypto(request, context({ seen: seen({ reverted: true }) }), PoolErrorCode.REVERTED_SIGNAGE_POINT, /was reverted/);
    await refusedBeforeCrypto(request, context({ seen: seen({ timeReceived: receivedAt - 40 }) }), PoolErrorCode.TOO_LATE, /arrived 40.0 s after/);
    await refusedBeforeCrypto(request, context({ seen: seen({ challenge: null }) }), PoolErrorCode.NOT_FOUND, /has no challenge-chain VDF yet/);
  });

  it('refuses a node failure as it is, before the verifier', async () => {
    const c = context();
    c.lookups.mockRejectedValue(new Error('node down'));
    await expect(validatePartial(partialFor(challengeHash), farmer(), receivedAt, c.ctx)).rejects.toThrow('node down');
    expect(c.verify).not.toHaveBeenCalled();
  });

  it('refuses a proof challenge that does not answer the signage point, and a plot failing the filter, before the verifier', async () => {
    await refusedBeforeCrypto(partialFor(randomBytes(32)), context(), PoolErrorCode.INVALID_PROOF, /proof challenge does not match/);
    // With mainnet's 9-bit filter, a random plot fails it 511 times in 512: take the first that does.
    let failing = partialFor(challengeHash);
    const filterBits = plotFilterBitsForHeight(1, MAINNET_POS_CONSTANTS);
    const plotId = (r: PostPartialRequestLegacy) => plotIdFromPoolContractPuzzleHash(contract, r.payload.proofOfSpace.plotPublicKey);
    while (passesPlotFilter(plotId(failing), challengeHash, failing.payload.spHash, filterBits)) failing = partialFor(challengeHash);
    await refusedBeforeCrypto(failing, context({ constants: MAINNET_POS_CONSTANTS }), PoolErrorCode.INVALID_PROOF, /does not pass the 9-bit plot filter/);
  });

  it('refuses a sender whose failure budget is spent before anything else, the node included', async () => {
    const c = context();
    c.failures.admit.mockImplementation(() => {
      throw new PoolProtocolError(PoolErrorCode.REQUEST_FAILED, 'refused unchecked');
    });
    await refusedBeforeCrypto(partialFor(challengeHash), c, PoolErrorCode.REQUEST_FAILED, /refused unchecked/);
    expect(c.lookups).not.toHaveBeenCalled();
  });

  it('sends a partial passing every cheap check as one job (both signers, the payload hash, the plot id)', async () => {
    const plotPk = randomBytes(48);
    const request = partialFor(challengeHash, plotPk);
    const c = context({ verdict: { signatureValid: false, proof: { valid: false, reason: 'bad' } } });
    await expect(validatePartial(request, farmer(), receivedAt, c.ctx)).rejects.toMatchObject({ code: PoolErrorCode.INVALID_SIGNATURE });
    expect(c.jobs).toHaveLength(1);
    const job = c.jobs[0]!;
    expect(job.pks.map((pk) => bytesToHex(pk))).toEqual([bytesToHex(plotPk), bytesToHex(authPk)]);
    expect(bytesToHex(job.message)).toBe(bytesToHex(PostPartialPayloadSchema.hash(request.payload)));
    expect(bytesToHex(job.plotId!)).toBe(bytesToHex(plotIdFromPoolContractPuzzleHash(contract, plotPk)));
    expect({ k: job.k, proof: bytesToHex(job.proof), challenge: bytesToHex(job.challenge) }).toEqual({
      k: 32,
      proof: bytesToHex(request.payload.proofOfSpace.proof),
      challenge: bytesToHex(request.payload.proofOfSpace.challenge),
    });
  });

  it('counts a bad signature or a bad proof against the sender, a poor quality not', async () => {
    const badSignature = context({ verdict: { signatureValid: false, proof: { valid: true, quality: randomBytes(32) } } });
    await expect(validatePartial(partialFor(challengeHash), farmer(), receivedAt, badSignature.ctx)).rejects.toMatchObject({ code: PoolErrorCode.INVALID_SIGNATURE });
    expect(badSignature.failures.failed).toHaveBeenCalledTimes(1);
    const badProof = context({ verdict: { signatureValid: true, proof: { valid: false, reason: 'not a proof' } } });
    await expect(validatePartial(partialFor(challengeHash), farmer(), receivedAt, badProof.ctx)).rejects.toMatchObject({
      code: PoolErrorCode.INVALID_PROOF,
      message: 'invalid proof of space: not a proof',
    });
    expect(badProof.failures.failed).toHaveBeenCalledTimes(1);
    // A valid proof whose quality cannot meet a difficulty this high: the farmer's harvester is fine, nothing is counted.
    const poor = context({ verdict: { signatureValid: true, proof: { valid: true, quality: new Uint8Array(32).fill(0xff) } } });
    await expect(validatePartial(partialFor(challengeHash), { ...farmer(), difficulty: 1n << 60n }, receivedAt, poor.ctx)).rejects.toMatchObject({
      code: PoolErrorCode.PROOF_NOT_GOOD_ENOUGH,
    });
    expect(poor.failures.failed).not.toHaveBeenCalled();
  });

  it('answers 16 (busy, nothing counted) when the verifier is at its bound', async () => {
    const c = context({ busy: true });
    await expect(validatePartial(partialFor(challengeHash), farmer(), receivedAt, c.ctx)).rejects.toMatchObject({
      code: PoolErrorCode.REQUEST_FAILED,
      message: expect.stringMatching(/^the pool is busy: 7 partials are already waiting .* nothing counts against you$/),
    });
    expect(c.failures.failed).not.toHaveBeenCalled();
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
