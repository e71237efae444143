import { chiaKeyGen, coinId, loadBls, type PlotNftV2Pool } from '@pool/chia';
import { DevnetChain, ManualClock, PlotNftV2Simulator } from '@pool/devnet';
import { PlotNftV2Follower, type PlotNftV2Reading } from './plot-nft-v2-follower';

const POOL: PlotNftV2Pool = { poolClaimHash: '11'.repeat(32), relativeLockHeight: 5, poolMemoization: '80' };

function tipOf(reading: PlotNftV2Reading) {
  if (reading.kind !== 'tip') throw new Error(`expected a tip, got ${JSON.stringify(reading)}`);
  return reading.tip;
}

describe('PlotNftV2Follower', () => {
  let ownerPk: string;

  beforeAll(async () => {
    const bls = await loadBls();
    ownerPk = Buffer.from(bls.skToPk(chiaKeyGen(new Uint8Array(32).fill(5)))).toString('hex');
  });

  const setup = () => {
    const chain = new DevnetChain({ clock: new ManualClock(), networkBlockEverySignagePoints: 0 });
    const nfts = new PlotNftV2Simulator(chain);
    let spendLookups = 0;
    // Counts the spends the follower reads: the cost of a walk.
    const counting = Object.assign(Object.create(chain) as DevnetChain, {
      getPuzzleAndSolution: (id: string, height: number) => {
        spendLookups++;
        return chain.getPuzzleAndSolution(id, height);
      },
    });
    return { chain, nfts, follower: new PlotNftV2Follower(counting), lookups: () => spendLookups };
  };

  it('reads the state from the chain alone, walks from the launcher once, then continues from the known tip', async () => {
    const { chain, nfts, follower, lookups } = setup();
    const { launcherId, id } = nfts.launch({ ownerPublicKey: ownerPk, pool: POOL });
    const launchHeight = chain.farmBlock().block.height;
    const first = tipOf(await follower.read(id));
    expect(first).toMatchObject({ state: { ownerPublicKey: ownerPk, pool: POOL, exiting: false }, stateHeight: launchHeight });
    expect(coinId(first.coin.coin)).toBe(coinId(nfts.view(launcherId).currentCoin));
    expect(first.lineageProof).toEqual(nfts.view(launcherId).lineageProof);
    expect(follower.fullWalks).toBe(1);
    expect(lookups()).toBe(1); // the eve spend

    nfts.leavePool(launcherId);
    const exitHeight = chain.farmBlock().block.height;
    const exiting = tipOf(await follower.read(id));
    expect(exiting).toMatchObject({ state: { exiting: true }, stateHeight: exitHeight });
    expect(follower.fullWalks).toBe(1);
    expect(lookups()).toBe(2); // only the exit spend
  });

  it('walks again from the launcher when a reorg took the known tip away', async () => {
    const { chain, nfts, follower } = setup();
    const { launcherId, id } = nfts.launch({ ownerPublicKey: ownerPk, pool: POOL });
    chain.farmBlocks(2);
    nfts.leavePool(launcherId);
    chain.farmBlock();
    expect(tipOf(await follower.read(id)).state.exiting).toBe(true);
    chain.reorg(1, { dropOrphanedTransactions: true });
    expect(tipOf(await follower.read(id)).state.exiting).toBe(false);
    expect(follower.fullWalks).toBe(2);
  });

  it('has nothing to say of a launcher that was never spent', async () => {
    const { chain, follower } = setup();
    const reading = await follower.read({ launcherId: 'cd'.repeat(32), genesisChallenge: chain.network.genesisChallenge });
    expect(reading).toMatchObject({ kind: 'unreadable', reason: expect.stringMatching(/not spent on chain/) });
  });
});
