import {
  buildAbsorbSpend,
  coinId,
  decodePoolSingletonSpend,
  G2_INFINITY_HEX,
  innerPuzzleKindForState,
  lineageProofFromParentSpend,
  PoolSingletonState,
  poolStateToInnerPuzzle,
  spendBundleName,
  type CoinSpend,
  type FullNodeRpc,
} from '@pool/chia';
import { readSingletonState, type SingletonChain } from '@pool/chia';
import { type RewardLauncher } from '@pool/domain';
import { type AbsorbContext, type AbsorbOnChain, type AbsorbSpends, type ClaimableReward, type RewardAbsorber } from './reward-absorber';

export interface V1RewardAbsorberOptions {
  chain: SingletonChain & Pick<FullNodeRpc, 'getCoinRecordsByPuzzleHash'>;
  /**
   * Rewards absorbed by one bundle (two spends each). The reference caps it at 50 so a bundle stays well
   * under the block cost limit; the rest follow from the new singleton tip in the next run.
   */
  maxRewardsPerBundle?: number;
}

const strip = (hex: string): string => hex.toLowerCase().replace(/^0x/, '');

/**
 * Absorbs v1 pool rewards (chia `create_absorb_spend`): the plot NFT's singleton, in its latest state
 * (member or waiting room, both pay the pool's target), spends itself once per reward and each reward coin's
 * p2_singleton_or_delayed puzzle is spent beside it. The spends chain: each absorb recreates the singleton
 * the next one spends, so every claimable reward goes into one bundle.
 */
export class V1RewardAbsorber implements RewardAbsorber {
  constructor(private readonly options: V1RewardAbsorberOptions) {}

  handles(launcher: RewardLauncher): boolean {
    return launcher.protocolVersion === 1;
  }

  async buildAbsorb(launcher: RewardLauncher, rewards: ClaimableReward[], context: AbsorbContext): Promise<AbsorbSpends | undefined> {
    const { chain } = this.options;
    // Threshold 0: the absorb must match the singleton as it is now, not as it was buried.
    const singleton = await readSingletonState(chain, launcher.launcherId, context.peakHeight, 0);
    if (!singleton) return undefined;
    const state = singleton.latestState;
    if (strip(state.targetPuzzleHash) !== strip(context.targetPuzzleHash) || state.state === PoolSingletonState.SELF_POOLING) return undefined;
    if (singleton.p2SingletonPuzzleHash !== strip(launcher.rewardPuzzleHash)) {
      throw new Error(`plot NFT ${launcher.launcherId} pays rewards to ${singleton.p2SingletonPuzzleHash}, not the registered ${launcher.rewardPuzzleHash}`);
    }
    const tip = await chain.getCoinRecordByName(singleton.tipCoinId);
    if (!tip || tip.spent) return undefined;
    // A coin is created in the block that spends its parent, so the parent's spend is at the tip's height.
    const parentSpend = await chain.getPuzzleAndSolution(tip.coin.parentCoinInfo, tip.confirmedBlockIndex);
    const identity = {
      launcherId: launcher.launcherId,
      genesisChallenge: context.genesisChallenge,
      delayTime: singleton.delayTime,
      delayPuzzleHash: singleton.delayPuzzleHash,
    };
    const innerPuzzle = poolStateToInnerPuzzle(state, identity);
    const isMember = innerPuzzleKindForState(state.state) === 'member';

    let singletonCoin = tip.coin;
    let lineageProof = lineageProofFromParentSpend(parentSpend);
    const spends: AbsorbSpends = { coinSpends: [], rewardCoinIds: [], feeTies: [] };
    const ordered = [...rewards].sort((a, b) => a.farmedHeight - b.farmedHeight);
    for (const reward of ordered) {
      if (spends.rewardCoinIds.length >= (this.options.maxRewardsPerBundle ?? 50)) break;
      // The member puzzle reads height 0 as a travel; only the genesis block pays at height 0.
      if (isMember && reward.farmedHeight === 0) continue;
      const absorb = buildAbsorbSpend({
        launcherId: launcher.launcherId,
        delayTime: singleton.delayTime,
        delayPuzzleHash: singleton.delayPuzzleHash,
        singletonCoin,
        lineageProof,
        innerPuzzle,
        rewardCoin: reward.coin,
        rewardHeight: reward.farmedHeight,
      });
      spends.coinSpends.push(...absorb.coinSpends);
      spends.rewardCoinIds.push(absorb.rewardCoinId);
      spends.feeTies.push({ kind: 'coin_announcement', announcementId: absorb.feeAnnouncementId });
      singletonCoin = absorb.nextSingletonCoin;
      lineageProof = absorb.nextLineageProof;
    }
    return spends.rewardCoinIds.length > 0 ? spends : undefined;
  }

  async findAbsorb(launcher: RewardLauncher, reward: ClaimableReward, spentHeight: number, context: AbsorbContext): Promise<AbsorbOnChain | undefined> {
    const { chain } = this.options;
    const paid = await chain.getCoinRecordsByPuzzleHash(strip(context.targetPuzzleHash), {
      startHeight: spentHeight,
      endHeight: spentHeight + 1,
      includeSpentCoins: true,
    });
    for (const record of paid) {
      if (record.coin.amount !== reward.coin.amount) continue;
      let singletonSpend: CoinSpend;
      try {
        singletonSpend = await chain.getPuzzleAndSolution(record.coin.parentCoinInfo, spentHeight);
      } catch {
        continue; // created by a spend that is not a singleton's (a wallet payment of the same amount)
      }
      const decoded = decodePoolSingletonSpend(singletonSpend);
      if (decoded.kind !== 'absorb' || decoded.puzzle.launcherId !== strip(launcher.launcherId) || decoded.rewardHeight !== reward.farmedHeight) continue;
      const rewardSpend = await chain.getPuzzleAndSolution(reward.coinId, spentHeight);
      return {
        poolCoinId: coinId(record.coin),
        absorbTransactionId: spendBundleName({ coinSpends: [singletonSpend, rewardSpend], aggregatedSignature: G2_INFINITY_HEX }),
      };
    }
    return undefined;
  }
}
