import { rewardDecider, rewardStream } from '@pool/domain';
import { InMemoryEventStore } from '@pool/event-store';
import { StreamCommandRunner } from '@pool/event-sourcing';
import { formatXch, tallyRewards } from './reward-tally';

describe('reward tally', () => {
  it('counts standing, absorbed and reverted rewards from the ledger, and the absorbed mojos', async () => {
    const store = new InMemoryEventStore();
    const runner = new StreamCommandRunner(store);
    const detect = (coinId: string, amount: bigint) =>
      runner.run(rewardStream(coinId), rewardDecider, {
        type: 'DetectReward',
        coinId,
        launcherId: 'aa'.repeat(32),
        puzzleHash: 'bb'.repeat(32),
        amount,
        farmedHeight: 10,
        confirmedHeight: 10,
        now: 1,
      });
    const absorb = (coinId: string) =>
      runner.run(rewardStream(coinId), rewardDecider, { type: 'AbsorbReward', absorbTransactionId: 'cc'.repeat(32), absorbedHeight: 20, poolCoinId: 'dd'.repeat(32), fee: 0n, now: 2 });
    await detect('01'.repeat(32), 1_750_000_000_000n);
    await detect('02'.repeat(32), 875_000_000_000n);
    await detect('03'.repeat(32), 1_750_000_000_000n);
    await detect('04'.repeat(32), 1n);
    await absorb('01'.repeat(32));
    await absorb('02'.repeat(32));
    await absorb('03'.repeat(32));
    await runner.run(rewardStream('03'.repeat(32)), rewardDecider, { type: 'RevertReward', forkHeight: 5, now: 3 });
    expect(await tallyRewards(store)).toEqual({ detected: 3, absorbed: 2, reverted: 1, absorbedMojos: 2_625_000_000_000n });
  });

  it('writes mojos as exact XCH', () => {
    expect(formatXch(0n)).toBe('0');
    expect(formatXch(1_750_000_000_000n)).toBe('1.75');
    expect(formatXch(1n)).toBe('0.000000000001');
    expect(formatXch(21_000_000_000_000_000_000n)).toBe('21000000');
  });
});
