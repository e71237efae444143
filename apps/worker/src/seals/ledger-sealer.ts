import {
  CHAIN_START,
  LedgerChain,
  LEDGER_SEALS_STREAM,
  ledgerSealDecider,
  sealAfterEvent,
  sealAfterTime,
  type LedgerSealed,
  type SealReason,
  type SealSchedule,
} from '@pool/domain';
import { LedgerFollower, StreamNotFoundError, type EventStore, type GlobalPosition, type RecordedEvent, type StreamCommandRunner } from '@pool/event-sourcing';

export interface LedgerSealerOptions {
  store: EventStore;
  /** Appends the seals (stream `ledger-seals`, through the seal decider). */
  runner: StreamCommandRunner;
  schedule: SealSchedule;
  /** Unix seconds (the pool's clock): when a seal is made, and how long since the last one. */
  now(): number;
  /** Events read per page. */
  pageSize?: number;
}

/** Where the sealer's chain stands after the newest seal in the store. */
interface SealedPoint {
  coveredPosition: string | null;
  sealedAt: number | undefined;
}

/**
 * Follows the whole ledger in global order and records LedgerSealed events (libs/domain/src/ledger-seals): after
 * every PayoutPlanned, after `everyEvents` events, and after `everySeconds` once something new was recorded. It
 * never holds up an append: it reads what is committed and seals behind it.
 *
 * Its checkpoint is the newest seal itself (covered position, event count, hash): a restarted sealer, or the next
 * holder of the pool-loops lease, reads it back and goes on from there, re-reading at most one segment. Anything that
 * goes wrong (a seal refused because another sealer moved on, a store error) drops the in-memory chain, and the next
 * round starts again from the newest seal.
 */
export class LedgerSealer {
  private chain: LedgerChain | undefined;
  private follower: LedgerFollower<RecordedEvent> | undefined;
  private sealed: SealedPoint = { coveredPosition: null, sealedAt: undefined };
  /** Events other than seals read since the last seal (a seal of seals alone is not worth making). */
  private newEvents = 0;
  /** The round in progress: its loop and the payout saga (which waits for the seal through a plan) share one chain. */
  private round: Promise<number> | undefined;

  constructor(private readonly options: LedgerSealerOptions) {}

  /** Covered position of the newest seal this sealer knows (null: none yet). */
  get lastSealedPosition(): string | null {
    return this.sealed.coveredPosition;
  }

  /**
   * Reads everything committed since the last round, sealing where the schedule says; returns how many seals it
   * recorded. A call while a round runs waits for it and then runs its own, so it sees what was committed before it.
   */
  async catchUp(): Promise<number> {
    const previous = this.round?.catch(() => 0) ?? Promise.resolve(0);
    const round = previous.then(() => this.catchUpOnce());
    this.round = round;
    try {
      return await round;
    } finally {
      if (this.round === round) this.round = undefined;
    }
  }

  private async catchUpOnce(): Promise<number> {
    try {
      if (this.chain === undefined || this.follower === undefined) await this.resume();
      const chain = this.chain!;
      let seals = 0;
      for await (const page of this.follower!.pages()) {
        for (const recorded of page) {
          chain.append(recorded);
          if (recorded.type !== 'LedgerSealed') this.newEvents++;
          const reason = sealAfterEvent(recorded.type, chain.segmentLength, this.options.schedule);
          if (reason !== null) seals += await this.seal(reason, reason === 'interval' ? null : payoutIdOf(recorded));
        }
      }
      const now = this.options.now();
      this.sealed.sealedAt ??= now;
      const reason = sealAfterTime(now - this.sealed.sealedAt, this.newEvents, this.options.schedule);
      if (reason !== null) seals += await this.seal(reason, null);
      return seals;
    } catch (error) {
      this.chain = undefined;
      this.follower = undefined;
      throw error;
    }
  }

  /** Starts the chain at the newest seal in the store (or at the ledger's first event). */
  private async resume(): Promise<void> {
    const last = await this.newestSeal();
    this.chain = new LedgerChain(last === undefined ? CHAIN_START : { position: last.coveredPosition, eventCount: last.eventCount, hash: last.hash });
    this.sealed = { coveredPosition: last?.coveredPosition ?? null, sealedAt: last?.sealedAt };
    this.newEvents = 0;
    this.follower = new LedgerFollower<RecordedEvent>(this.options.store, {
      decode: (recorded) => recorded,
      pageSize: this.options.pageSize ?? 5000,
      ...(last === undefined ? {} : { after: last.coveredPosition as GlobalPosition }),
    });
  }

  private async newestSeal(): Promise<LedgerSealed['data'] | undefined> {
    try {
      const [last] = await this.options.store.readStream(LEDGER_SEALS_STREAM, { direction: 'backwards', maxCount: 1 });
      return last === undefined ? undefined : (last.data as LedgerSealed['data']);
    } catch (error) {
      if (error instanceof StreamNotFoundError) return undefined;
      throw error;
    }
  }

  /** Seals the chain where it stands; 1 when a seal was recorded, 0 when this point was sealed already (a retry). */
  private async seal(reason: SealReason, payoutId: string | null): Promise<number> {
    const chain = this.chain!;
    const point = chain.point;
    if (point.position === undefined) return 0;
    const { events, state } = await this.options.runner.run(
      LEDGER_SEALS_STREAM,
      ledgerSealDecider,
      {
        type: 'SealLedger',
        previousPosition: this.sealed.coveredPosition,
        coveredPosition: point.position,
        eventCount: point.eventCount,
        hash: point.hash,
        eventDigests: chain.segmentDigests(),
        reason,
        payoutId,
        now: this.options.now(),
      },
      // Keyed by what it covers: a retry of this seal is the same event, whoever appends it.
      { idempotencyKey: `seal:${point.position}` },
    );
    const newest = events[0]?.data ?? state.last;
    if (newest?.coveredPosition !== point.position || newest.hash !== point.hash) {
      throw new Error(`the newest seal covers ${newest?.coveredPosition ?? 'nothing'}, not ${point.position}: starting again from it`);
    }
    chain.mark();
    this.sealed = { coveredPosition: point.position, sealedAt: newest.sealedAt };
    this.newEvents = 0;
    return events.length;
  }
}

function payoutIdOf(recorded: RecordedEvent): string | null {
  const payoutId = (recorded.data as { payoutId?: unknown } | null)?.payoutId;
  return typeof payoutId === 'string' ? payoutId : null;
}
