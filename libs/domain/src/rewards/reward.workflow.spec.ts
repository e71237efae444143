import { hex32, launcher, puzzle, workflowSpecification } from '@pool/testing';
import type { FarmerRegistered } from '../farmers/farmer.events';
import type { RewardEvent } from './reward.events';
import { emptyRewardBook, evolveRewardBook, type ObservedRewardCoin, rewardsAboveFork, rewardsToRecheck, type RewardStep, rewardWorkflow } from './reward.workflow';

const policy = { confirmationThreshold: 3, reorgWindow: 200, absorbFee: 1000n };
const spec = workflowSpecification(rewardWorkflow(policy));
const NOW = 5000;

/** Farmer n's rewards land at puzzle(n); the registration spells hex with 0x and capitals, as a request may. */
const registered = (n: number): FarmerRegistered => ({
  type: 'FarmerRegistered',
  data: {
    launcherId: launcher(n),
    authenticationPublicKey: 'aa',
    ownerPublicKey: 'aa',
    payoutInstructions: puzzle(9),
    payoutPuzzleHash: puzzle(9),
    p2SingletonPuzzleHash: `0x${puzzle(n).toUpperCase()}`,
    delayTime: 604800,
    delayPuzzleHash: puzzle(8),
    difficulty: '1',
    protocolVersion: 1,
    registeredAt: 0,
  },
});
const reward = (n: number) => hex32(`c${n}`);
const detected = (n: number, farmer: number, confirmedHeight: number): RewardEvent => ({
  type: 'RewardDetected',
  data: { coinId: reward(n), launcherId: launcher(farmer), puzzleHash: puzzle(farmer), amount: '1750000000000', farmedHeight: confirmedHeight, confirmedHeight, detectedAt: 0 },
});
const absorbed = (n: number, farmer: number, absorbedHeight: number): RewardEvent => ({
  type: 'RewardAbsorbed',
  data: { coinId: reward(n), launcherId: launcher(farmer), amount: '1750000000000', absorbTransactionId: 't', absorbedHeight, poolCoinId: 'p', fee: '0', absorbedAt: 0 },
});
const reverted = (n: number, farmer: number, forkHeight: number): RewardEvent => ({
  type: 'RewardReverted',
  data: { coinId: reward(n), launcherId: launcher(farmer), amount: '1750000000000', reason: 'reorg', forkHeight, wasAbsorbed: false, revertedAt: 0 },
});

/** Reward n of farmer `farmer` as the node answers for it (a pool coinbase farmed at its confirmation height). */
const coin = (n: number, farmer: number, confirmedHeight: number, extra: Partial<ObservedRewardCoin> = {}): ObservedRewardCoin => ({
  coinId: reward(n),
  amount: 1_750_000_000_000n,
  puzzleHash: puzzle(farmer),
  confirmedHeight,
  spentHeight: null,
  coinbase: true,
  farmedHeight: confirmedHeight,
  ...extra,
});
const byId = (...coins: ObservedRewardCoin[]) => new Map(coins.map((c) => [c.coinId, c]));
const detectStep = (n: number, farmer: number, height: number): RewardStep => ({
  type: 'DetectReward',
  coinId: reward(n),
  launcherId: launcher(farmer),
  puzzleHash: puzzle(farmer),
  amount: 1_750_000_000_000n,
  farmedHeight: height,
  confirmedHeight: height,
  now: NOW,
});

describe('reward workflow: detect pool rewards among the coins at the registered reward puzzle hashes', () => {
  const observed = (...coins: ObservedRewardCoin[]) => ({ type: 'RewardCoinsObserved' as const, coins, now: NOW });

  it('detects a pool coinbase at a registered launcher reward puzzle hash', () => {
    spec.given([registered(1)]).when(observed(coin(1, 1, 10))).then([detectStep(1, 1, 10)]);
  });

  it('ignores coins that are not pool rewards: not coinbase, a farmer 1/8 coinbase, an unregistered puzzle hash', () => {
    spec
      .given([registered(1)])
      .when(observed(coin(1, 1, 10, { coinbase: false }), coin(2, 1, 10, { farmedHeight: undefined }), coin(3, 2, 10)))
      .then([]);
  });

  it('does not detect a known reward again, unless a reorg reverted it and the new chain created it again', () => {
    spec.given([registered(1), detected(1, 1, 10)]).when(observed(coin(1, 1, 10))).then([]);
    spec.given([registered(1), detected(1, 1, 10), absorbed(1, 1, 14)]).when(observed(coin(1, 1, 10))).then([]);
    spec.given([registered(1), detected(1, 1, 10), reverted(1, 1, 9)]).when(observed(coin(1, 1, 10))).then([detectStep(1, 1, 10)]);
  });
});

describe('reward workflow: settle the known rewards from their coins on chain', () => {
  const observed = (peak: number, ...coins: ObservedRewardCoin[]) => ({ type: 'KnownRewardsObserved' as const, coins: byId(...coins), peak, now: NOW });

  it('reverts a reward whose coin is gone at the height just below its block (a reorg missed while down)', () => {
    spec.given([registered(1), detected(1, 1, 10)]).when(observed(20)).then([{ type: 'RevertReward', coinId: reward(1), forkHeight: 9, now: NOW }]);
    spec.given([registered(1), detected(1, 1, 10), absorbed(1, 1, 14)]).when(observed(20)).then([{ type: 'RevertReward', coinId: reward(1), forkHeight: 9, now: NOW }]);
  });

  it('looks up the absorb of a detected reward spent since; an absorbed one spent is as recorded', () => {
    spec
      .given([registered(1), detected(1, 1, 10)])
      .when(observed(20, coin(1, 1, 10, { spentHeight: 14 })))
      .then([{ type: 'FindAbsorb', coinId: reward(1), launcherId: launcher(1), spentHeight: 14 }]);
    spec.given([registered(1), detected(1, 1, 10), absorbed(1, 1, 14)]).when(observed(20, coin(1, 1, 10, { spentHeight: 14 }))).then([]);
  });

  it('leaves an unspent reward to the absorb, and no longer checks a reverted one or an absorbed one past the reorg window', () => {
    spec.given([registered(1), detected(1, 1, 10)]).when(observed(20, coin(1, 1, 10))).then([]);
    spec.given([registered(1), detected(1, 1, 10), reverted(1, 1, 9)]).when(observed(20)).then([]);
    spec.given([registered(1), detected(1, 1, 10), absorbed(1, 1, 14)]).when(observed(210)).then([]);
  });

  it('rechecks the detected rewards and the absorbed ones inside the reorg window', () => {
    spec.given([registered(1), detected(1, 1, 10), absorbed(1, 1, 14), detected(2, 1, 11), detected(3, 1, 12), reverted(3, 1, 11)]).thenState((book) => {
      expect(rewardsToRecheck(book, 209, 200).map((r) => r.coinId)).toEqual([reward(1), reward(2)]);
      expect(rewardsToRecheck(book, 210, 200).map((r) => r.coinId)).toEqual([reward(2)]);
    });
  });
});

describe('reward workflow: record an absorb found on chain', () => {
  const lookedUp = (found: { absorbTransactionId: string; poolCoinId: string } | null) => ({ type: 'AbsorbLookedUp' as const, coinId: reward(1), spentHeight: 14, found, now: NOW });

  it('records our absorb at the height that spent the reward, with the absorb fee', () => {
    spec
      .given([registered(1), detected(1, 1, 10)])
      .when(lookedUp({ absorbTransactionId: 'tx', poolCoinId: 'pool' }))
      .then([{ type: 'AbsorbReward', coinId: reward(1), absorbTransactionId: 'tx', absorbedHeight: 14, poolCoinId: 'pool', fee: 1000n, now: NOW }]);
  });

  it('reports a spend that did not pay the pool, and records nothing', () => {
    spec.given([registered(1), detected(1, 1, 10)]).when(lookedUp(null)).then([{ type: 'ReportForeignSpend', coinId: reward(1), launcherId: launcher(1), spentHeight: 14 }]);
  });
});

describe('reward workflow: absorb the rewards buried by the confirmation threshold', () => {
  const due = (peak: number, ...coins: ObservedRewardCoin[]) => ({ type: 'AbsorbsDue' as const, coins: byId(...coins), peak });

  it('pushes one absorb per launcher with its buried unspent rewards, in the order they were looked up', () => {
    spec
      .given([registered(1), registered(2), detected(1, 1, 10), detected(2, 2, 11), detected(3, 1, 12), detected(4, 1, 18)])
      .when(due(15, coin(1, 1, 10), coin(2, 2, 11), coin(3, 1, 12), coin(4, 1, 18)))
      .then([
        { type: 'PushAbsorb', launcherId: launcher(1), rewards: [{ coinId: reward(1), farmedHeight: 10 }, { coinId: reward(3), farmedHeight: 12 }] },
        { type: 'PushAbsorb', launcherId: launcher(2), rewards: [{ coinId: reward(2), farmedHeight: 11 }] },
      ]);
  });

  it('absorbs again a reward whose absorb a reorg undid, and never a spent, reverted or unknown one', () => {
    spec
      .given([registered(1), detected(1, 1, 10), absorbed(1, 1, 14), detected(2, 1, 10), detected(3, 1, 10), reverted(3, 1, 9)])
      .when(due(20, coin(1, 1, 10), coin(2, 1, 10, { spentHeight: 14 }), coin(3, 1, 10), coin(4, 1, 10)))
      .then([{ type: 'PushAbsorb', launcherId: launcher(1), rewards: [{ coinId: reward(1), farmedHeight: 10 }] }]);
  });
});

describe('reward workflow: a reorg back to a fork height', () => {
  const reorg = (forkHeight: number, ...onChain: number[]) => ({ type: 'ReorgObserved' as const, forkHeight, coinsOnChain: new Set(onChain.map(reward)), now: NOW });
  const history = [registered(1), detected(1, 1, 10), detected(2, 1, 12), absorbed(2, 1, 16), detected(3, 1, 13), detected(4, 1, 14), reverted(4, 1, 13)];

  it('reverts every reward above the fork that the new chain does not have, absorbed or not, at the fork height', () => {
    spec
      .given(history)
      .when(reorg(11, 3))
      .then([{ type: 'RevertReward', coinId: reward(2), forkHeight: 11, now: NOW }]);
    spec
      .given(history)
      .when(reorg(9))
      .then([1, 2, 3].map((n) => ({ type: 'RevertReward', coinId: reward(n), forkHeight: 9, now: NOW })));
  });

  it('looks up only the rewards above the fork not reverted yet', () => {
    spec.given(history).thenState((book) => expect(rewardsAboveFork(book, 11).map((r) => r.coinId)).toEqual([reward(2), reward(3)]));
  });
});

describe('reward workflow: the book', () => {
  it('knows launchers by their normalised reward puzzle hash, and folds a reward event twice to the same state', () => {
    const book = [registered(1), detected(1, 1, 10), absorbed(1, 1, 14), absorbed(1, 1, 14)].reduce(evolveRewardBook, emptyRewardBook());
    expect(book.byPuzzleHash.get(puzzle(1))?.launcherId).toBe(launcher(1));
    expect(book.rewards.get(reward(1))).toMatchObject({ status: 'absorbed', absorbedHeight: 14, confirmedHeight: 10 });
  });
});
