import { DevnetChain, ManualClock, PlotNftSimulator } from '@pool/devnet';
import { farmerDecider, farmerStream } from '@pool/domain';
import { InMemoryEventStore } from '@pool/event-store';
import { ledgerCommandBusesClosedAfterEach } from '@pool/testing';
import { StreamCommandRunner } from '@pool/event-sourcing';
import { MembershipTracker } from './membership-tracker';

const TARGET = 'ab'.repeat(32);
const LOCK = 5;

describe('MembershipTracker', () => {
  const commandBusFor = ledgerCommandBusesClosedAfterEach();

  const setup = async () => {
    const chain = new DevnetChain({ clock: new ManualClock(), networkBlockEverySignagePoints: 0 });
    const store = new InMemoryEventStore();
    const runner = new StreamCommandRunner(store);
    const nfts = new PlotNftSimulator(chain);
    const launched = nfts.launchPlotNft({
      ownerPk: 'a0'.repeat(48),
      poolUrl: 'https://pool.example',
      targetPuzzleHash: TARGET,
      relativeLockHeight: LOCK,
      delayTime: 604_800,
      delayPuzzleHash: 'cd'.repeat(32),
      state: 'FARMING_TO_POOL',
    });
    chain.farmBlocks(3);
    const launcherId = launched.launcherId;
    await runner.run(farmerStream(launcherId), farmerDecider, {
      type: 'RegisterFarmer',
      launcherId,
      authenticationPublicKey: 'a1',
      ownerPublicKey: 'a0'.repeat(48),
      payoutInstructions: 'txch1example',
      payoutPuzzleHash: 'cc'.repeat(32),
      p2SingletonPuzzleHash: launched.p2SingletonPuzzleHash,
      delayTime: 604_800,
      delayPuzzleHash: 'cd'.repeat(32),
      difficulty: 1n,
      protocolVersion: 1,
      now: 1,
    });
    // Counts the spends the tracker decodes: the cost of a walk.
    let spendLookups = 0;
    const countingChain = Object.assign(Object.create(chain) as DevnetChain, {
      getPuzzleAndSolution: (id: string, height: number) => {
        spendLookups++;
        return chain.getPuzzleAndSolution(id, height);
      },
    });
    const tracker = new MembershipTracker({
      store,
      commandBus: await commandBusFor(store),
      chain: countingChain,
      pool: { targetPuzzleHash: TARGET, relativeLockHeight: LOCK },
      confirmationThreshold: 2,
      now: () => 100,
    });
    const history = async () => (await store.readStream(farmerStream(launcherId))).map((e) => e.type);
    return { chain, store, nfts, launcherId, tracker, history, lookups: () => spendLookups, resetLookups: () => (spendLookups = 0) };
  };

  it('walks from the launcher once, then continues from the known tip', async () => {
    const { chain, nfts, launcherId, tracker, lookups, resetLookups } = await setup();
    expect(await tracker.check()).toBe(0);
    expect(tracker.fullWalks).toBe(1);

    chain.farmBlocks(2);
    resetLookups();
    expect(await tracker.check()).toBe(0);
    expect(tracker.fullWalks).toBe(1);
    expect(lookups()).toBe(0); // the tip is still unspent: nothing to decode

    chain.addToMempool(nfts.leavePool(launcherId));
    chain.farmBlocks(2);
    resetLookups();
    expect(await tracker.check()).toBe(0); // leaving: still a member until the lock height passes
    expect(tracker.fullWalks).toBe(1);
    expect(lookups()).toBe(1); // only the new travel spend
  });

  it('walks again from the launcher when a reorg moved the known tip, and still records the leave at the right height', async () => {
    const { chain, nfts, launcherId, tracker, history } = await setup();
    chain.farmBlocks(1);
    chain.addToMempool(nfts.leavePool(launcherId));
    const leaveHeight = chain.farmBlocks(1)[0]!.block.height;
    chain.farmBlocks(2);
    expect(await tracker.check()).toBe(0);
    expect(tracker.fullWalks).toBe(1);

    // Orphan from the block before the leave: the new branch includes the leave one block lower.
    chain.reorg(chain.peakHeight() - leaveHeight + 2);
    expect(await tracker.check()).toBe(0);
    expect(tracker.fullWalks).toBe(2);

    // Member while peak - (leaveHeight - 1) <= LOCK; one block later it has left.
    while (chain.peakHeight() - (leaveHeight - 1) <= LOCK) {
      expect(await tracker.check()).toBe(0);
      chain.farmBlocks(1);
    }
    expect(await tracker.check()).toBe(1);
    expect(await history()).toEqual(['FarmerRegistered', 'FarmerLeftPool']);
    expect(tracker.fullWalks).toBe(2);
  });

  it('starts from the launcher again after a restart (nothing but the ledger survives)', async () => {
    const { chain, store, tracker } = await setup();
    await tracker.check();
    chain.farmBlocks(1);
    const restarted = new MembershipTracker({
      store,
      commandBus: await commandBusFor(store),
      chain,
      pool: { targetPuzzleHash: TARGET, relativeLockHeight: LOCK },
      confirmationThreshold: 2,
      now: () => 100,
    });
    expect(await restarted.check()).toBe(0);
    expect(restarted.fullWalks).toBe(1);
  });
});
