import { calculatePoolReward, coinId } from '@pool/chia';
import { conditionsPuzzleHash, DevnetWallet, type SimulatedFarmer } from '@pool/devnet';
import { REWARD_EVENT_TYPES, type RewardEvent } from '@pool/domain';
import { DevnetPoolHarness, openLedgerCommandBus, type LedgerCommandBus } from '../support';
import { ChainFollower } from '@pool/worker';
import { type RewardCollector } from '@pool/worker';
import { createRewardCollector } from '@pool/worker';

/**
 * Farmers with real plots win devnet blocks; the pool, reaching the devnet over its mutual-TLS RPC, detects the
 * 7/8 coins at their plot NFTs' p2 singleton puzzle hashes, absorbs them into its wallet once buried, and
 * reverts the one a reorg orphans.
 */
describe('reward collection against the devnet', () => {
  // The devnet wallet's puzzle hash is fixed by its tag, so the pool can farm to it before the wallet exists.
  const harness = new DevnetPoolHarness('rewards', { settings: { targetPuzzleHash: conditionsPuzzleHash('pool-wallet') } });
  const { chain } = harness;
  const wallet = new DevnetWallet(chain);
  let collector: RewardCollector;
  let follower: ChainFollower;
  let bus: LedgerCommandBus;
  const warnings: string[] = [];
  let farmers: SimulatedFarmer[] = [];

  beforeAll(async () => {
    await harness.start();
    const client = harness.client;
    bus = await openLedgerCommandBus(harness.store);
    collector = createRewardCollector({
      store: harness.store,
      commandBus: bus.commandBus,
      chain: client,
      settings: harness.config.settings,
      now: harness.now,
      logger: { log: () => undefined, warn: (line: string) => warnings.push(line) },
    });
    follower = new ChainFollower({ chain: client });
  });
  afterAll(async () => {
    await bus.close();
    await harness.stop();
  });

  const threshold = (): number => harness.config.settings.confirmationSecurityThreshold;

  /** Signage points go by until `farmer` wins a block with its plot; returns the farmed height. */
  function winBlock(farmer: SimulatedFarmer): number {
    for (let sp = 0; sp < 20_000; sp++) {
      chain.advanceSignagePoints(1);
      const height = chain.peakHeight() + 1;
      if (farmer.tryToWinBlock(chain.latestSignagePoint(), height)) return height;
    }
    throw new Error('no block won in 20,000 signage points');
  }

  async function rewardEvents(): Promise<RewardEvent[]> {
    return (await harness.store.readAll({ filter: { types: [...REWARD_EVENT_TYPES] } })).map((e) => ({ type: e.type, data: e.data }) as RewardEvent);
  }

  it('absorbs every block the pool farmers win into the wallet at the target puzzle hash, each exactly once', async () => {
    expect(wallet.puzzleHash).toBe(harness.config.settings.targetPuzzleHash);
    farmers = [harness.farmer('reward-a'), harness.farmer('reward-b')];
    for (const f of farmers) await f.joinPool();
    chain.farmBlocks(threshold() + 1);
    for (const f of farmers) expect((await f.connect()).error_code).toBeUndefined();
    await follower.poll();

    const heights = [winBlock(farmers[0]!), winBlock(farmers[1]!), winBlock(farmers[0]!)];
    expect((await collector.scan()).detected).toBe(3);
    chain.farmBlocks(threshold());
    expect(await collector.scan()).toMatchObject({ detected: 0, absorbsPushed: 3 });
    chain.farmBlock();
    expect(await collector.scan()).toMatchObject({ absorbsPushed: 0, absorbed: 3 });
    chain.farmBlocks(2);
    expect(await collector.scan()).toMatchObject({ detected: 0, absorbsPushed: 0, absorbed: 0, reverted: 0 });

    const events = await rewardEvents();
    const absorbed = events.filter((e): e is Extract<RewardEvent, { type: 'RewardAbsorbed' }> => e.type === 'RewardAbsorbed');
    expect(absorbed).toHaveLength(3);
    expect(new Set(absorbed.map((e) => e.data.coinId)).size).toBe(3);
    const detected = events.filter((e): e is Extract<RewardEvent, { type: 'RewardDetected' }> => e.type === 'RewardDetected');
    expect(detected.map((e) => e.data.farmedHeight).sort((a, b) => a - b)).toEqual(heights);
    for (const e of detected) expect(e.data.amount).toBe(calculatePoolReward(e.data.farmedHeight).toString());
    expect(new Set(detected.map((e) => e.data.launcherId))).toEqual(new Set(farmers.map((f) => f.launcherId)));

    // The wallet sees exactly the absorbed coins, so the payout saga can spend them.
    const coins = chain.unspentCoinsAt(wallet.puzzleHash);
    expect(new Set(coins.map((r) => coinId(r.coin)))).toEqual(new Set(absorbed.map((e) => e.data.poolCoinId)));
    const total = heights.reduce((sum, h) => sum + calculatePoolReward(h), 0n);
    expect((await wallet.getWalletBalance(1)).confirmedWalletBalance).toBe(total);
    expect(warnings).toEqual([]);
  });

  it('reverts a reward whose block a reorg orphans and never absorbs it', async () => {
    const farmer = farmers[1]!;
    const height = winBlock(farmer);
    await follower.poll(); // the follower has seen the block the reorg will take away
    expect((await collector.scan()).detected).toBe(1);
    const orphanedReward = (await rewardEvents()).find((e) => e.type === 'RewardDetected' && e.data.farmedHeight === height)!;

    chain.reorg(chain.peakHeight() - height + 1);
    const reorg = await follower.poll();
    expect(reorg?.forkHeight).toBe(height - 1);
    expect(await collector.revertAfterReorg(reorg!.forkHeight)).toBe(1);

    chain.farmBlocks(threshold() + 1);
    expect(await collector.scan()).toMatchObject({ detected: 0, absorbsPushed: 0, absorbed: 0 });
    const events = (await rewardEvents()).filter((e) => e.data.coinId === orphanedReward.data.coinId);
    expect(events.map((e) => e.type)).toEqual(['RewardDetected', 'RewardReverted']);
    expect(events[1]?.data).toMatchObject({ forkHeight: height - 1, wasAbsorbed: false });
    const absorbed = (await rewardEvents()).filter((e) => e.type === 'RewardAbsorbed');
    expect(absorbed).toHaveLength(3);
    expect(chain.unspentCoinsAt(wallet.puzzleHash)).toHaveLength(3);
  });
});
