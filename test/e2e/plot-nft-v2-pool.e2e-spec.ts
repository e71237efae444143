import { calculatePoolReward, coinId, plotNftV2PuzzleHash, type PlotNftV2Pool } from '@pool/chia';
import { conditionsPuzzleHash, DevnetWallet, SimulatedFarmerV2 } from '@pool/devnet';
import { farmerDecider, farmerStream, REWARD_EVENT_TYPES, type RewardEvent } from '@pool/domain';
import { StreamCommandRunner } from '@pool/event-sourcing';
import { createRewardCollector, PlotNftV2MembershipTracker, type RewardCollector } from '@pool/worker';
import { afterFarmerStateWindow, DevnetPoolHarness, factsHead, openLedgerCommandBus, type LedgerCommandBus } from '../support';

const LOCK = 5;

/**
 * Chia's real v2 Plot NFTs against the pool, end to end: farmers launch them on the devnet and register over HTTP;
 * the pool reaches the devnet through its real RPC client to find them by puzzle hash (and tell them from coins
 * someone minted there), to follow them out of the pool, and to forward the rewards their plots win to its claim
 * hash through the singleton's pool path.
 */
describe('v2 Plot NFTs against the pool', () => {
  // The devnet wallet's puzzle hash is fixed by its tag, so the pool can name it as its claim hash before it exists.
  const harness = new DevnetPoolHarness('plot-nft-v2-pool', { settings: { targetPuzzleHash: conditionsPuzzleHash('pool-wallet'), relativeLockHeight: LOCK } });
  const { chain } = harness;
  const wallet = new DevnetWallet(chain);
  const otherPool: PlotNftV2Pool = { poolClaimHash: '77'.repeat(32), relativeLockHeight: LOCK, poolMemoization: '80' };
  let bus: LedgerCommandBus;
  let collector: RewardCollector;
  let tracker: PlotNftV2MembershipTracker;
  let farmers = 0;
  const warnings: string[] = [];

  beforeAll(async () => {
    await harness.start();
    bus = await openLedgerCommandBus(harness.store);
    const runner = new StreamCommandRunner(harness.store);
    collector = createRewardCollector({
      store: harness.store,
      commandBus: bus.commandBus,
      chain: harness.client,
      settings: harness.config.settings,
      now: harness.now,
      logger: { log: () => undefined, warn: (line: string) => warnings.push(line) },
    });
    tracker = new PlotNftV2MembershipTracker({
      store: harness.store,
      commandBus: bus.commandBus,
      farmerState: async (launcherId) => (await runner.load(farmerStream(launcherId), farmerDecider)).state,
      chain: harness.client,
      pool: { poolClaimHash: harness.config.settings.targetPuzzleHash, relativeLockHeight: LOCK, poolMemoization: '80' },
      now: harness.now,
    });
  });
  afterAll(async () => {
    await bus.close();
    await harness.stop();
  });

  const threshold = (): number => harness.config.settings.confirmationSecurityThreshold;
  const farmer = (): SimulatedFarmerV2 => new SimulatedFarmerV2(harness.farmerOptions(`plot-nft-v2 farmer ${farmers++}`));

  async function launched(): Promise<SimulatedFarmerV2> {
    const f = farmer();
    await f.joinPool();
    chain.farmBlock();
    return f;
  }

  /** The puzzle hash the pool looks the farmer's Plot NFT up by: pooling to this pool under the farmer's key. */
  const poolingPuzzleHash = (f: SimulatedFarmerV2): string =>
    plotNftV2PuzzleHash(f.plotNftIdentity, { ownerPublicKey: Buffer.from(f.authenticationPublicKey).toString('hex'), pool: f.pool, exiting: false });

  /** Signage points go by until `f` wins a block with its plot; returns the farmed height. */
  function winBlock(f: SimulatedFarmerV2): number {
    for (let sp = 0; sp < 20_000; sp++) {
      chain.advanceSignagePoints(1);
      const height = chain.peakHeight() + 1;
      if (f.tryToWinBlock(chain.latestSignagePoint(), height)) return height;
    }
    throw new Error('no block won in 20,000 signage points');
  }

  it('registers a member although someone minted a coin at its pooling puzzle hash', async () => {
    const f = await launched();
    chain.mint(poolingPuzzleHash(f), 1n);
    chain.farmBlock();
    expect(chain.unspentCoinsAt(poolingPuzzleHash(f))).toHaveLength(2);
    expect(await f.register()).toEqual({ welcome_message: expect.any(String) });
  });

  it('refuses at registration a coin minted by someone else at the pooling puzzle hash of a Plot NFT that pools elsewhere', async () => {
    const f = await launched();
    f.plotNfts.leavePool(f.launcherId);
    chain.farmBlocks(LOCK + 1);
    f.plotNfts.switchPool(f.launcherId, otherPool);
    chain.farmBlock();
    chain.mint(poolingPuzzleHash(f), 1n);
    chain.farmBlock();
    const before = await factsHead(harness.store);
    expect(await f.register()).toMatchObject({ error_code: 14, error_message: expect.stringMatching(/not created by that singleton/) });
    expect(await factsHead(harness.store)).toEqual(before);
  });

  it('forwards the rewards v2 members win to the claim hash, each once, through the node RPC', async () => {
    expect(wallet.puzzleHash).toBe(harness.config.settings.targetPuzzleHash);
    const members = [await launched(), await launched()];
    for (const f of members) expect(await f.register()).toEqual({ welcome_message: expect.any(String) });
    const heights = [winBlock(members[0]!), winBlock(members[1]!), winBlock(members[0]!)];
    expect((await collector.scan()).detected).toBe(3);
    chain.farmBlocks(threshold());
    expect(await collector.scan()).toMatchObject({ detected: 0, absorbsPushed: 3 });
    chain.farmBlock();
    expect(await collector.scan()).toMatchObject({ absorbsPushed: 0, absorbed: 3 });

    const events = (await harness.store.readAll({ filter: { types: [...REWARD_EVENT_TYPES] } })).map((e) => ({ type: e.type, data: e.data }) as RewardEvent);
    const absorbed = events.filter((e): e is Extract<RewardEvent, { type: 'RewardAbsorbed' }> => e.type === 'RewardAbsorbed');
    expect(absorbed).toHaveLength(3);
    const coins = chain.unspentCoinsAt(wallet.puzzleHash);
    expect(new Set(coins.map((r) => coinId(r.coin)))).toEqual(new Set(absorbed.map((e) => e.data.poolCoinId)));
    const total = heights.reduce((sum, h) => sum + calculatePoolReward(h), 0n);
    expect((await wallet.getWalletBalance(1)).confirmedWalletBalance).toBe(total);
    // The Plot NFTs still pool here after their forwards.
    for (const f of members) expect(f.plotNftView().state).toMatchObject({ exiting: false, pool: f.pool });
    expect(warnings).toEqual([]);
  });

  it('stops scoring a member whose Plot NFT left, once the lock height has passed in the waiting room', async () => {
    const f = await launched();
    expect(await f.register()).toEqual({ welcome_message: expect.any(String) });
    await tracker.check();
    f.plotNfts.leavePool(f.launcherId);
    const exitHeight = chain.farmBlock().block.height;
    chain.farmBlocks(LOCK);
    expect(chain.peakHeight()).toBe(exitHeight + LOCK);
    expect(await tracker.check()).toBe(0); // still in its grace: its last partials count
    chain.farmBlock();
    expect(await tracker.check()).toBe(1);
    expect((await harness.store.readStream(farmerStream(f.launcherId))).map((e) => e.type)).toContain('FarmerLeftPool');
    await afterFarmerStateWindow(); // recorded by the tracker, as the worker's process would
    let answer: unknown;
    for (let sp = 0; sp < 2000 && answer === undefined; sp++) {
      chain.advanceSignagePoints(1);
      const [request] = f.partialsFor(chain.latestSignagePoint(), chain.peakHeight() + 1);
      if (request) answer = await f.submit(request);
    }
    expect(answer).toMatchObject({ error_code: 14, error_message: expect.stringMatching(/has left this pool/) });
  });
});
