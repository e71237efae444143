import { farmerDecider, farmerStream } from '@pool/domain';
import { type EventStore, type GlobalPosition } from '@pool/event-store';
import { PoolSingletonState, type FullNodeRpc } from '@pool/chia';
import { type StreamCommandRunner } from '../ledger/stream-command-runner';
import { isPoolMember, readSingletonState, type PoolIdentity } from './singleton-state';

export interface MembershipTrackerOptions {
  store: EventStore;
  runner: StreamCommandRunner;
  chain: Parameters<typeof readSingletonState>[0] & Pick<FullNodeRpc, 'getBlockchainState'>;
  pool: PoolIdentity;
  confirmationThreshold: number;
  now(): number;
}

/**
 * Follows every registered farmer's plot NFT on chain and records when it leaves the pool or comes back
 * (FarmerLeftPool / FarmerRejoinedPool). The list of farmers comes from the ledger, not a read model.
 */
export class MembershipTracker {
  private readonly launchers = new Set<string>();
  private after: GlobalPosition | undefined;

  constructor(private readonly options: MembershipTrackerOptions) {}

  /** Reads newly registered farmers from the store, then checks each one's plot NFT; returns the changes recorded. */
  async check(): Promise<number> {
    for (;;) {
      const page = await this.options.store.readAll({ after: this.after, maxCount: 1000, filter: { types: ['FarmerRegistered'] } });
      for (const event of page) this.launchers.add((event.data as { launcherId: string }).launcherId);
      if (page.length > 0) this.after = page[page.length - 1]!.position;
      if (page.length < 1000) break;
    }
    const peak = (await this.options.chain.getBlockchainState()).peak?.height ?? 0;
    let changes = 0;
    for (const launcherId of this.launchers) {
      const singleton = await readSingletonState(this.options.chain, launcherId, peak, this.options.confirmationThreshold);
      if (!singleton) continue;
      const isMember = isPoolMember(singleton.latestState, singleton.latestStateHeight, peak, this.options.pool);
      const { events } = await this.options.runner.run(farmerStream(launcherId), farmerDecider, {
        type: 'RecordMembership',
        launcherId,
        isMember,
        reason: reasonFor(singleton.latestState.state, singleton.latestState.targetPuzzleHash !== this.options.pool.targetPuzzleHash),
        height: peak,
        now: Math.floor(this.options.now()),
      });
      changes += events.length;
    }
    return changes;
  }
}

function reasonFor(state: number, otherTarget: boolean): 'leaving' | 'self_pooling' | 'other_pool' {
  if (state === PoolSingletonState.SELF_POOLING) return 'self_pooling';
  if (otherTarget) return 'other_pool';
  return 'leaving';
}
