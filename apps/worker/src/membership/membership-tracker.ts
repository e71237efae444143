import { type CommandBus } from '@nestjs/cqrs';
import { coinId, decodePoolSingletonSpend, namedPoolState, readSingletonState, type CoinRecord, type FullNodeRpc, type PoolState } from '@pool/chia';
import { RecordMembershipCommand } from '@pool/commands';
import { membershipWorkflow, poolEvents, type FollowedFarmer, type MembershipPolicy, type PoolEventOf } from '@pool/domain';
import { LedgerFollower, type EventStore } from '@pool/event-sourcing';

export interface MembershipTrackerOptions {
  store: EventStore;
  /** Where membership changes are recorded (RecordMembership). */
  commandBus: CommandBus;
  chain: Parameters<typeof readSingletonState>[0] & Pick<FullNodeRpc, 'getBlockchainState'>;
  pool: MembershipPolicy;
  confirmationThreshold: number;
  now(): number;
}

/** Where a plot NFT's walk stopped last time: its latest state and the coin to continue from. */
interface KnownSingleton {
  latestState: PoolState;
  latestStateHeight: number;
  tipCoinId: string;
  /** Height the tip coin was created at: a reorg that moved or removed it shows up here. */
  tipConfirmedHeight: number;
}

/** Longest lineage followed from a known tip in one check (an absorb per pool block adds one spend). */
const MAX_SPENDS = 10_000;

/**
 * Follows every registered farmer's plot NFT on chain and records when it leaves the pool or comes back
 * (FarmerLeftPool / FarmerRejoinedPool): the decision is the domain's membership workflow; this class walks the
 * singletons, feeds their latest pool state, and dispatches RecordMembership. The list of farmers comes from the
 * ledger, not a read model.
 *
 * Each farmer's walk continues from the tip coin it reached last time (kept in memory, rebuilt from the
 * launcher on start), so a check costs one lookup per farmer plus the spends since then, not the whole
 * lineage. A reorg can take back spends already walked: if the known tip coin is gone, or now sits at a
 * different height, the walk starts again from the launcher.
 */
export class MembershipTracker {
  private readonly workflow: ReturnType<typeof membershipWorkflow>;
  /** The v1 farmers, by launcher id. */
  private readonly farmers = new Map<string, FollowedFarmer>();
  private readonly known = new Map<string, KnownSingleton>();
  private readonly registrations: LedgerFollower<PoolEventOf<'FarmerRegistered'>>;
  /** Walks that had to start from the launcher (first sight, or a reorg under the known tip). */
  fullWalks = 0;

  constructor(private readonly options: MembershipTrackerOptions) {
    this.registrations = new LedgerFollower(options.store, poolEvents('FarmerRegistered'));
    this.workflow = membershipWorkflow(options.pool);
  }

  /** Reads newly registered farmers from the store, then checks each one's plot NFT; returns the changes recorded. */
  async check(): Promise<number> {
    await this.registrations.catchUp((event) => {
      const farmer = this.workflow.evolve(this.farmers.get(event.data.launcherId) ?? null, event);
      // v2 plot NFTs carry no PoolState in their launcher: PlotNftV2MembershipTracker follows those.
      if (farmer?.protocolVersion === 1) this.farmers.set(farmer.launcherId, farmer);
    });
    const peak = (await this.options.chain.getBlockchainState()).peak?.height ?? 0;
    let changes = 0;
    for (const [launcherId, farmer] of this.farmers) {
      const singleton = await this.follow(launcherId, peak);
      const observed = singleton && { poolState: namedPoolState(singleton.latestState), stateHeight: singleton.latestStateHeight };
      for (const { membership } of this.workflow.decide({ type: 'PlotNftObserved', singleton: observed, peak, now: this.options.now() }, farmer)) {
        changes += (await this.options.commandBus.execute(new RecordMembershipCommand(membership))).length;
      }
    }
    return changes;
  }

  /** The plot NFT's latest state: from the known tip when it still stands, else from the launcher. */
  private async follow(launcherId: string, peak: number): Promise<KnownSingleton | null> {
    const known = this.known.get(launcherId);
    if (known) {
      const tip = await this.options.chain.getCoinRecordByName(known.tipCoinId);
      if (tip && tip.confirmedBlockIndex === known.tipConfirmedHeight) {
        const advanced = await this.walkOn(launcherId, known, tip);
        if (advanced) {
          this.known.set(launcherId, advanced);
          return advanced;
        }
      }
    }
    this.known.delete(launcherId);
    this.fullWalks++;
    const walked = await readSingletonState(this.options.chain, launcherId, peak, this.options.confirmationThreshold);
    if (!walked) return null;
    const tip = await this.options.chain.getCoinRecordByName(walked.tipCoinId);
    if (!tip) return null; // the chain moved under the walk; the next check starts again
    const fresh = { latestState: walked.latestState, latestStateHeight: walked.latestStateHeight, tipCoinId: walked.tipCoinId, tipConfirmedHeight: tip.confirmedBlockIndex };
    this.known.set(launcherId, fresh);
    return fresh;
  }

  /** Follows spends from `tip` to the unspent coin; null when the lineage cannot be followed (walk again). */
  private async walkOn(launcherId: string, known: KnownSingleton, tip: CoinRecord): Promise<KnownSingleton | null> {
    const chain = this.options.chain;
    let { latestState, latestStateHeight } = known;
    let coin: CoinRecord | undefined = tip;
    for (let spends = 0; coin.spent; spends++) {
      if (spends >= MAX_SPENDS) throw new Error(`singleton ${launcherId} has more than ${MAX_SPENDS} new spends`);
      const id = coinId(coin.coin);
      const decoded = decodePoolSingletonSpend(await chain.getPuzzleAndSolution(id, coin.spentBlockIndex));
      if (decoded.kind === 'unknown') return null;
      if (decoded.kind === 'travel') {
        latestState = decoded.poolState;
        latestStateHeight = coin.spentBlockIndex;
      }
      const children: CoinRecord[] = await chain.getCoinRecordsByParentIds([id], { includeSpentCoins: true });
      // A singleton's next coin is its parent's one child with an odd amount.
      coin = children.find((record) => record.coin.amount % 2n === 1n);
      if (!coin) return null;
    }
    return { latestState, latestStateHeight, tipCoinId: coinId(coin.coin), tipConfirmedHeight: coin.confirmedBlockIndex };
  }
}


