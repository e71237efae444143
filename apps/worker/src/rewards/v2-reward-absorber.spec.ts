import { Program } from 'clvm-lib';
import {
  buildForwardPoolRewardSpends,
  calculatePoolReward,
  chiaKeyGen,
  coinId,
  G2_INFINITY_HEX,
  loadBls,
  rewardPuzzleHash,
  runProgram,
  spendBundleName,
  type Coin,
  type CoinSpend,
  type PlotNftV2Pool,
  type SpendBundle,
} from '@pool/chia';
import { DevnetChain, DevnetWallet, PlotNftV2Simulator, type LaunchedPlotNftV2 } from '@pool/devnet';
import { farmerStream, rewardStream, type FarmerRegistered, type RewardEvent, type RewardLauncher } from '@pool/domain';
import { InMemoryEventStore } from '@pool/event-store';
import { deterministicEventId } from '@pool/event-sourcing';
import { ledgerCommandBusesClosedAfterEach } from '@pool/testing';
import { RewardCollector, type RewardCollectorOptions } from './reward-collector';
import { V2RewardAbsorber } from './v2-reward-absorber';

const THRESHOLD = 3;
const LOCK = 5;
const commandBusFor = ledgerCommandBusesClosedAfterEach();

/** The devnet chain in process, its wallet's puzzle hash as the pool claim hash, v2 farmers registered in the ledger. */
async function setup(options: Partial<RewardCollectorOptions> = {}) {
  const bls = await loadBls();
  const ownerPk = Buffer.from(bls.skToPk(chiaKeyGen(new Uint8Array(32).fill(3)))).toString('hex');
  const chain = new DevnetChain({ seed: 'v2-reward-absorber-spec', networkBlockEverySignagePoints: 0 });
  const wallet = new DevnetWallet(chain);
  const pool: PlotNftV2Pool = { poolClaimHash: wallet.puzzleHash, relativeLockHeight: LOCK, poolMemoization: '80' };
  const store = new InMemoryEventStore();
  const commandBus = await commandBusFor(store);
  const nfts = new PlotNftV2Simulator(chain);
  const errors: unknown[] = [];
  /** Every bundle the collector pushes, in order. */
  const pushed: SpendBundle[] = [];
  const recordingChain = Object.assign(Object.create(chain) as DevnetChain, {
    pushTx: (bundle: SpendBundle) => {
      pushed.push(bundle);
      return chain.pushTx(bundle);
    },
  });
  const collector = (): RewardCollector =>
    new RewardCollector({
      store,
      commandBus,
      chain: recordingChain,
      absorbers: [new V2RewardAbsorber({ chain })],
      targetPuzzleHash: wallet.puzzleHash,
      confirmationThreshold: THRESHOLD,
      now: () => chain.clock.now() / 1000,
      onAbsorbError: (_launcher, error) => errors.push(error),
      ...options,
      ...(options.wallet === undefined && options.feePerReward !== undefined ? { wallet } : {}),
    });

  async function member(plotNftPool: PlotNftV2Pool = pool): Promise<LaunchedPlotNftV2> {
    const launched = nfts.launch({ ownerPublicKey: ownerPk, pool: plotNftPool });
    chain.farmBlock();
    const stream = farmerStream(launched.launcherId);
    const data: FarmerRegistered['data'] = {
      launcherId: launched.launcherId,
      authenticationPublicKey: ownerPk,
      ownerPublicKey: ownerPk,
      payoutInstructions: '55'.repeat(32),
      payoutPuzzleHash: '55'.repeat(32),
      p2SingletonPuzzleHash: rewardPuzzleHash(launched.launcherId),
      delayTime: 0,
      delayPuzzleHash: '00'.repeat(32),
      difficulty: '1',
      protocolVersion: 2,
      registeredAt: 0,
    };
    await store.append(stream, [{ id: deterministicEventId(stream, '0', 'register'), type: 'FarmerRegistered', data }], { expectedRevision: 'no_stream' });
    return launched;
  }

  const win = (nft: LaunchedPlotNftV2) => chain.farmBlock({ poolPuzzleHash: nft.rewardPuzzleHash });
  const events = async (id: string): Promise<RewardEvent[]> => (await store.readStream(rewardStream(id))).map((e) => ({ type: e.type, data: e.data }) as RewardEvent);
  const poolCoins = () => chain.unspentCoinsAt(wallet.puzzleHash);
  const context = () => ({ peakHeight: chain.peakHeight(), genesisChallenge: chain.network.genesisChallenge, targetPuzzleHash: wallet.puzzleHash });
  return { chain, wallet, pool, nfts, collector, member, win, events, poolCoins, pushed, errors, context };
}

/** The launcher as the collector's ledger knows a v2 farmer. */
const launcherOf = (nft: LaunchedPlotNftV2): RewardLauncher => ({
  launcherId: nft.launcherId,
  protocolVersion: 2,
  rewardPuzzleHash: nft.rewardPuzzleHash,
  delayTime: 0,
  delayPuzzleHash: '00'.repeat(32),
});

/** The coin ids a spend asserts are spent beside it (ASSERT_CONCURRENT_SPEND, 64), read by running it. */
function concurrentSpendsAsserted(spend: CoinSpend): string[] {
  const conditions = runProgram(Program.deserializeHex(spend.puzzleReveal), Program.deserializeHex(spend.solution)).value.toList();
  return conditions
    .filter((c) => c.isCons && c.first.isAtom && c.first.toBigInt() === 64n)
    .map((c) => Buffer.from(c.rest.first.atom).toString('hex'));
}

describe('V2RewardAbsorber on the devnet chain (real v2 Plot NFTs)', () => {
  it('forwards a buried reward to the pool claim hash through the singleton and records the pair as the absorb', async () => {
    const t = await setup();
    const nft = await t.member();
    const won = t.win(nft);
    const rewardId = coinId(won.poolRewardCoin);
    const collector = t.collector();
    expect(await collector.scan()).toMatchObject({ detected: 1, absorbsPushed: 0 });
    t.chain.farmBlocks(THRESHOLD);
    const tipBefore = t.nfts.view(nft.launcherId).currentCoin;
    expect(await collector.scan()).toMatchObject({ absorbsPushed: 1, absorbed: 0 });
    const forwardBlock = t.chain.farmBlock();
    expect(await collector.scan()).toMatchObject({ absorbsPushed: 0, absorbed: 1 });

    const [paid] = t.poolCoins();
    expect(paid!.coin).toMatchObject({ parentCoinInfo: rewardId, amount: calculatePoolReward(won.block.height) });
    // The singleton was recreated by the claim, in the same pooling state.
    const after = t.nfts.view(nft.launcherId);
    expect(after.currentCoin.parentCoinInfo).toBe(coinId(tipBefore));
    expect(after.state).toEqual(nft.state);
    // One reward and no fee: the pushed bundle is exactly the pair the absorb names.
    expect(forwardBlock.includedTransactions).toContain(collector.lastPushed.get(nft.launcherId));
    expect((await t.events(rewardId))[1]).toEqual({
      type: 'RewardAbsorbed',
      data: expect.objectContaining({ absorbTransactionId: collector.lastPushed.get(nft.launcherId), absorbedHeight: forwardBlock.block.height, poolCoinId: coinId(paid!.coin), fee: '0' }),
    });
    expect(t.errors).toEqual([]);
  });

  it('forwards every claimable reward of a launcher in one bundle, each forward spending the child of the one before', async () => {
    const t = await setup();
    const nft = await t.member();
    const won = [t.win(nft), t.win(nft), t.win(nft)];
    t.chain.farmBlocks(THRESHOLD);
    const collector = t.collector();
    expect(await collector.scan()).toMatchObject({ detected: 3, absorbsPushed: 3 });
    expect(t.pushed).toHaveLength(1);
    const singletonSpends = t.pushed[0]!.coinSpends.filter((s) => s.coin.puzzleHash !== nft.rewardPuzzleHash);
    expect(singletonSpends).toHaveLength(3);
    for (let i = 1; i < singletonSpends.length; i++) expect(singletonSpends[i]!.coin.parentCoinInfo).toBe(coinId(singletonSpends[i - 1]!.coin));
    t.chain.farmBlock();
    expect(await collector.scan()).toMatchObject({ absorbed: 3 });
    expect(t.poolCoins().map((r) => r.coin.amount).sort()).toEqual(won.map((w) => calculatePoolReward(w.block.height)).sort());
    expect(coinId(singletonSpends[2]!.coin)).toBe(t.nfts.view(nft.launcherId).currentCoin.parentCoinInfo);
  });

  it('caps a bundle and forwards the rest from the new tip in the next run', async () => {
    const t = await setup();
    const nft = await t.member();
    t.win(nft);
    t.win(nft);
    t.win(nft);
    t.chain.farmBlocks(THRESHOLD);
    const absorber = new V2RewardAbsorber({ chain: t.chain, maxRewardsPerBundle: 2 });
    const launcher = launcherOf(nft);
    const rewards = t.chain.unspentCoinsAt(nft.rewardPuzzleHash).map((r) => ({ coin: r.coin, coinId: coinId(r.coin), farmedHeight: r.confirmedBlockIndex }));
    const first = await absorber.buildAbsorb(launcher, rewards, t.context());
    expect(first?.rewardCoinIds).toHaveLength(2);
    await t.chain.pushTx({ coinSpends: first!.coinSpends, aggregatedSignature: G2_INFINITY_HEX });
    t.chain.farmBlock();
    const left = rewards.filter((r) => !first!.rewardCoinIds.includes(r.coinId));
    const second = await absorber.buildAbsorb(launcher, left, t.context());
    expect(second?.rewardCoinIds).toEqual(left.map((r) => r.coinId));
    await t.chain.pushTx({ coinSpends: second!.coinSpends, aggregatedSignature: G2_INFINITY_HEX });
    t.chain.farmBlock();
    expect(t.chain.unspentCoinsAt(nft.rewardPuzzleHash)).toEqual([]);
  });

  it('forwards from the waiting room too (the pool path exists while exiting)', async () => {
    const t = await setup();
    const nft = await t.member();
    t.nfts.leavePool(nft.launcherId);
    t.chain.farmBlock();
    const won = t.win(nft);
    t.chain.farmBlocks(THRESHOLD);
    const collector = t.collector();
    expect(await collector.scan()).toMatchObject({ detected: 1, absorbsPushed: 1 });
    t.chain.farmBlock();
    expect(await collector.scan()).toMatchObject({ absorbed: 1 });
    expect(t.poolCoins().map((r) => r.coin.amount)).toEqual([calculatePoolReward(won.block.height)]);
    expect(t.nfts.view(nft.launcherId).state.exiting).toBe(true);
  });

  it('forwards nothing once the Plot NFT is self-pooling: its owner claims its rewards', async () => {
    const t = await setup();
    const nft = await t.member();
    t.nfts.leavePool(nft.launcherId);
    t.chain.farmBlocks(LOCK + 1);
    t.nfts.switchPool(nft.launcherId, null);
    t.chain.farmBlock();
    t.win(nft);
    t.chain.farmBlocks(THRESHOLD);
    expect(await t.collector().scan()).toMatchObject({ detected: 1, absorbsPushed: 0 });
    expect(t.pushed).toEqual([]);
  });

  it('pays a fee per reward from the wallet, tied to each forward by ASSERT_CONCURRENT_SPEND of its reward coin', async () => {
    const t = await setup({ feePerReward: 1000n });
    t.wallet.fund(10_000n);
    const nft = await t.member();
    const won = [t.win(nft), t.win(nft)];
    t.chain.farmBlocks(THRESHOLD);
    const collector = t.collector();
    expect(await collector.scan()).toMatchObject({ absorbsPushed: 2 });
    const rewardIds = won.map((w) => coinId(w.poolRewardCoin));
    const forwardPuzzles = new Set([nft.rewardPuzzleHash, nft.singletonCoin.puzzleHash]);
    const walletSpends = t.pushed[0]!.coinSpends.filter((s) => !forwardPuzzles.has(s.coin.puzzleHash));
    expect(walletSpends.length).toBeGreaterThan(0);
    expect(walletSpends.flatMap(concurrentSpendsAsserted).sort()).toEqual([...rewardIds].sort());
    const forwardBlock = t.chain.farmBlock();
    expect(forwardBlock.block.fees).toBe(2000n);
    expect(await collector.scan()).toMatchObject({ absorbed: 2 });
    for (const id of rewardIds) expect((await t.events(id))[1]?.data).toMatchObject({ fee: '1000' });
    expect(t.errors).toEqual([]);
  });

  it('does not take a reward another pool forwarded for our absorb', async () => {
    const t = await setup();
    const other: PlotNftV2Pool = { poolClaimHash: '77'.repeat(32), relativeLockHeight: LOCK, poolMemoization: '80' };
    const nft = await t.member(other);
    const won = t.win(nft);
    const view = t.nfts.view(nft.launcherId);
    const rewardCoin: Coin = won.poolRewardCoin;
    const pair = buildForwardPoolRewardSpends({ id: view.id, state: view.state, plotNftCoin: view.currentCoin, lineageProof: view.lineageProof, rewardCoin });
    const forward: SpendBundle = { coinSpends: [pair.singletonSpend, pair.rewardSpend], aggregatedSignature: G2_INFINITY_HEX };
    t.chain.addToMempool(forward);
    const spentAt = t.chain.farmBlock().block.height;
    const absorber = new V2RewardAbsorber({ chain: t.chain });
    const launcher = launcherOf(nft);
    const reward = { coin: rewardCoin, coinId: coinId(rewardCoin), farmedHeight: won.block.height };
    expect(await absorber.findAbsorb(launcher, reward, spentAt, t.context())).toBeUndefined();
    // The same lookup with the other pool's claim hash finds that pool's forward.
    expect(await absorber.findAbsorb(launcher, reward, spentAt, { ...t.context(), targetPuzzleHash: other.poolClaimHash })).toEqual({
      absorbTransactionId: spendBundleName(forward),
      poolCoinId: coinId({ parentCoinInfo: reward.coinId, puzzleHash: other.poolClaimHash, amount: rewardCoin.amount }),
    });
    // And our collector does not forward the rewards of a Plot NFT that pools elsewhere.
    t.win(nft);
    t.chain.farmBlocks(THRESHOLD);
    expect(await t.collector().scan()).toMatchObject({ absorbsPushed: 0 });
  });
});
