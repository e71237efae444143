import { buildJoinPoolSpend, chiaKeyGen, coinId, G2_INFINITY_HEX, loadBls, parseSingletonV11Puzzle, plotNftV2PuzzleHash, PoolErrorCode, type PlotNftV2Pool } from '@pool/chia';
import { createCoinCondition, DevnetChain, PlotNftV2Simulator } from '@pool/devnet';
import { findPoolingPlotNftV2 } from './plot-nft-v2-membership';

const POOL: PlotNftV2Pool = { poolClaimHash: '11'.repeat(32), relativeLockHeight: 5, poolMemoization: '80' };
const OTHER_POOL: PlotNftV2Pool = { poolClaimHash: '33'.repeat(32), relativeLockHeight: 5, poolMemoization: '80' };

describe('finding a v2 plot NFT pooling here (POST /v2/farmer)', () => {
  let ownerPk: string;
  let attackerPk: string;

  beforeAll(async () => {
    const bls = await loadBls();
    ownerPk = Buffer.from(bls.skToPk(chiaKeyGen(new Uint8Array(32).fill(9)))).toString('hex');
    attackerPk = Buffer.from(bls.skToPk(chiaKeyGen(new Uint8Array(32).fill(7)))).toString('hex');
  });

  function launched(pool: PlotNftV2Pool | null = POOL) {
    const chain = new DevnetChain({ seed: 'v2-membership-spec', networkBlockEverySignagePoints: 0 });
    const nfts = new PlotNftV2Simulator(chain);
    const { launcherId } = nfts.launch({ ownerPublicKey: ownerPk, pool });
    chain.farmBlock();
    return { chain, nfts, launcherId };
  }

  const identity = (chain: DevnetChain, launcherId: string) => ({ launcherId, genesisChallenge: chain.network.genesisChallenge });
  const poolingHash = (chain: DevnetChain, launcherId: string) => plotNftV2PuzzleHash(identity(chain, launcherId), { ownerPublicKey: ownerPk, pool: POOL, exiting: false });
  const lookup = (chain: DevnetChain, launcherId: string) =>
    findPoolingPlotNftV2(chain, { id: identity(chain, launcherId), authenticationPublicKey: ownerPk, pool: POOL, peak: chain.peakHeight() });

  it('finds the singleton pooling here from the block that launched it (its latest coin, not a buried one)', async () => {
    const { chain, nfts, launcherId } = launched();
    const record = await lookup(chain, launcherId);
    expect(coinId(record.coin)).toBe(coinId(nfts.view(launcherId).currentCoin));
    expect(record.coin.puzzleHash).toBe(poolingHash(chain, launcherId));
    expect(record.confirmedBlockIndex).toBe(chain.peakHeight());
  });

  it('is not locked out by a coin someone minted at its pooling puzzle hash: the impostor is left out', async () => {
    const { chain, nfts, launcherId } = launched();
    chain.mint(poolingHash(chain, launcherId), 1n);
    chain.farmBlock();
    // Two unspent coins at the puzzle hash: pool2-reference would answer "more than one" (14) for good.
    expect(chain.unspentCoinsAt(poolingHash(chain, launcherId))).toHaveLength(2);
    expect(coinId((await lookup(chain, launcherId)).coin)).toBe(coinId(nfts.view(launcherId).currentCoin));
  });

  it('refuses a plot NFT whose only coin at the pooling puzzle hash was minted by someone else', async () => {
    const { chain, launcherId } = launched(OTHER_POOL);
    chain.mint(poolingHash(chain, launcherId), 1n);
    chain.farmBlock();
    await expect(lookup(chain, launcherId)).rejects.toMatchObject({ code: PoolErrorCode.INVALID_SINGLETON, message: expect.stringMatching(/not created by that singleton/) });
  });

  it('refuses a coin another singleton created at the pooling puzzle hash, which passes the reference check on the parent', async () => {
    const { chain, nfts, launcherId: victim } = launched(OTHER_POOL);
    const { launcherId: attacker } = nfts.launch({ ownerPublicKey: attackerPk, pool: null });
    chain.farmBlock();
    const view = nfts.view(attacker);
    // The attacker's own Plot NFT, self-pooling, adds an even coin at the victim's pooling puzzle hash to a join.
    const spend = buildJoinPoolSpend({
      id: view.id,
      state: view.state,
      plotNftCoin: view.currentCoin,
      lineageProof: view.lineageProof,
      pool: OTHER_POOL,
      extraConditions: [createCoinCondition(poolingHash(chain, victim), 0n)],
    });
    chain.addToMempool({ coinSpends: [spend.coinSpend], aggregatedSignature: G2_INFINITY_HEX });
    chain.farmBlock();
    const [impostor] = chain.unspentCoinsAt(poolingHash(chain, victim));
    expect(impostor).toBeDefined();
    const parentSpend = await chain.getPuzzleAndSolution(impostor!.coin.parentCoinInfo, impostor!.confirmedBlockIndex);
    expect(parseSingletonV11Puzzle(parentSpend.puzzleReveal)).toMatchObject({ launcherId: attacker });
    await expect(lookup(chain, victim)).rejects.toMatchObject({ code: PoolErrorCode.INVALID_SINGLETON, message: expect.stringMatching(/not created by that singleton/) });
  });

  it('follows a later singleton coin through its v1.1 parent, and says until when an exiting one waits', async () => {
    const { chain, nfts, launcherId } = launched();
    nfts.leavePool(launcherId);
    const exitHeight = chain.farmBlock().block.height;
    const freeAt = exitHeight + POOL.relativeLockHeight;
    await expect(lookup(chain, launcherId)).rejects.toMatchObject({
      code: PoolErrorCode.INVALID_SINGLETON,
      message: `plot NFT ${launcherId} is still in its waiting room (leaving this pool) until height ${freeAt}; it cannot join this pool from there`,
    });
    chain.farmBlocks(POOL.relativeLockHeight);
    await expect(lookup(chain, launcherId)).rejects.toMatchObject({ message: `plot NFT ${launcherId} left this pool (its waiting room ended at height ${freeAt})` });
    nfts.switchPool(launcherId, null);
    chain.farmBlock();
    await expect(lookup(chain, launcherId)).rejects.toMatchObject({ code: PoolErrorCode.INVALID_SINGLETON, message: `plot NFT ${launcherId} is self-pooling; join this pool with it first` });
    nfts.joinPool(launcherId, POOL);
    chain.farmBlock();
    const rejoined = await lookup(chain, launcherId);
    expect(coinId(rejoined.coin)).toBe(coinId(nfts.view(launcherId).currentCoin));
    expect(rejoined.confirmedBlockIndex).toBe(chain.peakHeight());
  });

  it('names a launcher the chain never saw', async () => {
    const { chain } = launched();
    const unknown = 'cd'.repeat(32);
    await expect(lookup(chain, unknown)).rejects.toMatchObject({ code: PoolErrorCode.NOT_FOUND, message: `launcher ${unknown} not found on chain` });
  });
});
