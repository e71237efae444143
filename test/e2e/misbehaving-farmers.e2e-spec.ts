import { PoolErrorCode } from '@pool/chia';
import { MisbehavingFarmer, type Misbehaviour, type PoolAnswer } from '@pool/devnet';
import { farmerStream } from '@pool/domain';
import { afterFarmerStateWindow, DevnetPoolHarness, factCount, openLedgerCommandBus } from '../support';
import { MembershipTracker } from '@pool/worker';

/*
 * Each misbehaviour the devnet's MisbehavingFarmer can commit, against the pool running on the devnet over
 * HTTP: the pool answers with the protocol's error code and the event store holds exactly as many events
 * after the request as before it.
 */
describe('misbehaving farmers against the devnet pool', () => {
  const harness = new DevnetPoolHarness('misbehaving-farmers');
  const { chain } = harness;
  let mallory: MisbehavingFarmer;

  function misbehavingFarmer(name: string): MisbehavingFarmer {
    return new MisbehavingFarmer(harness.farmerOptions(`farmer ${name}`));
  }

  async function joinedAndRegistered(name: string): Promise<MisbehavingFarmer> {
    const f = misbehavingFarmer(name);
    await f.joinPool();
    chain.farmBlocks(6);
    expect(await f.register()).toEqual({ welcome_message: expect.any(String) });
    return f;
  }

  // The refused-partials log (written after the answer) is not a fact: a refusal must add no fact.
  const eventCount = (): Promise<number> => factCount(harness.store);

  /** Runs one misbehaviour: it must be refused with `code` and a message matching `phrase`, and append nothing. */
  async function expectRefused(misbehave: () => Promise<Misbehaviour>, code: PoolErrorCode, phrase: RegExp): Promise<PoolAnswer> {
    const before = await eventCount();
    const { answer } = await misbehave();
    expect(answer).toEqual({ error_code: code, error_message: expect.stringMatching(phrase) });
    expect(await eventCount()).toBe(before);
    return answer;
  }

  beforeAll(async () => {
    await harness.start();
    mallory = await joinedAndRegistered('mallory');
  });
  afterAll(() => harness.stop());

  it('accepts an honest partial of the same farmer (the control): one event appended', async () => {
    const before = await eventCount();
    expect(await mallory.submit(mallory.nextPartial())).toEqual({ new_difficulty: 1 });
    expect(await eventCount()).toBe(before + 1);
  });

  it('replayed partials: the identical request again, or the same proof signed over a new payload', async () => {
    const request = mallory.nextPartial();
    expect(await mallory.submit(request)).toEqual({ new_difficulty: 1 });
    await expectRefused(() => mallory.replayPartial(request), PoolErrorCode.REQUEST_FAILED, /already submitted; a proof is credited once/);
    await expectRefused(() => mallory.replayProofRelabelled(request), PoolErrorCode.REQUEST_FAILED, /already submitted/);
  });

  it('late partials: sent after the partial time limit', async () => {
    const limit = harness.config.settings.partialTimeLimit;
    await expectRefused(() => mallory.sendLatePartial(limit), PoolErrorCode.TOO_LATE, new RegExp(`after the signage point; the limit is ${limit} s`));
  });

  it('wrong signatures: keys that are not the plot’s and the registered ones, or a payload changed after signing', async () => {
    await expectRefused(() => mallory.sendWronglySignedPartial(), PoolErrorCode.INVALID_SIGNATURE, /aggregate signature does not verify/);
    await expectRefused(() => mallory.sendTamperedPartial(), PoolErrorCode.INVALID_SIGNATURE, /aggregate signature does not verify/);
  });

  it('wrong pool puzzle hash: a plot made for another plot NFT', async () => {
    const elsewhere = harness.hash('another plot NFT p2').toString('hex');
    await expectRefused(() => mallory.sendWrongPuzzleHashPartial(elsewhere), PoolErrorCode.INVALID_P2_SINGLETON_PUZZLE_HASH, new RegExp(`${elsewhere} is not your plot NFT's`));
  });

  it('unregistered launcher: partials for a launcher id the pool does not know', async () => {
    await expectRefused(() => mallory.sendPartialForUnregisteredLauncher(), PoolErrorCode.FARMER_NOT_KNOWN, /is not registered with this pool; POST \/farmer first/);
    // Its own plot NFT, launched on chain but never registered.
    const stranger = misbehavingFarmer('stranger');
    await stranger.joinPool();
    chain.farmBlocks(6);
    await expectRefused(async () => {
      const request = stranger.nextPartial();
      return { request, answer: await stranger.submit(request) };
    }, PoolErrorCode.FARMER_NOT_KNOWN, /is not registered with this pool/);
  });

  it('leaving the pool: counted while in the waiting room, refused once the lock height has passed and the pool recorded it', async () => {
    const leaver = await joinedAndRegistered('leaver');
    const bus = await openLedgerCommandBus(harness.store);
    const tracker = new MembershipTracker({
      store: harness.store,
      commandBus: bus.commandBus,
      chain: harness.client,
      pool: { targetPuzzleHash: harness.poolTarget, relativeLockHeight: harness.config.settings.relativeLockHeight },
      confirmationThreshold: harness.config.settings.confirmationSecurityThreshold,
      now: harness.now,
    });
    leaver.leavePool(2);
    expect(await tracker.check()).toBe(0); // leaving, but its lock height has not passed: still a member
    expect((await leaver.sendPartialAfterLeaving()).answer).toEqual({ new_difficulty: 1 });

    chain.farmBlocks(harness.config.settings.relativeLockHeight + 1);
    expect(await tracker.check()).toBe(1);
    expect((await harness.store.readStream(farmerStream(leaver.launcherId))).map((e) => e.type)).toEqual(['FarmerRegistered', 'FarmerLeftPool']);
    await afterFarmerStateWindow(); // recorded by another runner, as the worker's process would
    await expectRefused(() => leaver.sendPartialAfterLeaving(), PoolErrorCode.INVALID_SINGLETON, /has left this pool; its partials no longer count/);
    await bus.close();
  });
});
