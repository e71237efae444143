import { chiaKeyGen, loadBls, plotNftV2PuzzleHash, PoolErrorCode, rewardPuzzleHash, type PlotNftV2Pool } from '@pool/chia';
import { DevnetChain, PlotNftV2Simulator } from '@pool/devnet';
import { farmerDecider, farmerStream } from '@pool/domain';
import { InMemoryEventStore } from '@pool/event-store';
import { StreamCommandRunner } from '@pool/event-sourcing';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { LedgerCommandsModule } from '@pool/commands';
import { findPoolingPlotNftV2 } from './plot-nft-v2-membership';
import { PlotNftV2MembershipTracker } from '@pool/worker';

const POOL: PlotNftV2Pool = { poolClaimHash: '11'.repeat(32), relativeLockHeight: 5, poolMemoization: '80' };
const THRESHOLD = 3;

describe('v2 plot NFT membership', () => {
  let ownerPk: string;

  beforeAll(async () => {
    const bls = await loadBls();
    ownerPk = Buffer.from(bls.skToPk(chiaKeyGen(new Uint8Array(32).fill(9)))).toString('hex');
  });

  function launched() {
    const chain = new DevnetChain({ seed: 'v2-membership-spec', networkBlockEverySignagePoints: 0 });
    const nfts = new PlotNftV2Simulator(chain);
    const { launcherId } = nfts.launch({ ownerPublicKey: ownerPk, pool: POOL });
    chain.farmBlock();
    return { chain, nfts, launcherId };
  }

  const lookup = (chain: DevnetChain, launcherId: string) =>
    findPoolingPlotNftV2(chain, { launcherId, authenticationPublicKey: ownerPk, pool: POOL, peak: chain.peakHeight() });

  it('finds a singleton pooling here from the block that launched it (its latest state, not a buried one)', async () => {
    const { chain, launcherId } = launched();
    const record = await lookup(chain, launcherId);
    expect(record.coin.parentCoinInfo).toBe(launcherId);
    expect(record.confirmedBlockIndex).toBe(chain.peakHeight());
  });

  it('refuses a coin minted at the member puzzle hash by anything but the singleton', async () => {
    const { chain } = launched();
    const fakeLauncher = 'ab'.repeat(32);
    chain.mint(plotNftV2PuzzleHash(fakeLauncher, { ownerPublicKey: ownerPk, pool: POOL, exiting: false }), 1n);
    chain.farmBlocks(THRESHOLD + 1);
    await expect(lookup(chain, fakeLauncher)).rejects.toMatchObject({ code: PoolErrorCode.INVALID_SINGLETON, message: expect.stringMatching(/not on chain|not created/) });
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
    nfts.switchPool(launcherId, POOL);
    chain.farmBlock();
    expect((await lookup(chain, launcherId)).coin.parentCoinInfo).not.toBe(launcherId);
  });

  it('names a launcher the chain never saw', async () => {
    const { chain } = launched();
    const unknown = 'cd'.repeat(32);
    await expect(lookup(chain, unknown)).rejects.toMatchObject({ code: PoolErrorCode.NOT_FOUND, message: `launcher ${unknown} not found on chain` });
  });

  it('records leaving after the lock height and rejoining (tracker over the ledger)', async () => {
    const { chain, nfts, launcherId } = launched();
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
    const context = await NestFactory.createApplicationContext(LedgerCommandsModule.forStore(store), { logger: false });
    const tracker = new PlotNftV2MembershipTracker({
      store,
      commandBus: context.get(CommandBus),
      farmerState: async (id) => (await runner.load(farmerStream(id), farmerDecider)).state,
      chain,
      pool: POOL,
      now: () => 1,
    });
    expect(await tracker.check()).toBe(0);
    nfts.leavePool(launcherId);
    chain.farmBlock();
    expect(await tracker.check()).toBe(0); // still inside the lock height
    chain.farmBlocks(POOL.relativeLockHeight + 1);
    expect(await tracker.check()).toBe(1);
    expect((await runner.load(farmerStream(launcherId), farmerDecider)).state).toMatchObject({ isMember: false });
    nfts.switchPool(launcherId, POOL);
    chain.farmBlock();
    expect(await tracker.check()).toBe(1);
    const types = (await store.readStream(farmerStream(launcherId))).map((e) => e.type);
    expect(types).toEqual(['FarmerRegistered', 'FarmerLeftPool', 'FarmerRejoinedPool']);
    await context.close();
  });
});
