import {
  applyToFarmerActivity,
  createFarmerActivity,
  currentPointsOf,
  FARMER_ACTIVITY_EVENT_TYPES,
  recentPartialsOf,
  recordAcceptedPartial,
  type FarmerActivity,
  type FarmerActivityEvent,
  type RecentPartialEntry,
} from '@pool/domain';
import { type EventStore, type GlobalPosition } from '@pool/event-sourcing';

const PAGE = 1000;

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
 * window plus one entry per confirmation since the last payout.
 */
export class FarmerActivityCache {
  private readonly activity: FarmerActivity;
  private position: GlobalPosition | undefined;
  private reading: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private started: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private readOnce = false;

  constructor(
    private readonly store: EventStore,
    recentLimit: number,
    private readonly refreshMs = 1000,
  ) {
    this.activity = createFarmerActivity(recentLimit);
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
    for (;;) {
      const page = await this.store.readAll({ after: this.position, maxCount: PAGE, filter: { types: FARMER_ACTIVITY_EVENT_TYPES } });
      for (const event of page) applyToFarmerActivity(this.activity, { type: event.type, data: event.data } as FarmerActivityEvent, event.position);
      if (page.length > 0) this.position = page[page.length - 1]!.position;
      if (page.length < PAGE) break;
    }
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
