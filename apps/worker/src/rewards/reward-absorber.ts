import { type Coin, type CoinSpend, type Hex } from '@pool/chia';
import { type RewardLauncher } from '@pool/domain';

/** A detected reward coin the collector wants absorbed (buried, still unspent). */
export interface ClaimableReward {
  coin: Coin;
  coinId: Hex;
  farmedHeight: number;
}

/**
 * A condition the wallet's fee spend carries so that it is valid only beside the absorb: the absorb spends carry no
 * signature, so without it anyone could lift the signed fee spend out of the bundle and have it included alone.
 */
export type FeeTie =
  /** ASSERT_COIN_ANNOUNCEMENT (61) of an announcement the absorb makes (v1: one per reward). */
  | { kind: 'coin_announcement'; announcementId: Hex }
  /**
   * ASSERT_CONCURRENT_SPEND (64) of a coin the absorb spends (v2: forwards announce nothing, so the fee spend asserts
   * the reward coin is spent in the same block; chia's mempool enforces it since 2.0).
   */
  | { kind: 'concurrent_spend'; coinId: Hex };

/** The spends that claim some rewards of one launcher, to be pushed as one bundle (they chain one singleton). */
export interface AbsorbSpends {
  coinSpends: CoinSpend[];
  /** Rewards the spends absorb, in order; a subset of those asked for when some cannot be absorbed now. */
  rewardCoinIds: Hex[];
  /** What a wallet fee spend must assert so it cannot be separated from the absorb (one per reward). */
  feeTies: FeeTie[];
}

/** How a spent reward coin was absorbed, read back from the chain. */
export interface AbsorbOnChain {
  /** The coin the absorb created at the pool's target puzzle hash (v2: pool_claim_hash). */
  poolCoinId: Hex;
  /** Id of the absorb: the spend bundle name of [singleton spend, reward spend] with the identity signature. */
  absorbTransactionId: Hex;
}

export interface AbsorbContext {
  peakHeight: number;
  genesisChallenge: Hex;
  targetPuzzleHash: Hex;
}

/**
 * One plot NFT generation's way of claiming pool rewards. The collector finds the reward coins, keeps the
 * ledger and pushes bundles; an absorber only knows the puzzles. v1 (p2_singleton_or_delayed + pool member
 * or waiting room) is `V1RewardAbsorber`; v2 (RewardPuzzle forwarding to pool_claim_hash through the Plot NFT's
 * pool path) is `V2RewardAbsorber`.
 */
export interface RewardAbsorber {
  /** True for the launchers this absorber handles (by protocol version). */
  handles(launcher: RewardLauncher): boolean;
  /**
   * Spends absorbing as many of `rewards` (all at `launcher.rewardPuzzleHash`) as one bundle can, chained from
   * the singleton's latest state; `undefined` when the plot NFT does not pay this pool now (left, self-pooling).
   */
  buildAbsorb(launcher: RewardLauncher, rewards: ClaimableReward[], context: AbsorbContext): Promise<AbsorbSpends | undefined>;
  /**
   * The reward coin was spent at `spentHeight`: was it our absorb (a coin of its amount at the target puzzle
   * hash, created by this launcher's singleton for this reward)? `undefined` when it was claimed elsewhere.
   */
  findAbsorb(launcher: RewardLauncher, reward: ClaimableReward, spentHeight: number, context: AbsorbContext): Promise<AbsorbOnChain | undefined>;
}
