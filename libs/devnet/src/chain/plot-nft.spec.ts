import {
  PoolSingletonState,
  buildAbsorbSpend,
  calculatePoolReward,
  coinId,
  decodePoolSingletonSpend,
  G2_INFINITY_HEX,
  lineageProofFromParentSpend,
  p2SingletonOrDelayedPuzzleHash,
  poolStateToInnerPuzzle,
  poolStateToSingletonPuzzleHash,
} from '@pool/chia';
import { DevnetChain } from './devnet-chain';
import { PlotNftSimulator } from './plot-nft';

const OWNER_PK = 'a16b798de8c9d15d163e96755e85d7be75cafd62683dbc02640f4c505f8c72b16927e94682d81aa962415a6c69e507d0';
const POOL_TARGET = '11'.repeat(32);
const OTHER_POOL_TARGET = '22'.repeat(32);
const OWNER_PH = '33'.repeat(32);
const DELAY_PH = '44'.repeat(32);

function setup() {
  const chain = new DevnetChain({ seed: 'plot-nft-spec', networkBlockEverySignagePoints: 0 });
  const nfts = new PlotNftSimulator(chain);
  const launched = nfts.launchPlotNft({
    ownerPk: OWNER_PK,
    poolUrl: 'https://pool.example',
    targetPuzzleHash: POOL_TARGET,
    relativeLockHeight: 5,
    delayTime: 604800,
    delayPuzzleHash: DELAY_PH,
    state: 'FARMING_TO_POOL',
  });
  const launchBlock = chain.farmBlock();
  return { chain, nfts, launched, launchBlock };
}

describe('PlotNftSimulator', () => {
  it('launches a plot NFT whose launcher spend libs/chia decodes', async () => {
    const { chain, launched, launchBlock } = setup();
    const height = launchBlock.block.height;
    const launcherRecord = await chain.getCoinRecordByName(launched.launcherId);
    expect(launcherRecord).toMatchObject({ confirmedBlockIndex: height, spentBlockIndex: height });
    const spend = await chain.getPuzzleAndSolution(launched.launcherId, height);
    const decoded = decodePoolSingletonSpend(spend);
    expect(decoded).toMatchObject({
      kind: 'launcher',
      launcherId: launched.launcherId,
      singletonAmount: 1n,
      delayTime: 604800n,
      delayPuzzleHash: DELAY_PH,
      poolState: {
        version: 1,
        state: PoolSingletonState.FARMING_TO_POOL,
        targetPuzzleHash: POOL_TARGET,
        ownerPubkey: OWNER_PK,
        poolUrl: 'https://pool.example',
        relativeLockHeight: 5,
      },
    });
    const identity = { launcherId: launched.launcherId, genesisChallenge: chain.network.genesisChallenge, delayTime: 604800, delayPuzzleHash: DELAY_PH };
    const singletonRecord = await chain.getCoinRecordByName(coinId(launched.singletonCoin));
    expect(singletonRecord?.coin.puzzleHash).toBe(poolStateToSingletonPuzzleHash(launched.poolState, identity));
    expect(singletonRecord?.spent).toBe(false);
    expect(launched.p2SingletonPuzzleHash).toBe(p2SingletonOrDelayedPuzzleHash(launched.launcherId, 604800, DELAY_PH));
  });

  it('lets the pool absorb a block reward won by the plot NFT', async () => {
    const { chain, nfts, launched } = setup();
    chain.advanceSignagePoints(1);
    const won = chain.submitBlock({
      signagePointHash: chain.latestSignagePoint().hash,
      farmerPuzzleHash: OWNER_PH,
      poolPuzzleHash: launched.p2SingletonPuzzleHash,
    });
    const view = nfts.view(launched.launcherId);
    const absorb = buildAbsorbSpend({
      launcherId: launched.launcherId,
      delayTime: 604800,
      delayPuzzleHash: DELAY_PH,
      singletonCoin: view.currentCoin,
      lineageProof: lineageProofFromParentSpend(view.parentSpend),
      innerPuzzle: poolStateToInnerPuzzle(view.poolState, view.identity),
      rewardCoin: won.poolRewardCoin,
      rewardHeight: won.block.height,
    });
    await chain.pushTx({ coinSpends: absorb.coinSpends, aggregatedSignature: G2_INFINITY_HEX });
    const absorbBlock = chain.farmBlock();
    const paid = await chain.getCoinRecordsByPuzzleHash(POOL_TARGET);
    expect(paid.map((r) => r.coin.amount)).toEqual([calculatePoolReward(won.block.height)]);
    expect((await chain.getCoinRecordByName(absorb.rewardCoinId))?.spentBlockIndex).toBe(absorbBlock.block.height);
    const absorbSpend = await chain.getPuzzleAndSolution(coinId(view.currentCoin), absorbBlock.block.height);
    expect(decodePoolSingletonSpend(absorbSpend)).toMatchObject({ kind: 'absorb', rewardHeight: won.block.height });
    expect(nfts.view(launched.launcherId).currentCoin).toEqual(absorb.nextSingletonCoin);
  });

  it('refuses a reward claim without the singleton spend that announces it', async () => {
    const { chain, nfts, launched } = setup();
    const won = chain.farmBlock({ poolPuzzleHash: launched.p2SingletonPuzzleHash });
    const view = nfts.view(launched.launcherId);
    const absorb = buildAbsorbSpend({
      launcherId: launched.launcherId,
      delayTime: 604800,
      delayPuzzleHash: DELAY_PH,
      singletonCoin: view.currentCoin,
      lineageProof: lineageProofFromParentSpend(view.parentSpend),
      innerPuzzle: poolStateToInnerPuzzle(view.poolState, view.identity),
      rewardCoin: won.poolRewardCoin,
      rewardHeight: won.block.height,
    });
    await expect(chain.pushTx({ coinSpends: [absorb.coinSpends[1]], aggregatedSignature: G2_INFINITY_HEX })).rejects.toThrow(
      /ASSERT_ANNOUNCE_CONSUMED_FAILED/,
    );
  });

  it('leaves a pool, waits out the lock height and joins another, each a decodable travel spend', async () => {
    const { chain, nfts, launched } = setup();
    const leaving = nfts.leavePool(launched.launcherId);
    const leaveBlock = chain.farmBlock();
    const leaveSpend = await chain.getPuzzleAndSolution(coinId(leaving.coinSpends[0].coin), leaveBlock.block.height);
    expect(decodePoolSingletonSpend(leaveSpend)).toMatchObject({
      kind: 'travel',
      poolState: { state: PoolSingletonState.LEAVING_POOL, targetPuzzleHash: POOL_TARGET },
    });
    expect(nfts.view(launched.launcherId).poolState.state).toBe(PoolSingletonState.LEAVING_POOL);

    const join = { targetPuzzleHash: OTHER_POOL_TARGET, poolUrl: 'https://other.example', relativeLockHeight: 10 };
    expect(() => nfts.joinPool(launched.launcherId, join)).toThrow(/ASSERT_HEIGHT_RELATIVE_FAILED/);
    // The lock (5) counts from the waiting room's block to the peak, as a node's mempool counts it.
    chain.farmBlocks(4);
    expect(() => nfts.joinPool(launched.launcherId, join)).toThrow(/ASSERT_HEIGHT_RELATIVE_FAILED/);
    chain.farmBlock();
    const joining = nfts.joinPool(launched.launcherId, join);
    const joinBlock = chain.farmBlock();
    const joinSpend = await chain.getPuzzleAndSolution(coinId(joining.coinSpends[0].coin), joinBlock.block.height);
    expect(decodePoolSingletonSpend(joinSpend)).toMatchObject({
      kind: 'travel',
      poolState: { state: PoolSingletonState.FARMING_TO_POOL, targetPuzzleHash: OTHER_POOL_TARGET, relativeLockHeight: 10 },
    });
    const view = nfts.view(launched.launcherId);
    expect(view.poolState.targetPuzzleHash).toBe(OTHER_POOL_TARGET);
    expect(view.currentCoin.puzzleHash).toBe(poolStateToSingletonPuzzleHash(view.poolState, view.identity));
  });

  it('goes self-pooling from the waiting room and refuses to travel from a member state directly', () => {
    const { chain, nfts, launched } = setup();
    expect(() => nfts.selfPool(launched.launcherId, OWNER_PH)).toThrow(/leave the pool first/);
    nfts.leavePool(launched.launcherId);
    chain.farmBlocks(6);
    nfts.selfPool(launched.launcherId, OWNER_PH);
    chain.farmBlock();
    const view = nfts.view(launched.launcherId);
    expect(view.poolState).toMatchObject({ state: PoolSingletonState.SELF_POOLING, targetPuzzleHash: OWNER_PH, poolUrl: null });
  });

  it('re-includes a launch whose block a reorg orphans', () => {
    const { chain, nfts, launched } = setup();
    chain.reorg(1, { newBlocks: 1 });
    // The launch bundle went back to the mempool and is in the replacement block.
    expect(nfts.view(launched.launcherId).poolState.targetPuzzleHash).toBe(POOL_TARGET);
    chain.reorg(1, { newBlocks: 1 });
    expect(chain.mempoolNames()).toHaveLength(0);
    expect(nfts.view(launched.launcherId).currentCoin).toEqual(launched.singletonCoin);
  });
});
