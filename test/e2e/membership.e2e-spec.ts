import { PlotNftSimulator, type SimulatedFarmer } from '@pool/devnet';
import { farmerStream } from '@pool/domain';
import { afterFarmerStateWindow, DevnetPoolHarness, openLedgerCommandBus, type LedgerCommandBus } from '../support';
import { MembershipTracker } from '@pool/worker';

/** A farmer who leaves the pool on chain stops scoring once the tracker has seen it, and scores again on return. */
describe('membership tracking against the devnet', () => {
  const harness = new DevnetPoolHarness('membership');
  const { chain } = harness;
  let tracker: MembershipTracker;
  let bus: LedgerCommandBus;

  beforeAll(async () => {
    await harness.start();
    bus = await openLedgerCommandBus(harness.store);
    tracker = new MembershipTracker({
      store: harness.store,
      commandBus: bus.commandBus,
      chain: harness.client,
      pool: { targetPuzzleHash: harness.poolTarget, relativeLockHeight: harness.config.settings.relativeLockHeight },
      confirmationThreshold: harness.config.settings.confirmationSecurityThreshold,
      now: harness.now,
    });
  });
  afterAll(async () => {
    await bus.close();
    await harness.stop();
  });

  async function onePartial(f: SimulatedFarmer): Promise<Record<string, unknown>> {
    for (let sp = 0; sp < 2000; sp++) {
      chain.advanceSignagePoints(1);
      const [partial] = f.partialsFor(chain.latestSignagePoint(), chain.peakHeight() + 1);
      if (partial) return f.submit(partial);
    }
    throw new Error('no partial in 2000 signage points');
  }

  it('records FarmerLeftPool once the lock height has passed, then refuses its partials', async () => {
    const f = harness.farmer('leaver');
    await f.joinPool();
    chain.farmBlocks(6);
    await f.register();
    expect(await tracker.check()).toBe(0);
    expect(await onePartial(f)).toEqual({ new_difficulty: 1 });

    chain.addToMempool(new PlotNftSimulator(chain).leavePool(f.launcherId));
    chain.farmBlocks(2);
    // Leaving: still a member until its relative lock height has passed.
    expect(await tracker.check()).toBe(0);
    chain.farmBlocks(harness.config.settings.relativeLockHeight + 1);
    expect(await tracker.check()).toBe(1);
    const types = (await harness.store.readStream(farmerStream(f.launcherId))).map((e) => e.type);
    expect(types).toEqual(['FarmerRegistered', 'FarmerLeftPool']);
    await afterFarmerStateWindow(); // recorded by the tracker, as the worker's process would
    expect(await onePartial(f)).toMatchObject({ error_code: 14, error_message: expect.stringMatching(/has left this pool/) });
    expect(await tracker.check()).toBe(0);
  });
});
