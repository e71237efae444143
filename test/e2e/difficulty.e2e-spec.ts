import { createApiServer } from '@pool/api';
import { bytesToHex, plotIdFromPoolContractPuzzleHash, PoolErrorCode, ProofOfSpaceSchema, requiredIterations, verifyProof, type PostPartialRequest } from '@pool/chia';
import { type SimulatedFarmer } from '@pool/devnet';
import { farmerStream, partialStream, type DifficultyChanged } from '@pool/domain';
import { openEventStore } from '@pool/event-store';
import { DevnetPoolHarness, factsHead } from '../support';

/*
 * Automatic difficulty against the devnet pool: the reference algorithm (300 partials a day) run by the api
 * after each accepted partial, from the farmer's partials in the ledger; changes recorded as DifficultyChanged
 * (reason "policy") and answered as new_difficulty; a grace window after an increase; farmers that honour it.
 */
describe('difficulty policy against the devnet pool', () => {
  const harness = new DevnetPoolHarness('difficulty');
  const { chain, clock } = harness;

  beforeAll(() => harness.start());
  afterAll(() => harness.stop());

  async function registered(name: string, suggestedDifficulty: bigint | null = null): Promise<SimulatedFarmer> {
    const f = harness.farmer(name);
    await f.joinPool();
    chain.farmBlocks(6);
    expect(await f.register(f.walletPuzzleHash, suggestedDifficulty)).toEqual({ welcome_message: expect.any(String) });
    await f.getFarmer();
    return f;
  }

  async function difficultyChanges(f: SimulatedFarmer): Promise<DifficultyChanged['data'][]> {
    const events = await harness.store.readStream(farmerStream(f.launcherId));
    return events.filter((e) => e.type === 'DifficultyChanged').map((e) => e.data as DifficultyChanged['data']);
  }

  /** The points the ledger credited a partial with (its PartialSubmitted, found by proof hash). */
  async function creditedPoints(request: PostPartialRequest): Promise<string | undefined> {
    const proofHash = bytesToHex(ProofOfSpaceSchema.hash(request.payload.proofOfSpace));
    const events = await harness.store.readStream(partialStream(proofHash)).catch(() => []);
    return (events.find((e) => e.type === 'PartialSubmitted')?.data as { points: string } | undefined)?.points;
  }

  /** Another api process on the same ledger: its own store connection, command runner and caches. */
  async function anotherApiProcess(recentFarmerStateMs?: number): Promise<{ url: string; close(): Promise<void> }> {
    const store = await openEventStore(harness.eventStoreUrl);
    const app = await createApiServer(
      { config: harness.config, store, readModels: harness.readModels, chain: harness.client, bls: harness.bls, constants: harness.constants, clock: harness.now, ...(recentFarmerStateMs === undefined ? {} : { recentFarmerStateMs }) },
      ['error'],
    );
    await app.listen(0, '127.0.0.1');
    const url = await app.getUrl();
    return { url, close: async () => (await app.close(), await store.close()) };
  }

  /** Whether the partial's proof meets `difficulty` (what the pool checks after the signature and the proof). */
  function meets(request: PostPartialRequest, difficulty: bigint): boolean {
    const pos = request.payload.proofOfSpace;
    const verdict = verifyProof(pos.size, plotIdFromPoolContractPuzzleHash(pos.poolContractPuzzleHash!, pos.plotPublicKey), pos.challenge, pos.proof);
    if (!verdict.valid) throw new Error(`the simulator made an invalid proof: ${verdict.reason}`);
    const limit = harness.constants.poolSubSlotIters / BigInt(harness.constants.numSpsSubSlot);
    return requiredIterations(verdict.quality, request.payload.spHash, pos.size, difficulty, harness.constants.difficultyConstantFactor) < limit;
  }

  it('judges a partial again on the stored farmer before refusing it: another api process lowered its difficulty a moment ago', async () => {
    const f = await registered('two-processes', 9n);
    // This process judges partials by a farmer state up to an hour old; the other one records the change.
    const [judging, changing] = [await anotherApiProcess(3_600_000), await anotherApiProcess()];
    try {
      f.pointAt(judging.url);
      expect(await f.getFarmer()).toMatchObject({ current_difficulty: 9 }); // the judging process now knows difficulty 9
      f.pointAt(changing.url);
      await f.updateFarmer({ suggestedDifficulty: 1n });
      expect(f.difficulty).toBe(1n);
      let partial = f.nextPartial();
      for (let tries = 0; meets(partial, 9n); tries++) {
        if (tries > 50) throw new Error('every partial met difficulty 9');
        partial = f.nextPartial();
      }
      f.pointAt(judging.url);
      // By the state it knew, the proof does not meet the difficulty; by the stored one it does.
      expect(await f.submit(partial)).toEqual({ new_difficulty: 1 });
      expect(await creditedPoints(partial)).toBe('1');
    } finally {
      f.pointAt(harness.poolUrl);
      await judging.close();
      await changing.close();
    }
  });

  it('lowers the difficulty of a farmer that went quiet for over an hour, on its next partial', async () => {
    const f = await registered('quiet', 9n);
    expect(f.difficulty).toBe(9n);
    const first = f.nextPartial();
    expect(await f.submit(first)).toEqual({ new_difficulty: 9 });

    chain.advance(2 * 3600 * 1000);
    const second = f.nextPartial();
    const receivedAt = Math.floor(harness.now());
    // The reference algorithm: silent for more than 1 h (and at most 3 h) -> floor(2/3 * 9) = 6.
    expect(await f.submit(second)).toEqual({ new_difficulty: 6 });
    expect(f.difficulty).toBe(6n); // the simulator honours it
    expect(await creditedPoints(second)).toBe('9'); // the partial itself was judged at the difficulty it was made for
    expect(await difficultyChanges(f)).toEqual([
      { launcherId: f.launcherId, from: '9', to: '6', reason: 'policy', changedAt: expect.any(Number), graceUntil: null },
    ]);
    const [change] = await difficultyChanges(f);
    expect(Math.abs(change!.changedAt - receivedAt)).toBeLessThanOrEqual(1);
    expect(await f.getFarmer()).toMatchObject({ current_difficulty: 6 });
  });

  it('raises the difficulty of a farmer sending far more than 300 partials a day, with a grace window for partials in flight', async () => {
    const f = await registered('busy');
    const sent: number[] = [];
    while (sent.length < 300) {
      const answer = await f.submit(f.nextPartial());
      expect(answer).toEqual({ new_difficulty: 1 });
      sent.push(Math.floor(harness.now()));
    }
    expect(await difficultyChanges(f)).toEqual([]);

    // The 301st partial: the 300 before it took `span` seconds, so the policy sets 1 * 86,400 / span.
    const trigger = f.nextPartial();
    const span = sent[sent.length - 1]! - sent[0]!;
    const expected = Math.floor(86_400 / span);
    expect(expected).toBeGreaterThan(1);
    const changedAt = Math.floor(harness.now());
    expect(await f.submit(trigger)).toEqual({ new_difficulty: expected });
    expect(f.difficulty).toBe(BigInt(expected));
    const grace = harness.config.settings.difficultyGraceSeconds;
    expect(await difficultyChanges(f)).toEqual([
      { launcherId: f.launcherId, from: '1', to: String(expected), reason: 'policy', changedAt, graceUntil: changedAt + grace },
    ]);

    // A partial the farmer computed at difficulty 1 before it heard of the change: inside the grace window it
    // counts, at the old difficulty.
    const { atOldOnly } = partialsMeetingOnlyTheOldDifficulty(f, BigInt(expected));
    expect(await f.submit(atOldOnly)).toEqual({ new_difficulty: expected });
    expect(await creditedPoints(atOldOnly)).toBe('1');

    // After the window the same kind of partial is refused, and nothing is written.
    clock.advance((grace + 1) * 1000);
    const late = partialsMeetingOnlyTheOldDifficulty(f, BigInt(expected)).atOldOnly;
    const before = await factsHead(harness.store);
    expect(await f.submit(late)).toMatchObject({ error_code: PoolErrorCode.PROOF_NOT_GOOD_ENOUGH });
    expect(await factsHead(harness.store)).toEqual(before);

    // Honouring the new difficulty, the farmer only sends partials that meet it, credited at it; the window
    // now holds partials of another difficulty, so the policy leaves it alone.
    expect(f.difficulty).toBe(BigInt(expected));
    const honest = f.nextPartial(20_000);
    expect(await f.submit(honest)).toEqual({ new_difficulty: expected });
    expect(await creditedPoints(honest)).toBe(String(expected));
    expect(await difficultyChanges(f)).toHaveLength(1);
  });

  /** A partial at difficulty 1 whose proof does not meet `raised` (what a farmer that missed the change sends). */
  function partialsMeetingOnlyTheOldDifficulty(f: SimulatedFarmer, raised: bigint): { atOldOnly: PostPartialRequest } {
    const believed = f.difficulty;
    try {
      for (let sp = 0; sp < 2000; sp++) {
        chain.advanceSignagePoints(1);
        const entry = chain.latestSignagePoint();
        const height = chain.peakHeight() + 1;
        f.difficulty = raised;
        const atNew = new Set(f.partialsFor(entry, height).map((r) => bytesToHex(r.payload.proofOfSpace.proof)));
        f.difficulty = 1n;
        const atOldOnly = f.partialsFor(entry, height).find((r) => !atNew.has(bytesToHex(r.payload.proofOfSpace.proof)));
        if (atOldOnly) return { atOldOnly };
      }
      throw new Error('no partial meeting only difficulty 1 in 2000 signage points');
    } finally {
      f.difficulty = believed;
    }
  }

  it('PUT /farmer from the simulated farmer: new payout instructions and a suggested difficulty, which it then farms at', async () => {
    const f = await registered('updater');
    expect(await f.submit(f.nextPartial())).toEqual({ new_difficulty: 1 });
    const payout = harness.hash('updater payout').toString('hex');
    expect(await f.updateFarmer({ payoutInstructions: payout, suggestedDifficulty: 4n })).toEqual({ authentication_public_key: false, payout_instructions: true, suggested_difficulty: true });
    expect(f.difficulty).toBe(4n);
    expect(await f.getFarmer()).toMatchObject({ payout_instructions: payout, current_difficulty: 4 });
    const types = (await harness.store.readStream(farmerStream(f.launcherId))).map((e) => e.type);
    expect(types).toEqual(['FarmerRegistered', 'FarmerUpdated', 'DifficultyChanged']);
    expect((await difficultyChanges(f))[0]).toMatchObject({ from: '1', to: '4', reason: 'farmer_request' });

    const next = f.nextPartial();
    expect(await f.submit(next)).toEqual({ new_difficulty: 4 });
    expect(await creditedPoints(next)).toBe('4');
    // Within the cooldown a second update is refused and changes nothing.
    expect(await f.updateFarmer({ suggestedDifficulty: 8n })).toMatchObject({ error_code: PoolErrorCode.REQUEST_FAILED });
    expect(f.difficulty).toBe(4n);
  });
});
