import { type Logger } from '@nestjs/common';
import { type CommandBus } from '@nestjs/cqrs';
import { type FullNodeRpc, type WalletRpc } from '@pool/chia';
import { type PoolSettings } from '@pool/config';
import { type EventStore } from '@pool/event-sourcing';
import { runEvery } from '@pool/runtime';
import { type PlotNftV2Follower } from '../membership/plot-nft-v2-follower';
import { RewardCollector } from './reward-collector';
import { type RewardAbsorber } from './reward-absorber';
import { V1RewardAbsorber } from './v1-reward-absorber';
import { V2RewardAbsorber } from './v2-reward-absorber';

export interface RewardCollectorDependencies {
  store: EventStore;
  commandBus: CommandBus;
  chain: FullNodeRpc;
  settings: Pick<PoolSettings, 'targetPuzzleHash' | 'confirmationSecurityThreshold'>;
  now(): number;
  /** Pays the optional absorb fee; without it absorbs carry no fee. */
  wallet?: Pick<WalletRpc, 'createSignedTransaction'> | null;
  /** Mojos per absorbed reward (reference `block_claim_fee`); 0 by default. */
  feePerReward?: bigint;
  /** More absorbers, tried before the v1 and v2 ones (the first that handles a launcher is used). */
  extraAbsorbers?: RewardAbsorber[];
  /** The v2 Plot NFT follower the membership tracker uses, so both continue from the same tips. */
  plotNftV2Follower?: PlotNftV2Follower;
  logger: Pick<Logger, 'log' | 'warn'>;
}

/** The collector the pool loops run: v1 absorbs and v2 forwards always, plus whatever absorbers are given. */
export function createRewardCollector(deps: RewardCollectorDependencies): RewardCollector {
  const errorsSeen = new Set<string>();
  return new RewardCollector({
    store: deps.store,
    commandBus: deps.commandBus,
    chain: deps.chain,
    absorbers: [
      ...(deps.extraAbsorbers ?? []),
      new V1RewardAbsorber({ chain: deps.chain }),
      new V2RewardAbsorber({ chain: deps.chain, ...(deps.plotNftV2Follower ? { follower: deps.plotNftV2Follower } : {}) }),
    ],
    targetPuzzleHash: deps.settings.targetPuzzleHash,
    confirmationThreshold: deps.settings.confirmationSecurityThreshold,
    feePerReward: deps.feePerReward ?? 0n,
    ...(deps.wallet ? { wallet: deps.wallet } : {}),
    now: deps.now,
    onAbsorbError: (launcherId, error) => {
      // A pending absorb makes every run fail the same way until it lands: say it once per launcher and cause.
      const line = `reward absorb for ${launcherId}: ${(error as Error).message}`;
      if (!errorsSeen.has(line)) deps.logger.warn(line);
      errorsSeen.add(line);
      if (errorsSeen.size > 1000) errorsSeen.clear();
    },
  });
}

/** One scan every `intervalMs` (reference: 600 s; a block is ~19 s, so the default looks every 10 s). */
export async function runRewardCollectorLoop(
  collector: RewardCollector,
  intervalMs: number,
  logger: Pick<Logger, 'log' | 'warn'>,
  signal: AbortSignal,
): Promise<void> {
  await runEvery(
    intervalMs,
    signal,
    async () => {
      const scan = await collector.scan();
      const parts = [
        scan.detected > 0 ? `${scan.detected} detected` : '',
        scan.absorbsPushed > 0 ? `${scan.absorbsPushed} absorb(s) pushed` : '',
        scan.absorbed > 0 ? `${scan.absorbed} absorbed` : '',
        scan.reverted > 0 ? `${scan.reverted} reverted` : '',
      ].filter((part) => part !== '');
      if (parts.length > 0) logger.log(`rewards at height ${scan.peakHeight}: ${parts.join(', ')}`);
    },
    (error) => logger.warn(`reward collector: ${(error as Error).message}`),
  );
}
