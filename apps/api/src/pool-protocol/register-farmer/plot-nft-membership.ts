import { Inject, Injectable } from '@nestjs/common';
import { bytesToHex, CLVM_NIL, namedPoolState, PoolErrorCode, readSingletonState, type FullNodeRpc, type PlotNftV2Pool, type SingletonState } from '@pool/chia';
import { type PoolConfig } from '@pool/config';
import { CHAIN, POOL_CONFIG } from '@pool/runtime';
import { PeakTracker } from '../peak-tracker';
import { PoolProtocolError } from '../pool-protocol.error';
import { v1AdmissionRefusal } from './plot-nft-admission';
import { findPoolingPlotNftV2 } from './plot-nft-v2-membership';

/** A v1 plot NFT's singleton as the chain shows it now, with the peak it was read at. */
export type CurrentSingleton = SingletonState & { peak: number };

/**
 * What the chain says of a farmer's plot NFT, for registration and updates, from its LATEST state (see
 * v1AdmissionRefusal for why not the buried one). Both ask the node for a fresh peak: they are rare, and a waiting
 * room judged against a cached peak could be told it still waits when it is free.
 */
@Injectable()
export class PlotNftMembership {
  private genesis?: Promise<string>;

  constructor(
    @Inject(CHAIN) private readonly chain: FullNodeRpc,
    @Inject(POOL_CONFIG) private readonly config: PoolConfig,
    private readonly peak: PeakTracker,
  ) {}

  /** The v1 plot NFT's singleton as it stands now (its owner key signs PUT /farmer); error 14 when there is none. */
  async currentSingleton(launcherId: string): Promise<CurrentSingleton> {
    const peak = await this.peak.fresh();
    let singleton: SingletonState | null;
    try {
      singleton = await readSingletonState(this.chain, launcherId, peak, this.config.settings.confirmationSecurityThreshold);
    } catch (error) {
      throw new PoolProtocolError(PoolErrorCode.INVALID_SINGLETON, `could not follow plot NFT ${launcherId}: ${(error as Error).message}`);
    }
    if (!singleton) throw new PoolProtocolError(PoolErrorCode.INVALID_SINGLETON, await this.whyNoSingleton(launcherId));
    return { ...singleton, peak };
  }

  /** The v1 plot NFT's singleton, farming to this pool now (error 14 saying why not otherwise). */
  async memberSingleton(launcherId: string): Promise<CurrentSingleton> {
    const singleton = await this.currentSingleton(launcherId);
    const settings = this.config.settings;
    const pool = { targetPuzzleHash: settings.targetPuzzleHash, relativeLockHeight: settings.relativeLockHeight };
    const latest = { poolState: namedPoolState(singleton.latestState), poolUrl: singleton.latestState.poolUrl, stateHeight: singleton.latestStateHeight };
    const refusal = v1AdmissionRefusal(launcherId, latest, singleton.peak, pool);
    if (refusal !== null) throw new PoolProtocolError(PoolErrorCode.INVALID_SINGLETON, refusal);
    return singleton;
  }

  /** Only asked once a launcher could not be followed: tells a launcher the chain never saw from one it cannot read. */
  private async whyNoSingleton(launcherId: string): Promise<string> {
    const launcher = await this.chain.getCoinRecordByName(launcherId);
    if (launcher === null) return `launcher ${launcherId} not found on chain`;
    if (!launcher.spent) return `launcher ${launcherId} is on chain but unspent: no plot NFT has been launched from it yet`;
    return `${launcherId} is not a plot NFT this pool can follow (its launch or a later spend is not a pool singleton's)`;
  }

  /** The v2 plot NFT pools here now under `authenticationPublicKey` (its owner key, part of its puzzle); 3 or 14 saying why not otherwise. */
  async requireV2Member(launcherId: string, authenticationPublicKey: string): Promise<void> {
    await findPoolingPlotNftV2(this.chain, {
      id: { launcherId, genesisChallenge: await this.genesisChallenge() },
      authenticationPublicKey,
      pool: this.v2Pool(),
      peak: await this.peak.fresh(),
    });
  }

  /** This pool's identity as v2 plot NFTs commit to it (CHIP-59 PoolConfig); no reward memoization (what /v2/pool_info serves). */
  private v2Pool(): PlotNftV2Pool {
    const s = this.config.settings;
    return { poolClaimHash: strip0x(s.targetPuzzleHash), relativeLockHeight: s.relativeLockHeight, poolMemoization: bytesToHex(CLVM_NIL) };
  }

  /**
   * The node's genesis challenge (v2 pooling puzzles commit to its first 16 bytes), asked once: a node never changes
   * network. A failed ask is not remembered, so the next registration asks again.
   */
  private genesisChallenge(): Promise<string> {
    this.genesis ??= this.chain
      .getNetworkInfo()
      .then((info) => {
        if (!info.genesisChallenge) throw new Error('the node did not report its genesis challenge; v2 plot NFTs cannot be found without it');
        return strip0x(info.genesisChallenge);
      })
      .catch((error: unknown) => {
        this.genesis = undefined;
        throw error;
      });
    return this.genesis;
  }
}

const strip0x = (hex: string): string => hex.toLowerCase().replace(/^0x/, '');
