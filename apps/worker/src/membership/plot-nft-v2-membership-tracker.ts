import { type CommandBus } from '@nestjs/cqrs';
import { type FullNodeRpc, type Hex, type PlotNftV2Pool } from '@pool/chia';
import { RecordMembershipCommand } from '@pool/commands';
import { membershipWorkflow, poolEvents, type FarmerState, type FollowedFarmer, type PlotNftV2Position, type PoolEventOf } from '@pool/domain';
import { LedgerFollower, type EventStore } from '@pool/event-sourcing';
import { type PlotNftV2Chain, PlotNftV2Follower, type PlotNftV2Reading, samePool } from './plot-nft-v2-follower';

export interface PlotNftV2MembershipTrackerOptions {
  store: EventStore;
  /** Where membership changes are recorded (RecordMembership). */
  commandBus: CommandBus;
  /** The farmer as its stream says now (its registered key must be the Plot NFT's owner key). */
  farmerState(launcherId: string): Promise<FarmerState>;
  chain: PlotNftV2Chain & Pick<FullNodeRpc, 'getBlockchainState' | 'getNetworkInfo'>;
  /** This pool as v2 Plot NFTs commit to it. */
  pool: PlotNftV2Pool;
  now(): number;
  /** Shared with the v2 reward absorber when given, so both continue from the same tips. */
  follower?: PlotNftV2Follower;
}

/**
 * Where a v2 Plot NFT sits, from what its lineage shows: pooling to this pool under the registered owner key, in
 * this pool's waiting room since the exit spend, self-pooling, or elsewhere (another pool, another owner key, melted).
 * null when the chain cannot say now (not launched yet, or it moved under the walk): nothing is recorded then.
 *
 * `since` is the height of the exit, not of the current coin: a forward in the waiting room recreates the coin but
 * does not restart the farmer's grace (the rule counts the lock height from when it asked to leave, as v1 does).
 */
export function plotNftV2Position(reading: PlotNftV2Reading, registeredKey: Hex, pool: PlotNftV2Pool): PlotNftV2Position | null {
  if (reading.kind === 'unreadable') return null;
  if (reading.kind === 'melted') return { at: 'elsewhere' };
  const { state, stateHeight } = reading.tip;
  if (state.pool === null) return { at: 'self_pooling' };
  if (!samePool(state.pool, pool) || state.ownerPublicKey !== registeredKey.toLowerCase().replace(/^0x/, '')) return { at: 'elsewhere' };
  return state.exiting ? { at: 'exiting', since: stateHeight } : { at: 'pooling' };
}

/**
 * The v2 counterpart of MembershipTracker: follows every farmer registered through protocol v2 along its Plot
 * NFT's spends (pooling → exiting → left after the lock height → rejoining) and records FarmerLeftPool /
 * FarmerRejoinedPool; the decision is the domain's membership workflow. The v1 tracker cannot read v2 plot NFTs
 * (their launcher carries no PoolState).
 */
export class PlotNftV2MembershipTracker {
  private readonly workflow: ReturnType<typeof membershipWorkflow>;
  /** The v2 farmers, by launcher id. */
  private readonly farmers = new Map<string, FollowedFarmer>();
  private readonly registrations: LedgerFollower<PoolEventOf<'FarmerRegistered'>>;
  private readonly follower: PlotNftV2Follower;
  private genesisChallenge?: Hex;

  constructor(private readonly options: PlotNftV2MembershipTrackerOptions) {
    this.registrations = new LedgerFollower(options.store, poolEvents('FarmerRegistered'));
    this.workflow = membershipWorkflow({ targetPuzzleHash: options.pool.poolClaimHash, relativeLockHeight: options.pool.relativeLockHeight });
    this.follower = options.follower ?? new PlotNftV2Follower(options.chain);
  }

  /** Reads newly registered farmers from the store, then follows each one's Plot NFT; returns the changes recorded. */
  async check(): Promise<number> {
    await this.registrations.catchUp((event) => {
      const farmer = this.workflow.evolve(this.farmers.get(event.data.launcherId) ?? null, event);
      if (farmer?.protocolVersion === 2) this.farmers.set(farmer.launcherId, farmer);
    });
    if (this.farmers.size === 0) return 0;
    const peak = (await this.options.chain.getBlockchainState()).peak?.height ?? 0;
    const genesisChallenge = await this.genesis();
    let changes = 0;
    for (const [launcherId, farmer] of this.farmers) {
      const state = await this.options.farmerState(launcherId);
      if (state.status !== 'registered') continue;
      const reading = await this.follower.read({ launcherId, genesisChallenge });
      const position = plotNftV2Position(reading, state.authenticationPublicKey, this.options.pool);
      if (position === null) continue;
      for (const { membership } of this.workflow.decide({ type: 'PlotNftV2Observed', position, peak, now: this.options.now() }, farmer)) {
        changes += (await this.options.commandBus.execute(new RecordMembershipCommand(membership))).length;
      }
    }
    return changes;
  }

  /** The network's genesis challenge, asked once (the claim path of every v2 puzzle commits to it). */
  private async genesis(): Promise<Hex> {
    if (this.genesisChallenge === undefined) {
      const info = await this.options.chain.getNetworkInfo();
      if (!info.genesisChallenge) throw new Error('the node did not report its genesis challenge; v2 plot NFTs cannot be followed without it');
      this.genesisChallenge = info.genesisChallenge.toLowerCase().replace(/^0x/, '');
    }
    return this.genesisChallenge;
  }
}
