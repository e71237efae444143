import { type CommandBus } from '@nestjs/cqrs';
import { plotNftV2PuzzleHash, type FullNodeRpc, type PlotNftV2Pool } from '@pool/chia';
import { RecordMembershipCommand } from '@pool/commands';
import { type FarmerState, type PoolEvent, poolEvents } from '@pool/domain';
import { LedgerFollower, type EventStore } from '@pool/event-sourcing';

export interface PlotNftV2MembershipTrackerOptions {
  store: EventStore;
  /** Where membership changes are recorded (RecordMembership). */
  commandBus: CommandBus;
  /** The farmer as its stream says now (its owner key names its plot NFT's puzzles). */
  farmerState(launcherId: string): Promise<FarmerState>;
  chain: Pick<FullNodeRpc, 'getCoinRecordsByPuzzleHashes' | 'getBlockchainState'>;
  pool: PlotNftV2Pool;
  now(): number;
}

export type PlotNftV2Membership = { isMember: true } | { isMember: false; reason: 'leaving' | 'self_pooling' | 'other_pool' };

/**
 * Membership of one v2 plot NFT from where its singleton coin sits: at this pool's pooling puzzle → member; at
 * the exiting puzzle → still a member until the pool's relative lock height has passed since it started
 * exiting (the same grace v1 gives a leaving farmer; pool2-reference records the exit height but never uses it);
 * at the self-pooling puzzle, or nowhere this pool knows (another pool) → not a member.
 */
export async function plotNftV2Membership(
  chain: Pick<FullNodeRpc, 'getCoinRecordsByPuzzleHashes'>,
  launcherId: string,
  ownerPublicKey: string,
  pool: PlotNftV2Pool,
  peak: number,
): Promise<PlotNftV2Membership> {
  const pooling = plotNftV2PuzzleHash(launcherId, { ownerPublicKey, pool, exiting: false });
  const exiting = plotNftV2PuzzleHash(launcherId, { ownerPublicKey, pool, exiting: true });
  const selfPooling = plotNftV2PuzzleHash(launcherId, { ownerPublicKey, pool: null, exiting: false });
  const records = await chain.getCoinRecordsByPuzzleHashes([pooling, exiting, selfPooling], { includeSpentCoins: false });
  const at = (puzzleHash: string) => records.find((r) => r.coin.puzzleHash === puzzleHash);
  if (at(pooling)) return { isMember: true };
  const exit = at(exiting);
  if (exit) return peak - exit.confirmedBlockIndex > pool.relativeLockHeight ? { isMember: false, reason: 'leaving' } : { isMember: true };
  return { isMember: false, reason: at(selfPooling) ? 'self_pooling' : 'other_pool' };
}

/**
 * The v2 counterpart of MembershipTracker: follows every farmer registered through protocol v2 and records
 * FarmerLeftPool / FarmerRejoinedPool. The v1 tracker cannot read v2 plot NFTs (their launcher carries no PoolState).
 */
export class PlotNftV2MembershipTracker {
  private readonly launchers = new Set<string>();
  private readonly registrations: LedgerFollower<PoolEvent>;

  constructor(private readonly options: PlotNftV2MembershipTrackerOptions) {
    this.registrations = new LedgerFollower(options.store, poolEvents('FarmerRegistered'));
  }

  async check(): Promise<number> {
    await this.registrations.catchUp((event) => {
      if (event.type === 'FarmerRegistered' && event.data.protocolVersion === 2) this.launchers.add(event.data.launcherId);
    });
    const peak = (await this.options.chain.getBlockchainState()).peak?.height ?? 0;
    let changes = 0;
    for (const launcherId of this.launchers) {
      const state = await this.options.farmerState(launcherId);
      if (state.status !== 'registered') continue;
      const membership = await plotNftV2Membership(this.options.chain, launcherId, state.authenticationPublicKey, this.options.pool, peak);
      const events = await this.options.commandBus.execute(
        new RecordMembershipCommand({
          launcherId,
          isMember: membership.isMember,
          ...(membership.isMember ? {} : { reason: membership.reason }),
          height: peak,
          now: Math.floor(this.options.now()),
        }),
      );
      changes += events.length;
    }
    return changes;
  }
}
