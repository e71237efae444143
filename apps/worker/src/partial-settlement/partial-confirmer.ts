import { type CommandBus } from '@nestjs/cqrs';
import { type FullNodeRpc } from '@pool/chia';
import { ConfirmPartialCommand, RevertPartialCommand } from '@pool/commands';
import { eventTypesOf, type FarmerState, type PartialRevertReason, type PoolEvent, poolEvents } from '@pool/domain';
import { LedgerFollower, type EventStore } from '@pool/event-sourcing';
import { runEvery } from '@pool/runtime';

interface Pending {
  launcherId: string;
  signagePointHash: string;
  receivedAt: number;
}

export interface PartialConfirmerOptions {
  store: EventStore;
  /** Where the settlements go (ConfirmPartial, RevertPartial). */
  commandBus: CommandBus;
  chain: Pick<FullNodeRpc, 'getRecentSignagePointOrEos'>;
  farmerState(launcherId: string): Promise<FarmerState>;
  /** Seconds after receipt before a partial is settled (reference: 300). */
  delaySeconds: number;
  /** Seconds after confirmation during which a reorg can still revert a partial. */
  reorgWindowSeconds?: number;
  /** Unix seconds on the chain's clock. */
  now(): number;
  /** Real milliseconds between two looks at what is due. */
  intervalMs?: number;
}

/**
 * Settles partials after the confirmation delay: confirmed if their signage point still stands and the
 * farmer is still a member, reverted (with the reason) otherwise. The ledger is the queue: pending partials
 * are the submitted ones with no settlement yet, found again by reading the store on every start.
 */
export class PartialConfirmer {
  private readonly pending = new Map<string, Pending>();
  /** Confirmed partials still young enough for a reorg to take back (by proof hash). */
  private readonly confirmed = new Map<string, Pending & { confirmedAt: number }>();

  private caughtUp = deferred();

  constructor(private readonly options: PartialConfirmerOptions) {}

  /** Resolves once the running confirmer has read the ledger up to its head (pending and confirmed sets complete). */
  whenCaughtUp(): Promise<void> {
    return this.caughtUp.promise;
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /** Follows the store and settles what is due until the signal aborts. */
  async run(signal: AbortSignal): Promise<void> {
    this.caughtUp = deferred();
    const following = this.follow(signal);
    await runEvery(this.options.intervalMs ?? 1000, signal, () => this.settleDue());
    await following;
  }

  /** Applies one partial event to the pending set (exposed for the catch-up and for tests); others are ignored. */
  track(event: PoolEvent): void {
    if (event.type !== 'PartialSubmitted' && event.type !== 'PartialConfirmed' && event.type !== 'PartialReverted') return;
    const proofHash = event.data.proofHash;
    if (event.type === 'PartialSubmitted') {
      const { launcherId, signagePointHash, receivedAt } = event.data;
      this.pending.set(proofHash, { launcherId, signagePointHash, receivedAt });
      return;
    }
    const partial = this.pending.get(proofHash);
    this.pending.delete(proofHash);
    if (event.type === 'PartialConfirmed' && partial) this.confirmed.set(proofHash, { ...partial, confirmedAt: event.data.confirmedAt });
    if (event.type === 'PartialReverted') this.confirmed.delete(proofHash);
  }

  /**
   * After a reorg: every recently confirmed partial whose signage point the new chain no longer has is
   * reverted (reason "reorg", with the fork height). Nothing is deleted or edited; returns how many.
   */
  async revertAfterReorg(forkHeight: number): Promise<number> {
    const now = this.options.now();
    const window = this.options.reorgWindowSeconds ?? 3600;
    let reverted = 0;
    for (const [proofHash, partial] of this.confirmed) {
      if (partial.confirmedAt < now - window) {
        this.confirmed.delete(proofHash);
        continue;
      }
      const seen = await this.lookUp(partial);
      if (seen === null) {
        // The node no longer remembers this signage point (a real node keeps only recent ones), so it cannot
        // say whether a reorg took it back; "unknown" must not cost the farmer a confirmed partial.
        this.confirmed.delete(proofHash);
        continue;
      }
      if (!seen.reverted) continue;
      await this.options.commandBus.execute(new RevertPartialCommand(proofHash, 'reorg', Math.floor(now), forkHeight));
      this.confirmed.delete(proofHash);
      reverted++;
    }
    return reverted;
  }

  private follow(signal: AbortSignal): Promise<void> {
    const ledger = new LedgerFollower(this.options.store, poolEvents(...eventTypesOf('partial')));
    return ledger.follow(signal, (event) => this.track(event), () => this.caughtUp.resolve());
  }

  /** Settles every partial whose delay has passed; returns how many. */
  async settleDue(): Promise<number> {
    const now = this.options.now();
    const due = [...this.pending].filter(([, p]) => p.receivedAt + this.options.delaySeconds <= now);
    for (const [proofHash, partial] of due) {
      const reason = await this.revertReason(partial);
      await this.options.commandBus.execute(
        reason === undefined ? new ConfirmPartialCommand(proofHash, Math.floor(now)) : new RevertPartialCommand(proofHash, reason, Math.floor(now)),
      );
      this.pending.delete(proofHash);
      if (reason === undefined) this.confirmed.set(proofHash, { ...partial, confirmedAt: Math.floor(now) });
    }
    return due.length;
  }

  private async lookUp(partial: Pending): Promise<{ reverted: boolean } | null> {
    const chain = this.options.chain;
    return (
      (await chain.getRecentSignagePointOrEos({ spHash: partial.signagePointHash })) ??
      (await chain.getRecentSignagePointOrEos({ challengeHash: partial.signagePointHash }))
    );
  }

  /** At settlement the signage point must still be known and on the chain (the reference pool's rule). */
  private async signagePointStands(partial: Pending): Promise<boolean> {
    const seen = await this.lookUp(partial);
    return seen !== null && !seen.reverted;
  }

  private async revertReason(partial: Pending): Promise<PartialRevertReason | undefined> {
    if (!(await this.signagePointStands(partial))) return 'signage_point_reverted';
    const farmer = await this.options.farmerState(partial.launcherId);
    if (farmer.status !== 'registered' || !farmer.isMember) return 'left_pool';
    return undefined;
  }
}

function deferred(): { promise: Promise<void>; resolve(): void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
