import { buildForwardPoolRewardSpends, chiaKeyGen, coinId, G2_INFINITY_HEX, loadBls, plotNftV2PuzzleHash, rewardPuzzleHash, type PlotNftV2Pool } from '@pool/chia';
import { DevnetChain, ManualClock, PlotNftV2Simulator } from '@pool/devnet';
import { farmerDecider, farmerStream } from '@pool/domain';
import { InMemoryEventStore } from '@pool/event-store';
import { StreamCommandRunner } from '@pool/event-sourcing';
import { ledgerCommandBusesClosedAfterEach } from '@pool/testing';
import { PlotNftV2MembershipTracker } from './plot-nft-v2-membership-tracker';

const POOL: PlotNftV2Pool = { poolClaimHash: '11'.repeat(32), relativeLockHeight: 5, poolMemoization: '80' };
const OTHER_POOL: PlotNftV2Pool = { poolClaimHash: '33'.repeat(32), relativeLockHeight: 5, poolMemoization: '80' };

describe('PlotNftV2MembershipTracker', () => {
  const commandBusFor = ledgerCommandBusesClosedAfterEach();
  let ownerPk: string;

  beforeAll(async () => {
    const bls = await loadBls();
    ownerPk = Buffer.from(bls.skToPk(chiaKeyGen(new Uint8Array(32).fill(9)))).toString('hex');
  });

  /** A v2 farmer registered while its Plot NFT pools to POOL, and the tracker following it. */
  const setup = async () => {
    const chain = new DevnetChain({ clock: new ManualClock(), networkBlockEverySignagePoints: 0 });
    const nfts = new PlotNftV2Simulator(chain);
    const { launcherId, id } = nfts.launch({ ownerPublicKey: ownerPk, pool: POOL });
    chain.farmBlock();
    const store = new InMemoryEventStore();
    const runner = new StreamCommandRunner(store);
    await runner.run(farmerStream(launcherId), farmerDecider, {
      type: 'RegisterFarmer',
      launcherId,
      authenticationPublicKey: ownerPk,
      ownerPublicKey: ownerPk,
      payoutInstructions: '22'.repeat(32),
      payoutPuzzleHash: '22'.repeat(32),
      p2SingletonPuzzleHash: rewardPuzzleHash(launcherId),
      delayTime: 0,
      delayPuzzleHash: '00'.repeat(32),
      difficulty: 1n,
      protocolVersion: 2,
      now: 0,
    });
    const tracker = new PlotNftV2MembershipTracker({
      store,
      commandBus: await commandBusFor(store),
      farmerState: async (launcher) => (await runner.load(farmerStream(launcher), farmerDecider)).state,
      chain,
      pool: POOL,
      now: () => 1,
    });
    const history = async () => (await store.readStream(farmerStream(launcherId))).map((e) => ({ type: e.type, data: e.data as Record<string, unknown> }));
    return { chain, nfts, launcherId, id, tracker, history };
  };

  it('records leaving once the lock height has passed in the waiting room, and rejoining from self-pooling', async () => {
    const { chain, nfts, launcherId, tracker, history } = await setup();
    expect(await tracker.check()).toBe(0);
    nfts.leavePool(launcherId);
    const exitHeight = chain.farmBlock().block.height;
    chain.farmBlocks(POOL.relativeLockHeight - 1);
    expect(await tracker.check()).toBe(0); // still inside the lock height: its last partials count
    chain.farmBlocks(1);
    expect(chain.peakHeight()).toBe(exitHeight + POOL.relativeLockHeight);
    expect(await tracker.check()).toBe(0);
    chain.farmBlock();
    expect(await tracker.check()).toBe(1);
    nfts.switchPool(launcherId, null);
    chain.farmBlock();
    expect(await tracker.check()).toBe(0); // self-pooling: still out
    nfts.joinPool(launcherId, POOL);
    chain.farmBlock();
    expect(await tracker.check()).toBe(1);
    expect((await history()).map((e) => e.type)).toEqual(['FarmerRegistered', 'FarmerLeftPool', 'FarmerRejoinedPool']);
    expect((await history())[1]!.data).toMatchObject({ reason: 'leaving', height: exitHeight + POOL.relativeLockHeight + 1 });
  });

  it('does not take a coin someone minted at the pooling puzzle hash for the Plot NFT coming back', async () => {
    const { chain, nfts, launcherId, id, tracker, history } = await setup();
    nfts.leavePool(launcherId);
    chain.farmBlocks(POOL.relativeLockHeight + 2);
    nfts.switchPool(launcherId, null);
    chain.farmBlock();
    expect(await tracker.check()).toBe(1);
    chain.mint(plotNftV2PuzzleHash(id, { ownerPublicKey: ownerPk, pool: POOL, exiting: false }), 1n);
    chain.farmBlock();
    expect(await tracker.check()).toBe(0);
    expect((await history()).map((e) => e.type)).toEqual(['FarmerRegistered', 'FarmerLeftPool']);
  });

  it('counts the waiting room from the exit, not from a reward forward that recreated the coin there', async () => {
    const { chain, nfts, launcherId, tracker } = await setup();
    nfts.leavePool(launcherId);
    const exitHeight = chain.farmBlock().block.height;
    chain.farmBlock({ poolPuzzleHash: rewardPuzzleHash(launcherId) });
    const view = nfts.view(launcherId);
    const [reward] = chain.unspentCoinsAt(rewardPuzzleHash(launcherId));
    const pair = buildForwardPoolRewardSpends({ id: view.id, state: view.state, plotNftCoin: view.currentCoin, lineageProof: view.lineageProof, rewardCoin: reward!.coin });
    chain.addToMempool({ coinSpends: [pair.singletonSpend, pair.rewardSpend], aggregatedSignature: G2_INFINITY_HEX });
    chain.farmBlock();
    const after = nfts.view(launcherId);
    expect(after.state.exiting).toBe(true);
    expect(chain.coinRecord(coinId(reward!.coin))?.spent).toBe(true);
    // The waiting-room coin is now younger than the exit: its own height would extend the grace.
    expect(chain.coinRecord(coinId(after.currentCoin))!.confirmedBlockIndex).toBeGreaterThan(exitHeight);
    chain.farmBlocks(exitHeight + POOL.relativeLockHeight + 1 - chain.peakHeight());
    expect(await tracker.check()).toBe(1);
  });

  it('records a Plot NFT that left for another pool as out, with that reason', async () => {
    const { chain, nfts, launcherId, tracker, history } = await setup();
    nfts.leavePool(launcherId);
    chain.farmBlocks(POOL.relativeLockHeight + 1);
    nfts.switchPool(launcherId, OTHER_POOL);
    chain.farmBlock();
    expect(await tracker.check()).toBe(1);
    expect((await history())[1]).toMatchObject({ type: 'FarmerLeftPool', data: { reason: 'other_pool' } });
  });
});
