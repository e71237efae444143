/**
 * The EventStore port: the one interface the write side, the projector and the auditor use.
 * Adapters (in-memory, SQLite, PostgreSQL, EventStoreDB) pass the same contract suite.
 */

import type { DomainEvent } from './decider';

/** What the writer believes about the stream before appending (EventStoreDB's vocabulary). */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

/**
 * A position in the global order. Opaque to callers but comparable: every adapter encodes it as a
 * fixed-width string, so comparePositions (plain string order) agrees with the store's order.
 */
export type GlobalPosition = string & { readonly __brand: 'GlobalPosition' };

export type JsonObject = { [key: string]: unknown };

export interface NewEvent<Type extends string = string, Data = unknown> {
  /** UUID. Derive it from what makes the fact unique (see deterministicEventId) so retries are idempotent. */
  id: string;
  type: Type;
  schemaVersion?: number;
  data: Data;
  metadata?: JsonObject;
}

export interface RecordedEvent<Type extends string = string, Data = unknown> {
  id: string;
  type: Type;
  schemaVersion: number;
  data: Data;
  metadata: JsonObject;
  stream: string;
  /** 0-based revision of the event inside its stream. */
  revision: bigint;
  position: GlobalPosition;
  recordedAt: Date;
}

/**
 * A recorded event typed as one member of a reader's event union: `type` and `data` narrow together, so a switch
 * over `type` needs no cast. Readers get it from a typed filter (the LedgerFollower, a projection's `handles`).
 */
export type RecordedEventOf<Event extends DomainEvent> = Event extends DomainEvent ? Omit<RecordedEvent, 'type' | 'data'> & Event : never;

export interface AppendResult {
  /** Revision of the last event now in the stream: the expected revision for the next append. */
  nextExpectedRevision: bigint;
  /** Global position of the last event appended. */
  position: GlobalPosition;
}

export interface EventFilter {
  /** Keep events whose stream name starts with one of these. */
  streamPrefixes?: readonly string[];
  /** Keep events of these types. */
  types?: readonly string[];
}

export interface ReadStreamOptions {
  fromRevision?: bigint;
  maxCount?: number;
  direction?: 'forwards' | 'backwards';
}

export interface ReadAllOptions {
  /** Exclusive: events strictly after this position. Omitted: from the start. */
  after?: GlobalPosition;
  maxCount?: number;
  filter?: EventFilter;
}

export interface SubscribeOptions {
  after?: GlobalPosition;
  filter?: EventFilter;
  signal: AbortSignal;
  /** Upper bound on the events handed over at once. */
  batchSize?: number;
}

export type SubscriptionMessage =
  | { kind: 'events'; events: RecordedEvent[] }
  /** Everything committed when the subscription started has been delivered; live from here on. */
  | { kind: 'caughtUp'; position: GlobalPosition | undefined };

export interface EventStore {
  /** Short adapter name for logs and benchmarks. */
  readonly name: string;
  append(stream: string, events: readonly NewEvent[], options: { expectedRevision: ExpectedRevision }): Promise<AppendResult>;
  /** Throws StreamNotFoundError when the stream has no events. */
  readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /**
   * One page of the global order; page through by passing the last position as `after`. It holds what a reader
   * can see, which may lag a commit: PostgreSQL shows one once every transaction older than it has ended.
   */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Catch-up subscription: history first, then `caughtUp`, then live events, until the signal aborts. */
  subscribeToAll(options: SubscribeOptions): AsyncIterable<SubscriptionMessage>;
  /** Position of the newest event a reader can see, or undefined for an empty store. */
  headPosition(): Promise<GlobalPosition | undefined>;
  /** The newest events a reader can see, at most `maxCount` (fewer in a smaller store), oldest first. */
  readNewest(maxCount: number): Promise<RecordedEvent[]>;
  close(): Promise<void>;
}

export function comparePositions(a: GlobalPosition, b: GlobalPosition): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Is `position` after `checkpoint` (an undefined checkpoint is before everything)? */
export function isAfter(position: GlobalPosition, checkpoint: GlobalPosition | undefined): boolean {
  return checkpoint === undefined || position > checkpoint;
}

export function describeExpected(expected: ExpectedRevision): string {
  return typeof expected === 'bigint' ? `revision ${expected}` : expected;
}
