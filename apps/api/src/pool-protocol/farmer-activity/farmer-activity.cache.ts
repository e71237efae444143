import { type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import {
  applyToFarmerActivity,
  createFarmerActivity,
  currentPointsOf,
  FARMER_ACTIVITY_EVENT_TYPES,
  recentPartialsOf,
  recordAcceptedPartial,
  type FarmerActivity,
  type FarmerActivityEvent,
  poolEvents,
  type RecentPartialEntry,
} from '@pool/domain';
import { LedgerFollower, type EventStore } from '@pool/event-sourcing';

/**
 * The write side's view of every farmer's partials (recent accepted partials for the difficulty policy,
 * confirmed points of the current payout window for GET /farmer), folded from the event store itself: no
 * read model is involved, so it holds the same facts the payout will be computed from.
 *
 * It reads the store's global order after its last position, one caller at a time. This instance's own
 * partials are recorded at once (the policy must see them before the next partial of the same farmer); other
 * instances' arrive with the next read, at most `refreshMs` later. GET responses call `fresh()` and so see
 * every event committed before the request.
 *
 * Cost: one pass over the ledger's partial and payout events at start; memory per farmer is its recent
 * window plus one entry per confirmation since the last payout. The app starts it on bootstrap (it serves once
 * the history is read, so its first difficulty decisions are sound) and stops it on shutdown.
 */
export class FarmerActivityCache implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly activity: FarmerActivity;
  private readonly ledger: LedgerFollower<FarmerActivityEvent>;
  private reading: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private started: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private readOnce = false;

  constructor(
    store: EventStore,
    recentLimit: number,
    private readonly refreshMs = 1000,
  ) {
    this.activity = createFarmerActivity(recentLimit);
    this.ledger = new LedgerFollower(store, poolEvents(...FARMER_ACTIVITY_EVENT_TYPES));
  }

  onApplicationBootstrap(): Promise<void> {
    return this.start();
  }

  onApplicationShutdown(): void {
    this.stop();
  }

  /** Reads the whole history, then keeps up in the background until `stop()`. */
  start(): Promise<void> {
    this.started ??= this.fresh().then(() => {
      this.timer = setInterval(() => void this.fresh().catch(() => undefined), this.refreshMs);
      this.timer.unref();
    });
    return this.started;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** True once the history has been read: before that the policy must not judge from a partial window. */
  get ready(): boolean {
    return this.readOnce;
  }

  /** Applies everything committed before the call; callers arriving during a read share the next one. */
  fresh(): Promise<void> {
    if (!this.reading) {
      this.reading = this.readNew().finally(() => (this.reading = undefined));
      return this.reading;
    }
    this.queued ??= this.reading
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.fresh();
      });
    return this.queued;
  }

  private async readNew(): Promise<void> {
    await this.ledger.catchUp((event, recorded) => applyToFarmerActivity(this.activity, event, recorded.position));
    this.readOnce = true;
  }

  /** This instance's own accepted partial, before the store read brings it back. */
  recordAccepted(launcherId: string, partial: RecentPartialEntry): void {
    recordAcceptedPartial(this.activity, launcherId, partial);
  }

  /** Newest first; `excluding` leaves out the partial being judged (the policy looks at the ones before it). */
  recent(launcherId: string, excluding?: string): RecentPartialEntry[] {
    const recent = recentPartialsOf(this.activity, launcherId);
    return excluding === undefined ? [...recent] : recent.filter((p) => p.proofHash !== excluding);
  }

  currentPoints(launcherId: string): bigint {
    return currentPointsOf(this.activity, launcherId);
  }
}
