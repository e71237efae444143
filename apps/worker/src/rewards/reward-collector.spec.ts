import { calculatePoolReward, coinId, type CoinRecord } from '@pool/chia';
import { DevnetChain, DevnetWallet, PlotNftSimulator, type LaunchedPlotNft } from '@pool/devnet';
import { farmerStream, rewardStream, type FarmerRegistered, type RewardEvent } from '@pool/domain';
import { InMemoryEventStore } from '@pool/event-store';
import { ledgerCommandBusesClosedAfterEach } from '@pool/testing';
import { deterministicEventId } from '@pool/event-sourcing';
import { RewardCollector, type RewardCollectorOptions } from './reward-collector';
import { V1RewardAbsorber } from './v1-reward-absorber';

const OWNER_PK = 'a16b798de8c9d15d163e96755e85d7be75cafd62683dbc02640f4c505f8c72b16927e94682d81aa962415a6c69e507d0';
const THRESHOLD = 3;
const commandBusFor = ledgerCommandBusesClosedAfterEach();

/** The devnet chain in process, its wallet as the pool's target, and plot NFTs registered straight in the ledger. */
async function setup(options: Partial<RewardCollectorOptions> = {}) {
  const chain = new DevnetChain({ seed: 'reward-collector-spec', networkBlockEverySignagePoints: 0 });
  const wallet = new DevnetWallet(chain);
  const store = new InMemoryEventStore();
  // A real bus over the store; the reward commands read their stream afresh, so restarted collectors may share it.
  const commandBus = await commandBusFor(store);
  const nfts = new PlotNftSimulator(chain);
  const errors: unknown[] = [];
  const collector = (): RewardCollector =>
    new RewardCollector({
      store,
      commandBus,
      chain,
      absorbers: [new V1RewardAbsorber({ chain })],
      targetPuzzleHash: wallet.puzzleHash,
      confirmationThreshold: THRESHOLD,
      now: () => chain.clock.now() / 1000,
      onAbsorbError: (_launcher, error) => errors.push(error),
      ...options,
      ...(options.wallet === undefined && options.feePerReward !== undefined ? { wallet } : {}),
    });

  async function member(name: string): Promise<LaunchedPlotNft> {
    const launched = nfts.launchPlotNft({
      ownerPk: OWNER_PK,
      poolUrl: 'https://pool.example',
      targetPuzzleHash: wallet.puzzleHash,
      relativeLockHeight: 5,
      delayTime: 604800,
      delayPuzzleHash: Buffer.from(name.padEnd(32, '.')).toString('hex'),
      state: 'FARMING_TO_POOL',
    });
    chain.farmBlock();
    const data: FarmerRegistered['data'] = {
      launcherId: launched.launcherId,
      authenticationPublicKey: OWNER_PK,
      ownerPublicKey: OWNER_PK,
      payoutInstructions: '55'.repeat(32),
      payoutPuzzleHash: '55'.repeat(32),
      p2SingletonPuzzleHash: launched.p2SingletonPuzzleHash,
      delayTime: 604800,
      delayPuzzleHash: Buffer.from(name.padEnd(32, '.')).toString('hex'),
      difficulty: '1',
      protocolVersion: 1,
      registeredAt: 0,
    };
    await store.append(farmerStream(launched.launcherId), [{ id: deterministicEventId(farmerStream(launched.launcherId), '0', 'register'), type: 'FarmerRegistered', data }], {
      expectedRevision: 'no_stream',
    });
    return launched;
  }

  const win = (nft: LaunchedPlotNft) => chain.farmBlock({ poolPuzzleHash: nft.p2SingletonPuzzleHash });
  const events = async (id: string): Promise<RewardEvent[]> =>
    (await store.readStream(rewardStream(id))).map((e) => ({ type: e.type, data: e.data }) as RewardEvent);
  const poolCoins = (): CoinRecord[] => chain.unspentCoinsAt(wallet.puzzleHash);
  return { chain, wallet, store, collector, member, win, events, poolCoins, errors, nfts };
}

describe('RewardCollector on the devnet chain', () => {
  it('detects a reward at once, absorbs it once buried, and records where the mojos went', async () => {
    const t = await setup();
    const nft = await t.member('alice');
    const won = t.win(nft);
    const collector = t.collector();

    expect(await collector.scan()).toMatchObject({ detected: 1, absorbsPushed: 0, absorbed: 0 });
    const rewardId = coinId(won.poolRewardCoin);
    expect(await t.events(rewardId)).toEqual([
      {
        type: 'RewardDetected',
        data: expect.objectContaining({
          coinId: rewardId,
          launcherId: nft.launcherId,
          amount: calculatePoolReward(won.block.height).toString(),
          farmedHeight: won.block.height,
          confirmedHeight: won.block.height,
        }),
      },
    ]);
    t.chain.farmBlocks(THRESHOLD - 1);
    expect(await collector.scan()).toMatchObject({ detected: 0, absorbsPushed: 0 });
    t.chain.farmBlock();
    expect(await collector.scan()).toMatchObject({ absorbsPushed: 1, absorbed: 0 });
    const absorbBlock = t.chain.farmBlock();
    expect(await collector.scan()).toMatchObject({ absorbsPushed: 0, absorbed: 1 });

    const [poolCoin] = t.poolCoins();
    expect(poolCoin.coin.amount).toBe(calculatePoolReward(won.block.height));
    const absorbed = (await t.events(rewardId))[1];
    expect(absorbed).toEqual({
      type: 'RewardAbsorbed',
      data: expect.objectContaining({ absorbedHeight: absorbBlock.block.height, poolCoinId: coinId(poolCoin.coin), fee: '0' }),
    });
    expect(absorbBlock.includedTransactions).toContain(collector.lastPushed.get(nft.launcherId));
    expect((await t.wallet.getWalletBalance(1)).confirmedWalletBalance).toBe(poolCoin.coin.amount);
    t.chain.farmBlocks(3);
    expect(await collector.scan()).toMatchObject({ detected: 0, absorbsPushed: 0, absorbed: 0, reverted: 0 });
    expect(await t.events(rewardId)).toHaveLength(2);
  });

  it('absorbs every claimable reward of every plot NFT in one run, chaining each singleton', async () => {
    const t = await setup();
    const alice = await t.member('alice');
    const bob = await t.member('bob');
    const won = [t.win(alice), t.win(bob), t.win(alice), t.win(alice)];
    t.chain.farmBlocks(THRESHOLD);
    const collector = t.collector();
    expect(await collector.scan()).toMatchObject({ detected: 4, absorbsPushed: 4 });
    t.chain.farmBlock();
    expect(await collector.scan()).toMatchObject({ absorbed: 4 });
    const amounts = t.poolCoins().map((r) => r.coin.amount).sort();
    expect(amounts).toEqual(won.map((w) => calculatePoolReward(w.block.height)).sort());
    const poolCoinIds = new Set<string>();
    for (const w of won) {
      const [, absorbed] = await t.events(coinId(w.poolRewardCoin));
      expect(absorbed?.type).toBe('RewardAbsorbed');
      poolCoinIds.add((absorbed as Extract<RewardEvent, { type: 'RewardAbsorbed' }>).data.poolCoinId);
    }
    expect(poolCoinIds).toEqual(new Set(t.poolCoins().map((r) => coinId(r.coin))));
  });

  it('picks up from the ledger after a restart without detecting or absorbing anything twice', async () => {
    const t = await setup();
    const nft = await t.member('alice');
    const won = t.win(nft);
    t.chain.farmBlocks(THRESHOLD);
    expect(await t.collector().scan()).toMatchObject({ detected: 1, absorbsPushed: 1 });
    t.chain.farmBlock();
    // A new instance (a restart) knows only what the store says.
    const restarted = t.collector();
    expect(await restarted.scan()).toMatchObject({ detected: 0, absorbsPushed: 0, absorbed: 1 });
    expect(await t.collector().scan()).toMatchObject({ detected: 0, absorbsPushed: 0, absorbed: 0 });
    expect((await t.events(coinId(won.poolRewardCoin))).map((e) => e.type)).toEqual(['RewardDetected', 'RewardAbsorbed']);
  });

  it('reverts a detected reward whose block a reorg orphaned', async () => {
    const t = await setup();
    const nft = await t.member('alice');
    const won = t.win(nft);
    const collector = t.collector();
    await collector.scan();
    const fork = won.block.height - 1;
    t.chain.reorg(1);
    expect(await collector.revertAfterReorg(fork)).toBe(1);
    expect(await collector.revertAfterReorg(fork)).toBe(0);
    expect((await t.events(coinId(won.poolRewardCoin)))[1]).toEqual({
      type: 'RewardReverted',
      data: expect.objectContaining({ forkHeight: fork, wasAbsorbed: false, reason: 'reorg' }),
    });
    t.chain.farmBlocks(THRESHOLD + 1);
    expect(await collector.scan()).toMatchObject({ detected: 0, absorbsPushed: 0 });
  });

  it('reverts an absorbed reward orphaned by a deep reorg, also when the reorg happened while it was down', async () => {
    const t = await setup();
    const nft = await t.member('alice');
    const won = t.win(nft);
    t.chain.farmBlocks(THRESHOLD);
    await t.collector().scan();
    t.chain.farmBlock();
    await t.collector().scan();
    t.chain.reorg(t.chain.peakHeight() - won.block.height + 1);
    // No revertAfterReorg call: the scan finds the coin gone by itself.
    expect(await t.collector().scan()).toMatchObject({ reverted: 1 });
    expect((await t.events(coinId(won.poolRewardCoin))).map((e) => e.type)).toEqual(['RewardDetected', 'RewardAbsorbed', 'RewardReverted']);
    expect((await t.events(coinId(won.poolRewardCoin)))[2]?.data).toMatchObject({ wasAbsorbed: true });
    expect(t.poolCoins()).toEqual([]);
  });

  it('leaves an absorb the devnet mempool re-included after a reorg as it was', async () => {
    const t = await setup();
    const nft = await t.member('alice');
    const won = t.win(nft);
    t.chain.farmBlocks(THRESHOLD);
    const collector = t.collector();
    await collector.scan();
    t.chain.farmBlock();
    expect(await collector.scan()).toMatchObject({ absorbed: 1 });
    t.chain.reorg(1, { newBlocks: 2 });
    expect((await t.chain.getCoinRecordByName(coinId(won.poolRewardCoin)))?.spent).toBe(true);
    expect(await collector.scan()).toMatchObject({ absorbsPushed: 0, absorbed: 0, reverted: 0 });
    expect((await t.events(coinId(won.poolRewardCoin))).map((e) => e.type)).toEqual(['RewardDetected', 'RewardAbsorbed']);
  });

  it('re-absorbs a reward whose absorb a reorg undid and dropped, without recording it twice', async () => {
    const t = await setup();
    const nft = await t.member('alice');
    const won = t.win(nft);
    t.chain.farmBlocks(THRESHOLD);
    const collector = t.collector();
    await collector.scan();
    t.chain.farmBlock();
    expect(await collector.scan()).toMatchObject({ absorbed: 1 });
    t.chain.reorg(1, { newBlocks: 2, dropOrphanedTransactions: true });
    expect((await t.chain.getCoinRecordByName(coinId(won.poolRewardCoin)))?.spent).toBe(false);
    expect(t.poolCoins()).toEqual([]);
    expect(await collector.scan()).toMatchObject({ absorbsPushed: 1, absorbed: 0, reverted: 0 });
    t.chain.farmBlock();
    expect(await collector.scan()).toMatchObject({ absorbsPushed: 0, absorbed: 0, reverted: 0 });
    expect((await t.events(coinId(won.poolRewardCoin))).map((e) => e.type)).toEqual(['RewardDetected', 'RewardAbsorbed']);
    expect(t.poolCoins().map((r) => r.coin.amount)).toEqual([calculatePoolReward(won.block.height)]);
  });

  it('pays a blockchain fee per reward from the wallet, tied to the absorb by its announcement', async () => {
    const t = await setup({ feePerReward: 1000n });
    t.wallet.fund(10_000n);
    const nft = await t.member('alice');
    const won = [t.win(nft), t.win(nft)];
    t.chain.farmBlocks(THRESHOLD);
    const collector = t.collector();
    expect(await collector.scan()).toMatchObject({ absorbsPushed: 2 });
    const absorbBlock = t.chain.farmBlock();
    expect(absorbBlock.block.fees).toBe(2000n);
    expect(await collector.scan()).toMatchObject({ absorbed: 2 });
    for (const w of won) expect((await t.events(coinId(w.poolRewardCoin)))[1]?.data).toMatchObject({ fee: '1000' });
    const rewards = won.reduce((sum, w) => sum + calculatePoolReward(w.block.height), 0n);
    expect((await t.wallet.getWalletBalance(1)).confirmedWalletBalance).toBe(rewards + 10_000n - 2000n);
    expect(t.errors).toEqual([]);
  });

  it('leaves the rewards of a plot NFT that now pays another pool unabsorbed', async () => {
    const t = await setup();
    const nft = await t.member('alice');
    t.win(nft);
    t.chain.addToMempool(t.nfts.leavePool(nft.launcherId));
    t.chain.farmBlocks(6);
    t.chain.addToMempool(t.nfts.selfPool(nft.launcherId, '66'.repeat(32)));
    t.chain.farmBlocks(THRESHOLD);
    expect(await t.collector().scan()).toMatchObject({ detected: 1, absorbsPushed: 0 });
  });
});
