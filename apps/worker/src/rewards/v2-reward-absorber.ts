import { Program } from 'clvm-lib';
import {
  buildForwardPoolRewardSpends,
  coinId,
  G2_INFINITY_HEX,
  plotNftV2InnerPuzzleHash,
  rewardPuzzleHash,
  runProgram,
  singletonV11PuzzleHash,
  spendBundleName,
  type Coin,
  type CoinSpend,
  type FullNodeRpc,
  type Hex,
  type PlotNftV2Identity,
  type SingletonLineageProof,
} from '@pool/chia';
import { type RewardLauncher } from '@pool/domain';
import { type PlotNftV2Chain, PlotNftV2Follower } from '../membership/plot-nft-v2-follower';
import { type AbsorbContext, type AbsorbOnChain, type AbsorbSpends, type ClaimableReward, type RewardAbsorber } from './reward-absorber';

export interface V2RewardAbsorberOptions {
  chain: PlotNftV2Chain & Pick<FullNodeRpc, 'getCoinRecordsByPuzzleHash'>;
  /** Rewards forwarded by one bundle (two spends each), capped like v1 so a bundle stays far under the block cost limit. */
  maxRewardsPerBundle?: number;
  /** Shared with the v2 membership tracker when given, so both continue from the same tips. */
  follower?: PlotNftV2Follower;
}

const SEND_MESSAGE = 66n;

const strip = (hex: string): string => hex.toLowerCase().replace(/^0x/, '');

/**
 * Forwards v2 pool rewards (CHIP-59, chia-blockchain `PlotNFT.forward_pool_reward`): the Plot NFT's singleton runs
 * its pool path (the claim: recreate itself unchanged, send a message to the reward coin) and the reward coin, on
 * receiving it, pays its whole amount to pool_claim_hash with the Plot NFT's memoization. The pool path exists
 * while pooling and in the waiting room alike. Each forward recreates the singleton under a new coin id, so the
 * next forward spends that child with the new lineage proof, and all of a launcher's claimable rewards go into one
 * bundle (pool2-reference forwards one per launcher per run).
 */
export class V2RewardAbsorber implements RewardAbsorber {
  private readonly follower: PlotNftV2Follower;

  constructor(private readonly options: V2RewardAbsorberOptions) {
    this.follower = options.follower ?? new PlotNftV2Follower(options.chain);
  }

  handles(launcher: RewardLauncher): boolean {
    return launcher.protocolVersion === 2;
  }

  async buildAbsorb(launcher: RewardLauncher, rewards: ClaimableReward[], context: AbsorbContext): Promise<AbsorbSpends | undefined> {
    const id: PlotNftV2Identity = { launcherId: strip(launcher.launcherId), genesisChallenge: context.genesisChallenge };
    if (rewardPuzzleHash(id.launcherId) !== strip(launcher.rewardPuzzleHash)) {
      throw new Error(`plot NFT ${id.launcherId} pays rewards to ${rewardPuzzleHash(id.launcherId)}, not the registered ${launcher.rewardPuzzleHash}`);
    }
    // The forward must match the singleton as it is now (its latest coin), not as it was buried.
    const reading = await this.follower.read(id);
    if (reading.kind !== 'tip') return undefined;
    const { state, coin: tip, lineageProof } = reading.tip;
    // Self-pooling: the owner claims its rewards itself. Another claim hash: the pool path pays that pool, not us.
    // A Plot NFT naming our claim hash with another lock height or memoization still pays only us, so it is forwarded.
    if (state.pool === null || strip(state.pool.poolClaimHash) !== strip(context.targetPuzzleHash)) return undefined;

    const innerPuzzleHash = plotNftV2InnerPuzzleHash(id, state);
    const spends: AbsorbSpends = { coinSpends: [], rewardCoinIds: [], feeTies: [] };
    let plotNftCoin: Coin = tip.coin;
    let proof: SingletonLineageProof = lineageProof;
    const ordered = [...rewards].sort((a, b) => a.farmedHeight - b.farmedHeight);
    for (const reward of ordered) {
      if (spends.rewardCoinIds.length >= (this.options.maxRewardsPerBundle ?? 50)) break;
      const pair = buildForwardPoolRewardSpends({ id, state, plotNftCoin, lineageProof: proof, rewardCoin: reward.coin });
      spends.coinSpends.push(pair.singletonSpend, pair.rewardSpend);
      spends.rewardCoinIds.push(reward.coinId);
      spends.feeTies.push({ kind: 'concurrent_spend', coinId: reward.coinId });
      // The claim recreates the singleton unchanged: same puzzle, amount 1, this coin its parent.
      proof = { parentParentCoinId: strip(plotNftCoin.parentCoinInfo), parentInnerPuzzleHash: innerPuzzleHash, parentAmount: plotNftCoin.amount };
      plotNftCoin = { parentCoinInfo: coinId(plotNftCoin), puzzleHash: plotNftCoin.puzzleHash, amount: 1n };
    }
    return spends.rewardCoinIds.length > 0 ? spends : undefined;
  }

  /**
   * Our forward of `reward` created a coin of its amount at the claim hash, with the reward coin as its parent, and
   * the singleton sent the reward coin its message from a claim spend in the same block. The transaction id is the
   * name of that pair, as for v1.
   */
  async findAbsorb(launcher: RewardLauncher, reward: ClaimableReward, spentHeight: number, context: AbsorbContext): Promise<AbsorbOnChain | undefined> {
    const { chain } = this.options;
    const children = await chain.getCoinRecordsByParentIds([reward.coinId], { includeSpentCoins: true });
    const paid = children.find((r) => strip(r.coin.puzzleHash) === strip(context.targetPuzzleHash) && r.coin.amount === reward.coin.amount);
    if (!paid) return undefined;
    const rewardSpend = await chain.getPuzzleAndSolution(reward.coinId, spentHeight);
    const singletonPuzzleHash = senderPuzzleHash(strip(launcher.launcherId), rewardSpend);
    if (singletonPuzzleHash === null) return undefined;
    // The claim recreates the singleton at the same puzzle hash in the block it spends it: its parent is the claim spend.
    const recreated = await chain.getCoinRecordsByPuzzleHash(singletonPuzzleHash, { startHeight: spentHeight, endHeight: spentHeight + 1, includeSpentCoins: true });
    for (const record of recreated) {
      const singletonSpend = await chain.getPuzzleAndSolution(record.coin.parentCoinInfo, spentHeight).catch(() => null);
      if (singletonSpend === null || !messagesCoin(singletonSpend, reward.coinId)) continue;
      return {
        poolCoinId: coinId(paid.coin),
        absorbTransactionId: spendBundleName({ coinSpends: [singletonSpend, rewardSpend], aggregatedSignature: G2_INFINITY_HEX }),
      };
    }
    return undefined;
  }
}

/**
 * The singleton puzzle hash a spend of the RewardPuzzle received its message from: its solution is
 * `(delegated_puzzle delegated_solution singleton_inner_puzzle_hash)` (feeder around the singleton member), and the
 * member receives from singleton_top_layer_v1_1(this launcher, that inner puzzle hash). null when unreadable.
 */
function senderPuzzleHash(launcherId: Hex, rewardSpend: CoinSpend): Hex | null {
  try {
    const innerPuzzleHash = Program.deserializeHex(strip(rewardSpend.solution)).toList()[2];
    if (innerPuzzleHash === undefined || !innerPuzzleHash.isAtom || innerPuzzleHash.atom.length !== 32) return null;
    return singletonV11PuzzleHash(launcherId, Buffer.from(innerPuzzleHash.atom).toString('hex'));
  } catch {
    return null;
  }
}

/** Does the spend, run as the node runs it, send a message to coin `receiverId` (SEND_MESSAGE with its coin id last)? */
function messagesCoin(spend: CoinSpend, receiverId: Hex): boolean {
  let conditions: Program[];
  try {
    conditions = runProgram(Program.deserializeHex(strip(spend.puzzleReveal)), Program.deserializeHex(strip(spend.solution))).value.toList();
  } catch {
    return false;
  }
  return conditions.some((condition) => {
    if (!condition.isCons || !condition.first.isAtom || condition.first.toBigInt() !== SEND_MESSAGE) return false;
    const receiver = condition.toList(false).at(-1);
    return receiver !== undefined && receiver.isAtom && Buffer.from(receiver.atom).toString('hex') === receiverId;
  });
}
