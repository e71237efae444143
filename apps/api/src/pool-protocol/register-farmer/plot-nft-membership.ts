import { Inject, Injectable } from '@nestjs/common';
import { bytesToHex, CLVM_NIL, namedPoolState, PoolErrorCode, readSingletonState, type FullNodeRpc, type PlotNftV2Pool, type SingletonState } from '@pool/chia';
import { type PoolConfig } from '@pool/config';
import { isPoolMember } from '@pool/domain';
import { CHAIN, POOL_CONFIG } from '@pool/runtime';
import { PeakTracker } from '../peak-tracker';
import { PoolProtocolError } from '../pool-protocol.error';
import { findPoolingPlotNftV2 } from './plot-nft-v2-membership';

/** A v1 plot NFT's singleton as the chain shows it, buried by the confirmation threshold. */
export type BuriedSingleton = SingletonState & { buriedState: NonNullable<SingletonState['buriedState']>; peak: number };

/**
 * What the chain says of a farmer's plot NFT, for registration and updates. Both ask the node for a fresh peak:
 * they are rare, and judging whether a plot NFT is buried against a cached peak would refuse a farmer whose launch
 * was buried a moment ago.
 */
@Injectable()
export class PlotNftMembership {
  constructor(
    @Inject(CHAIN) private readonly chain: FullNodeRpc,
    @Inject(POOL_CONFIG) private readonly config: PoolConfig,
    private readonly peak: PeakTracker,
  ) {}

  /** The v1 plot NFT's singleton, buried (its owner key signs PUT /farmer); error 6 otherwise. */
  async buriedSingleton(launcherId: string): Promise<BuriedSingleton> {
    const peak = await this.peak.fresh();
    const threshold = this.config.settings.confirmationSecurityThreshold;
    let singleton: SingletonState | null;
    try {
      singleton = await readSingletonState(this.chain, launcherId, peak, threshold);
    } catch (error) {
      throw new PoolProtocolError(PoolErrorCode.INVALID_SINGLETON, `could not follow plot NFT ${launcherId}: ${(error as Error).message}`);
    }
    if (!singleton) throw new PoolProtocolError(PoolErrorCode.INVALID_SINGLETON, `${launcherId} is not a plot NFT on this chain`);
    if (!singleton.buriedState) {
      throw new PoolProtocolError(PoolErrorCode.INVALID_SINGLETON, `plot NFT ${launcherId} is not yet buried by ${threshold} blocks; try again later`);
    }
    return { ...singleton, buriedState: singleton.buriedState, peak };
  }

  /** The v1 plot NFT's singleton, buried and farming to this pool (error 6 otherwise). */
  async memberSingleton(launcherId: string): Promise<BuriedSingleton> {
    const singleton = await this.buriedSingleton(launcherId);
    const settings = this.config.settings;
    const pool = { targetPuzzleHash: settings.targetPuzzleHash, relativeLockHeight: settings.relativeLockHeight };
    if (!isPoolMember(namedPoolState(singleton.buriedState), singleton.buriedStateHeight!, singleton.peak, pool)) {
      throw new PoolProtocolError(PoolErrorCode.INVALID_SINGLETON, `plot NFT ${launcherId} is not farming to this pool`);
    }
    return singleton;
  }

  /** The v2 plot NFT pools here under `authenticationPublicKey` (its owner key, part of its puzzle); error 6 otherwise. */
  async requireV2Member(launcherId: string, authenticationPublicKey: string): Promise<void> {
    await findPoolingPlotNftV2(this.chain, {
      launcherId,
      authenticationPublicKey,
      pool: this.v2Pool(),
      peak: await this.peak.fresh(),
      confirmationSecurityThreshold: this.config.settings.confirmationSecurityThreshold,
    });
  }

  /** This pool's identity as v2 plot NFTs commit to it (CHIP-59 PoolConfig); no reward memoization. */
  private v2Pool(): PlotNftV2Pool {
    const s = this.config.settings;
    return { poolClaimHash: s.targetPuzzleHash, relativeLockHeight: s.relativeLockHeight, poolMemoization: bytesToHex(CLVM_NIL) };
  }
}
