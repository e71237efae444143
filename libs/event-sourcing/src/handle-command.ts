import { fold, type Decider, type DomainEvent } from './decider';
import { randomUUID } from 'node:crypto';
import { StreamNotFoundError, WrongExpectedRevisionError } from './errors';
import { deterministicEventId } from './event-id';
import type { EventStore, ExpectedRevision } from './port';

interface Snapshot<State> {
  state: State;
  /** Revision of the last event folded into `state`; undefined while the stream does not exist. */
  revision: bigint | undefined;
}

export interface RunResult<Event, State> {
  events: Event[];
  state: State;
}

/**
 * Runs a command against one stream: catch the cached state up with the stream, decide, append at the
 * expected revision, and on a concurrent append reload and decide again (bounded).
 *
 * Event ids derive from the stream, the revision and the command's idempotency key. A caller that retries
 * one command (a loop after a timeout) passes the same key, and an append that already landed answers
 * with its original result instead of recording the fact twice. Without a key every call is a new
 * command: two different requests racing for one stream never pass for retries of each other, so the
 * loser re-decides on the winner's state (and, for a partial, is told it is a duplicate).
 */
export class StreamCommandRunner {
  private readonly cache = new Map<string, Snapshot<unknown>>();
  /** When each cached snapshot was last known to be the stream's whole history (ms on `options.now`'s clock). */
  private readonly checkedAt = new Map<string, number>();

  constructor(
    private readonly store: EventStore,
    private readonly options: { maxAttempts?: number; cacheSize?: number; now?: () => number } = {},
  ) {}

  private now(): number {
    return this.options.now ? this.options.now() : performance.now();
  }

  async run<Command, Event extends DomainEvent, State>(
    stream: string,
    decider: Decider<Command, Event, State>,
    command: Command | ((state: State) => Command),
    {
      cache = true,
      idempotencyKey = randomUUID(),
      expectNew = false,
    }: {
      cache?: boolean;
      idempotencyKey?: string;
      /**
       * The stream almost never exists yet (a partial's): decide on the initial state and append with
       * "no stream" without reading first; if it does exist the append conflicts and the next attempt reads.
       */
      expectNew?: boolean;
    } = {},
  ): Promise<RunResult<Event, State>> {
    const attempts = this.options.maxAttempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      const snapshot: Snapshot<State> =
        expectNew && attempt === 1 ? { state: decider.initialState(), revision: undefined } : await this.load(stream, decider, cache);
      const concrete = typeof command === 'function' ? (command as (state: State) => Command)(snapshot.state) : command;
      const events = decider.decide(concrete, snapshot.state);
      if (events.length === 0) return { events, state: snapshot.state };
      const expected: ExpectedRevision = snapshot.revision ?? 'no_stream';
      const first = snapshot.revision === undefined ? 0n : snapshot.revision + 1n;
      try {
        const result = await this.store.append(
          stream,
          events.map((event, i) => ({
            id: deterministicEventId(stream, (first + BigInt(i)).toString(), idempotencyKey),
            type: event.type,
            ...(decider.schemaVersion ? { schemaVersion: decider.schemaVersion(event) } : {}),
            data: event.data,
          })),
          { expectedRevision: expected },
        );
        const state = events.reduce((s, e) => decider.evolve(s, e), snapshot.state);
        if (cache) this.remember(stream, { state, revision: result.nextExpectedRevision });
        return { events, state };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= attempts) throw error;
        this.cache.delete(stream); // someone else appended: start from the store again
      }
    }
  }

  /**
   * The stream's state as this runner last knew it whole (read to its end, or appended to by this runner) no more
   * than `maxAgeMs` ago, without reading the store; otherwise `load`. For hot paths that may judge by a state a
   * moment old, as long as they look again (`load`) before refusing because of it: changes made through this runner
   * are in it at once, other processes' within `maxAgeMs`.
   */
  async loadRecent<Command, Event extends DomainEvent, State>(stream: string, decider: Decider<Command, Event, State>, maxAgeMs: number): Promise<Snapshot<State>> {
    const cached = this.cache.get(stream) as Snapshot<State> | undefined;
    if (cached !== undefined && this.now() - (this.checkedAt.get(stream) ?? -Infinity) <= maxAgeMs) return cached;
    return this.load(stream, decider);
  }

  /** The state of a stream, read through the cache. */
  async load<Command, Event extends DomainEvent, State>(
    stream: string,
    decider: Decider<Command, Event, State>,
    cache = true,
  ): Promise<Snapshot<State>> {
    const cached = cache ? (this.cache.get(stream) as Snapshot<State> | undefined) : undefined;
    const base: Snapshot<State> = cached ?? { state: decider.initialState(), revision: undefined };
    try {
      const readAt = this.now();
      const recorded = await this.store.readStream(stream, { fromRevision: base.revision === undefined ? 0n : base.revision + 1n });
      if (recorded.length === 0) {
        if (cached !== undefined && this.cache.get(stream) === cached) this.checkedAt.set(stream, readAt);
        return base;
      }
      const state = fold(
        { evolve: decider.evolve, initialState: () => base.state },
        recorded.map((e) => ({ type: e.type, data: e.data }) as Event),
      );
      const snapshot = { state, revision: recorded[recorded.length - 1]!.revision };
      if (cache) this.remember(stream, snapshot, readAt);
      return snapshot;
    } catch (error) {
      if (error instanceof StreamNotFoundError) return base;
      throw error;
    }
  }

  /** `checkedAt`: when the snapshot was known to be the whole stream (before the read that found it began). */
  private remember(stream: string, snapshot: Snapshot<unknown>, checkedAt = this.now()): void {
    this.cache.delete(stream);
    this.cache.set(stream, snapshot);
    this.checkedAt.set(stream, checkedAt);
    const limit = this.options.cacheSize ?? 50_000;
    if (this.cache.size > limit) {
      const oldest = this.cache.keys().next().value as string;
      this.cache.delete(oldest);
      this.checkedAt.delete(oldest);
    }
  }
}
