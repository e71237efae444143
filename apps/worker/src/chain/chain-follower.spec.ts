import { DevnetChain, ManualClock } from '@pool/devnet';
import { ChainFollower } from './chain-follower';

describe('ChainFollower', () => {
  const setup = () => {
    const chain = new DevnetChain({ clock: new ManualClock(), networkBlockEverySignagePoints: 0 });
    return { chain, follower: new ChainFollower({ chain, window: 50 }) };
  };

  it('sees the peak advance without reporting a reorg', async () => {
    const { chain, follower } = setup();
    chain.farmBlocks(5);
    expect(await follower.poll()).toBeUndefined();
    chain.farmBlocks(3);
    expect(await follower.poll()).toBeUndefined();
    expect(follower.peakHeight).toBe(chain.peakHeight());
  });

  it('finds the fork height and depth of a reorg', async () => {
    const { chain, follower } = setup();
    chain.farmBlocks(10);
    await follower.poll();
    const before = chain.peakHeight();
    const oldPeak = chain.peak().headerHash;
    const firstOrphaned = (await chain.getBlockRecordByHeight(before - 2))!.headerHash;
    chain.reorg(3);
    const reorg = await follower.poll();
    expect(reorg).toEqual({
      forkHeight: before - 3,
      depth: 3,
      peakHeight: chain.peakHeight(),
      firstOrphanedHash: firstOrphaned,
      oldPeak: { height: before, headerHash: oldPeak },
      newPeak: { height: chain.peakHeight(), headerHash: chain.peak().headerHash },
    });
    expect(reorg!.newPeak.headerHash).not.toBe(oldPeak);
    expect(await follower.poll()).toBeUndefined();
  });

  it('finds a reorg that happened while it was not looking, behind new blocks', async () => {
    const { chain, follower } = setup();
    chain.farmBlocks(10);
    await follower.poll();
    const before = chain.peakHeight();
    chain.reorg(2, { newBlocks: 6 });
    expect(await follower.poll()).toMatchObject({ forkHeight: before - 2, depth: 2 });
  });
});
