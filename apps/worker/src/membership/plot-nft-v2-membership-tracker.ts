import { type CommandBus } from '@nestjs/cqrs';
import { plotNftV2PuzzleHash, type FullNodeRpc, type PlotNftV2Pool } from '@pool/chia';
import { RecordMembershipCommand } from '@pool/commands';
import { membershipWorkflow, poolEvents, type FarmerState, type FollowedFarmer, type PlotNftV2Position, type PoolEventOf } from '@pool/domain';
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

/**
 * Where one v2 plot NFT's singleton coin sits (unspent): at this pool's pooling puzzle, its exiting puzzle (since the
 * height the coin was created), the self-pooling puzzle, or elsewhere. The puzzles are named by the owner key.
 */
export async function locatePlotNftV2(
  chain: Pick<FullNodeRpc, 'getCoinRecordsByPuzzleHashes'>,
  launcherId: string,
  ownerPublicKey: string,
  pool: PlotNftV2Pool,
): Promise<PlotNftV2Position> {
  const pooling = plotNftV2PuzzleHash(launcherId, { ownerPublicKey, pool, exiting: false });
  const exiting = plotNftV2PuzzleHash(launcherId, { ownerPublicKey, pool, exiting: true });
  const selfPooling = plotNftV2PuzzleHash(launcherId, { ownerPublicKey, pool: null, exiting: false });
  const records = await chain.getCoinRecordsByPuzzleHashes([pooling, exiting, selfPooling], { includeSpentCoins: false });
  const at = (puzzleHash: string) => records.find((r) => r.coin.puzzleHash === puzzleHash);
  if (at(pooling)) return { at: 'pooling' };
  const exit = at(exiting);
  if (exit) return { at: 'exiting', since: exit.confirmedBlockIndex };
  return at(selfPooling) ? { at: 'self_pooling' } : { at: 'elsewhere' };
}

/**
 * The v2 counterpart of MembershipTracker: follows every farmer registered through protocol v2 and records
 * FarmerLeftPool / FarmerRejoinedPool (the decision is the domain's membership workflow). The v1 tracker cannot
 * read v2 plot NFTs (their launcher carries no PoolState).
 */
export class PlotNftV2MembershipTracker {
  private readonly workflow: ReturnType<typeof membershipWorkflow>;
  /** The v2 farmers, by launcher id. */
  private readonly farmers = new Map<string, FollowedFarmer>();
  private readonly registrations: LedgerFollower<PoolEventOf<'FarmerRegistered'>>;

  constructor(private readonly options: PlotNftV2MembershipTrackerOptions) {
    this.registrations = new LedgerFollower(options.store, poolEvents('FarmerRegistered'));
    this.workflow = membershipWorkflow({ targetPuzzleHash: options.pool.poolClaimHash, relativeLockHeight: options.pool.relativeLockHeight });
  }

  async check(): Promise<number> {
    await this.registrations.catchUp((event) => {
      const farmer = this.workflow.evolve(this.farmers.get(event.data.launcherId) ?? null, event);
      if (farmer?.protocolVersion === 2) this.farmers.set(farmer.launcherId, farmer);
    });
    const peak = (await this.options.chain.getBlockchainState()).peak?.height ?? 0;
    let changes = 0;
    for (const [launcherId, farmer] of this.farmers) {
      // Its owner key names its puzzles: a farmer the stream does not know cannot be looked up.
      const state = await this.options.farmerState(launcherId);
      if (state.status !== 'registered') continue;
      const position = await locatePlotNftV2(this.options.chain, launcherId, state.authenticationPublicKey, this.options.pool);
      for (const { membership } of this.workflow.decide({ type: 'PlotNftV2Observed', position, peak, now: this.options.now() }, farmer)) {
        changes += (await this.options.commandBus.execute(new RecordMembershipCommand(membership))).length;
      }
    }
    return changes;
  }
}
