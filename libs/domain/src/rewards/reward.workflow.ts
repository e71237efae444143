import { type Workflow } from '@pool/event-sourcing';
import type { FarmerRegistered } from '../farmers/farmer.events';
import { rewardDecider, type RewardState } from './reward.decider';
import type { RewardEvent } from './reward.events';

/** A registered farmer as the ledger knows it (FarmerRegistered), which is all an absorber needs to start. */
export interface RewardLauncher {
  launcherId: string;
  protocolVersion: 1 | 2;
  /** Where the plots' pool rewards land: p2_singleton_or_delayed (v1) or RewardPuzzle (v2). */
  rewardPuzzleHash: string;
  delayTime: number;
  delayPuzzleHash: string;
}

/** A reward the ledger knows of (detected, absorbed or reverted). */
export type TrackedReward = Exclude<RewardState, { status: 'none' }>;

/** The collector's view of the ledger: the registered launchers and every reward's state. */
export interface RewardBook {
  launchers: Map<string, RewardLauncher>;
  byPuzzleHash: Map<string, RewardLauncher>;
  rewards: Map<string, TrackedReward>;
}

/** The confirmation depth before an absorb, the window absorbed rewards stay checked in, and the absorb fee. */
export interface RewardPolicy {
  /** Blocks a reward coin must be buried before it is absorbed (reference: 32). */
  confirmationThreshold: number;
  /** Blocks during which an absorbed reward is still checked against reorgs (the chain follower's window). */
  reorgWindow: number;
  /** Mojos recorded as the blockchain fee of each absorb (0 when no wallet pays one). */
  absorbFee: bigint;
}

/** A coin as the node answered for it, as plain data (puzzle hash lower-case hex without 0x). */
export interface ObservedRewardCoin {
  coinId: string;
  amount: bigint;
  puzzleHash: string;
  confirmedHeight: number;
  /** Height of the block that spent it; null while unspent. */
  spentHeight: number | null;
  coinbase: boolean;
  /** The farmed block's height when the parent is a pool coinbase parent (genesis_challenge[:16] || height). */
  farmedHeight: number | undefined;
}

/** Unspent coins at the registered launchers' reward puzzle hashes (from the scan start height). */
export interface RewardCoinsObserved {
  type: 'RewardCoinsObserved';
  coins: readonly ObservedRewardCoin[];
  now: number;
}

/** The rewards `rewardsToRecheck` named, looked up by coin id (spent ones included); a missing coin is gone. */
export interface KnownRewardsObserved {
  type: 'KnownRewardsObserved';
  coins: ReadonlyMap<string, ObservedRewardCoin>;
  peak: number;
  now: number;
}

/** The same look-up, read again once the settling was recorded: what is due for an absorb now. */
export interface AbsorbsDue {
  type: 'AbsorbsDue';
  coins: ReadonlyMap<string, ObservedRewardCoin>;
  peak: number;
}

/** What the absorber found on chain for a reward spent while only detected (a FindAbsorb step). */
export interface AbsorbLookedUp {
  type: 'AbsorbLookedUp';
  coinId: string;
  spentHeight: number;
  found: { absorbTransactionId: string; poolCoinId: string } | null;
  now: number;
}

/** The chain follower saw a reorg back to `forkHeight`; `coinsOnChain` are the `rewardsAboveFork` the new chain has. */
export interface ReorgObserved {
  type: 'ReorgObserved';
  forkHeight: number;
  coinsOnChain: ReadonlySet<string>;
  now: number;
}

export type RewardInput = RewardCoinsObserved | KnownRewardsObserved | AbsorbsDue | AbsorbLookedUp | ReorgObserved;

/** What the collector does: record a fact through the reward commands, or act on the chain. */
export type RewardStep =
  | { type: 'DetectReward'; coinId: string; launcherId: string; puzzleHash: string; amount: bigint; farmedHeight: number; confirmedHeight: number; now: number }
  | { type: 'RevertReward'; coinId: string; forkHeight: number; now: number }
  | { type: 'AbsorbReward'; coinId: string; absorbTransactionId: string; absorbedHeight: number; poolCoinId: string; fee: bigint; now: number }
  /** The reward was spent while only detected: ask the launcher's absorber whether the spend was our absorb. */
  | { type: 'FindAbsorb'; coinId: string; launcherId: string; spentHeight: number }
  /** It was not: someone else claimed it (the operator is told; nothing is recorded). */
  | { type: 'ReportForeignSpend'; coinId: string; launcherId: string; spentHeight: number }
  /** Build one bundle absorbing these rewards of one launcher (they chain its singleton) and push it. */
  | { type: 'PushAbsorb'; launcherId: string; rewards: { coinId: string; farmedHeight: number }[] };

const strip = (hex: string): string => hex.toLowerCase().replace(/^0x/, '');

export function emptyRewardBook(): RewardBook {
  return { launchers: new Map(), byPuzzleHash: new Map(), rewards: new Map() };
}

export function rewardLauncherOf(data: FarmerRegistered['data']): RewardLauncher {
  return {
    launcherId: strip(data.launcherId),
    protocolVersion: data.protocolVersion,
    rewardPuzzleHash: strip(data.p2SingletonPuzzleHash),
    delayTime: data.delayTime,
    delayPuzzleHash: strip(data.delayPuzzleHash),
  };
}

/**
 * The rewards to look up on chain each scan: every detected one (is it gone, or spent by an absorb?) and the
 * absorbed ones still inside the reorg window (a reorg may have taken their block while the collector was down).
 */
export function rewardsToRecheck(book: RewardBook, peak: number, reorgWindow: number): TrackedReward[] {
  return [...book.rewards.values()].filter((r) => r.status === 'detected' || (r.status === 'absorbed' && r.confirmedHeight > peak - reorgWindow));
}

/** The rewards a reorg back to `forkHeight` may have taken: confirmed above it and not reverted yet (absorbed or not). */
export function rewardsAboveFork(book: RewardBook, forkHeight: number): TrackedReward[] {
  return [...book.rewards.values()].filter((r) => r.status !== 'reverted' && r.confirmedHeight > forkHeight);
}

/**
 * A pool reward is a coinbase coin with a pool coinbase parent at a registered launcher's reward puzzle hash (a
 * farmer's 1/8 coinbase paid to the same p2 puzzle hash is not one). A known reward is not detected again, unless a
 * reorg reverted it and the new chain created the same coin again.
 */
function detect(input: RewardCoinsObserved, book: RewardBook): RewardStep[] {
  const steps: RewardStep[] = [];
  for (const coin of input.coins) {
    if (!coin.coinbase || coin.farmedHeight === undefined) continue;
    const launcher = book.byPuzzleHash.get(coin.puzzleHash);
    if (!launcher) continue;
    const known = book.rewards.get(coin.coinId);
    if (known && known.status !== 'reverted') continue;
    const { coinId, puzzleHash, amount, farmedHeight, confirmedHeight } = coin;
    steps.push({ type: 'DetectReward', coinId, launcherId: launcher.launcherId, puzzleHash, amount, farmedHeight, confirmedHeight, now: input.now });
  }
  return steps;
}

/**
 * A rechecked reward whose coin is gone was orphaned by a reorg the collector missed (a restart): the fork was at
 * most just below the reward's block. A detected reward spent since was claimed, by our absorb or someone else's.
 * An unspent one waits for `AbsorbsDue`; an absorbed one still spent is as recorded.
 */
function settle(input: KnownRewardsObserved, book: RewardBook, policy: RewardPolicy): RewardStep[] {
  const steps: RewardStep[] = [];
  for (const reward of rewardsToRecheck(book, input.peak, policy.reorgWindow)) {
    const coin = input.coins.get(reward.coinId);
    if (!coin) {
      steps.push({ type: 'RevertReward', coinId: reward.coinId, forkHeight: reward.confirmedHeight - 1, now: input.now });
      continue;
    }
    if (coin.spentHeight === null || reward.status !== 'detected') continue;
    steps.push({ type: 'FindAbsorb', coinId: reward.coinId, launcherId: reward.launcherId, spentHeight: coin.spentHeight });
  }
  return steps;
}

/** Our absorb is recorded at the height that spent the reward, with the pool coin it created and the absorb fee. */
function absorbLookedUp(input: AbsorbLookedUp, book: RewardBook, policy: RewardPolicy): RewardStep[] {
  const reward = book.rewards.get(input.coinId);
  if (!reward) return [];
  const { coinId, spentHeight } = input;
  if (!input.found) return [{ type: 'ReportForeignSpend', coinId, launcherId: reward.launcherId, spentHeight }];
  const { absorbTransactionId, poolCoinId } = input.found;
  return [{ type: 'AbsorbReward', coinId, absorbTransactionId, absorbedHeight: spentHeight, poolCoinId, fee: policy.absorbFee, now: input.now }];
}

/**
 * Every reward buried by the confirmation threshold and still unspent is absorbed, an absorbed one whose absorb a
 * reorg undid included (the same mojos reach the same target once it lands again). One bundle per launcher, since
 * each absorb spends the plot NFT's singleton and recreates the one the next absorb spends.
 */
function absorbsDue(input: AbsorbsDue, book: RewardBook, policy: RewardPolicy): RewardStep[] {
  const buriedBy = input.peak - policy.confirmationThreshold;
  const byLauncher = new Map<string, { coinId: string; farmedHeight: number }[]>();
  for (const coin of input.coins.values()) {
    const reward = book.rewards.get(coin.coinId);
    if (!reward || reward.status === 'reverted' || coin.spentHeight !== null || coin.confirmedHeight > buriedBy) continue;
    const group = byLauncher.get(reward.launcherId) ?? [];
    group.push({ coinId: coin.coinId, farmedHeight: reward.farmedHeight });
    byLauncher.set(reward.launcherId, group);
  }
  return [...byLauncher].map(([launcherId, rewards]): RewardStep => ({ type: 'PushAbsorb', launcherId, rewards }));
}

/** A reorg back to `forkHeight` reverts every reward above it whose coin the new chain does not have. */
function reorged(input: ReorgObserved, book: RewardBook): RewardStep[] {
  return rewardsAboveFork(book, input.forkHeight)
    .filter((reward) => !input.coinsOnChain.has(reward.coinId))
    .map((reward): RewardStep => ({ type: 'RevertReward', coinId: reward.coinId, forkHeight: input.forkHeight, now: input.now }));
}

/**
 * Folds a registration or a reward fact into the book. The book is updated in place (as the payout saga's view):
 * it holds every reward ever seen, and copying it per event would make a catch-up quadratic. Applying a reward
 * event twice (once after the collector's own append, again when the store is read) gives the same state: every
 * event sets the status outright.
 */
export function evolveRewardBook(book: RewardBook, event: FarmerRegistered | RewardEvent): RewardBook {
  if (event.type === 'FarmerRegistered') {
    const launcher = rewardLauncherOf(event.data);
    book.launchers.set(launcher.launcherId, launcher);
    book.byPuzzleHash.set(launcher.rewardPuzzleHash, launcher);
    return book;
  }
  const next = rewardDecider.evolve(book.rewards.get(event.data.coinId) ?? rewardDecider.initialState(), event);
  if (next.status !== 'none') book.rewards.set(event.data.coinId, next);
  return book;
}

/**
 * The reward collector's decisions (reference `collect_pool_rewards_loop`, made exact and reorg-safe): which coins
 * are new pool rewards, which known rewards a reorg took (seen by the scan or told by the chain follower), which
 * spent ones to look up as absorbed, and which unspent ones are due for an absorb, grouped by launcher. The worker's
 * RewardCollector reads the chain, feeds the observations here, builds the absorb spends and dispatches the
 * commands the steps name; every fact goes through the reward decider, which makes each one idempotent.
 */
export function rewardWorkflow(policy: RewardPolicy): Workflow<RewardInput, RewardBook, RewardStep, FarmerRegistered | RewardEvent> {
  return {
    initialState: emptyRewardBook,
    evolve: evolveRewardBook,
    decide(input, book) {
      switch (input.type) {
        case 'RewardCoinsObserved':
          return detect(input, book);
        case 'KnownRewardsObserved':
          return settle(input, book, policy);
        case 'AbsorbLookedUp':
          return absorbLookedUp(input, book, policy);
        case 'AbsorbsDue':
          return absorbsDue(input, book, policy);
        case 'ReorgObserved':
          return reorged(input, book);
      }
    },
  };
}
