import { deciderSpecification } from '@pool/testing';
import { fold } from '@pool/event-sourcing';
import { rewardDecider, type AbsorbReward, type DetectReward, type RevertReward } from './reward.decider';
import type { RewardAbsorbed, RewardDetected, RewardReverted } from './reward.events';

const spec = deciderSpecification(rewardDecider);
const COIN = 'c0'.repeat(32);
const LAUNCHER = 'aa'.repeat(32);

const detect: DetectReward = {
  type: 'DetectReward',
  coinId: COIN,
  launcherId: LAUNCHER,
  puzzleHash: 'dd'.repeat(32),
  amount: 1_750_000_000_000n,
  farmedHeight: 100,
  confirmedHeight: 100,
  now: 1000,
};
const detected: RewardDetected = {
  type: 'RewardDetected',
  data: {
    coinId: COIN,
    launcherId: LAUNCHER,
    puzzleHash: 'dd'.repeat(32),
    amount: '1750000000000',
    farmedHeight: 100,
    confirmedHeight: 100,
    detectedAt: 1000,
  },
};
const absorb: AbsorbReward = { type: 'AbsorbReward', absorbTransactionId: 'ab'.repeat(32), absorbedHeight: 140, poolCoinId: 'ee'.repeat(32), fee: 5n, now: 2000 };
const absorbed: RewardAbsorbed = {
  type: 'RewardAbsorbed',
  data: {
    coinId: COIN,
    launcherId: LAUNCHER,
    amount: '1750000000000',
    absorbTransactionId: 'ab'.repeat(32),
    absorbedHeight: 140,
    poolCoinId: 'ee'.repeat(32),
    fee: '5',
    absorbedAt: 2000,
  },
};
const revert: RevertReward = { type: 'RevertReward', forkHeight: 90, now: 3000 };
const reverted = (wasAbsorbed: boolean): RewardReverted => ({
  type: 'RewardReverted',
  data: { coinId: COIN, launcherId: LAUNCHER, amount: '1750000000000', reason: 'reorg', forkHeight: 90, wasAbsorbed, revertedAt: 3000 },
});

describe('reward decider', () => {
  describe('DetectReward', () => {
    it('records a new reward with its amount as a decimal string', () => {
      spec.given([]).when(detect).then([detected]);
    });

    it('records nothing for a reward already detected or absorbed', () => {
      spec.given([detected]).when({ ...detect, now: 5000 }).then([]);
      spec.given([detected, absorbed]).when(detect).then([]);
    });

    it('detects again a reward the new chain created once more after a reorg', () => {
      spec.given([detected, reverted(false)]).when({ ...detect, confirmedHeight: 101, now: 4000 }).then([
        { type: 'RewardDetected', data: { ...detected.data, confirmedHeight: 101, detectedAt: 4000 } },
      ]);
    });

    it('refuses a confirmation height below the farmed height and an empty coin', () => {
      spec.given([]).when({ ...detect, confirmedHeight: 99 }).thenThrows('INVALID_STATE', /before its farmed height/);
      spec.given([]).when({ ...detect, amount: 0n }).thenThrows('INVALID_STATE', /no mojos/);
    });
  });

  describe('AbsorbReward', () => {
    it('records the absorb of a detected reward, with the fee as a decimal string', () => {
      spec.given([detected]).when(absorb).then([absorbed]);
    });

    it('never absorbs a reward twice, even with a different absorb transaction', () => {
      spec.given([detected, absorbed]).when(absorb).then([]);
      spec.given([detected, absorbed]).when({ ...absorb, absorbTransactionId: 'cd'.repeat(32), absorbedHeight: 150 }).then([]);
    });

    it('refuses a reward that was never detected or was orphaned', () => {
      spec.given([]).when(absorb).thenThrows('INVALID_STATE', /never detected/);
      spec.given([detected, reverted(false)]).when(absorb).thenThrows('INVALID_STATE', /orphaned/);
    });

    it('refuses an absorb below the reward confirmation height or with a negative fee', () => {
      spec.given([detected]).when({ ...absorb, absorbedHeight: 99 }).thenThrows('INVALID_STATE', /before it was confirmed/);
      spec.given([detected]).when({ ...absorb, fee: -1n }).thenThrows('INVALID_STATE', /negative/);
    });

    it('leaves the state absorbed with where the pool coin is', () => {
      spec.given([detected]).when(absorb).thenState((state) => {
        expect(state).toMatchObject({ status: 'absorbed', absorbedHeight: 140, poolCoinId: 'ee'.repeat(32) });
      });
    });
  });

  describe('RevertReward', () => {
    it('reverts a detected reward and says it was not absorbed', () => {
      spec.given([detected]).when(revert).then([reverted(false)]);
    });

    it('reverts an absorbed reward and says it was absorbed', () => {
      spec.given([detected, absorbed]).when(revert).then([reverted(true)]);
    });

    it('records nothing for a reward already reverted', () => {
      spec.given([detected, reverted(false)]).when(revert).then([]);
    });

    it('refuses a fork at or above the reward block (that reorg did not orphan it) and an unknown reward', () => {
      spec.given([detected]).when({ ...revert, forkHeight: 100 }).thenThrows('INVALID_STATE', /does not orphan/);
      spec.given([]).when(revert).thenThrows('INVALID_STATE', /never detected/);
    });
  });

  it('folds a whole life: detected, absorbed, orphaned, detected again', () => {
    const state = fold(rewardDecider, [detected, absorbed, reverted(true), detected]);
    expect(state).toEqual({ status: 'detected', ...(({ detectedAt: _d, ...rest }) => rest)(detected.data) });
  });
});
