import { checkExpectedRevision, encodeSequence, matchesFilter, resolveRetry, serializeEvents } from '../append-rules';
import { StreamNotFoundError } from '@pool/event-sourcing';
import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  GlobalPosition,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  SubscriptionMessage,
} from '@pool/event-sourcing';
import { AppendSignal, pollAll } from '../subscription';

/** For unit tests only: the same semantics as the durable adapters, kept in arrays. */
export class InMemoryEventStore implements EventStore {
  readonly name = 'in-memory';
  private readonly log: RecordedEvent[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();
  private readonly byId = new Map<string, RecordedEvent>();
  private readonly appendSignal = new AppendSignal();

  async append(stream: string, events: readonly NewEvent[], options: { expectedRevision: ExpectedRevision }): Promise<AppendResult> {
    const serialized = serializeEvents(stream, events);
    const existing = this.streams.get(stream);
    const current = existing ? BigInt(existing.length - 1) : undefined;
    const clashing = serialized.map((e) => this.byId.get(e.id)).filter((e): e is RecordedEvent => e !== undefined);
    if (clashing.length > 0) {
      return resolveRetry(stream, options.expectedRevision, serialized.map((e) => e.id), clashing, current);
    }
    checkExpectedRevision(stream, options.expectedRevision, current);
    const target = existing ?? [];
    const recordedAt = new Date();
    for (const e of serialized) {
      const recorded: RecordedEvent = {
        id: e.id,
        type: e.type,
        schemaVersion: e.schemaVersion,
        // Round-trip through JSON so readers never share objects with writers, as with a real store.
        data: JSON.parse(e.data),
        metadata: JSON.parse(e.metadata),
        stream,
        revision: BigInt(target.length),
        position: encodeSequence(this.log.length + 1) as GlobalPosition,
        recordedAt,
      };
      target.push(recorded);
      this.log.push(recorded);
      this.byId.set(e.id, recorded);
    }
    this.streams.set(stream, target);
    this.appendSignal.notify();
    const last = target[target.length - 1]!;
    return { nextExpectedRevision: last.revision, position: last.position };
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const events = this.streams.get(stream);
    if (!events) throw new StreamNotFoundError(stream);
    const backwards = options.direction === 'backwards';
    const ordered = backwards ? [...events].reverse() : events;
    const from = options.fromRevision;
    const selected = ordered.filter((e) => from === undefined || (backwards ? e.revision <= from : e.revision >= from));
    return selected.slice(0, options.maxCount ?? selected.length);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const start = options.after === undefined ? 0 : Number(options.after);
    const max = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    const page: RecordedEvent[] = [];
    for (let i = start; i < this.log.length && page.length < max; i++) {
      const event = this.log[i]!;
      if (matchesFilter(event.stream, event.type, options.filter)) page.push(event);
    }
    return page;
  }

  subscribeToAll(options: SubscribeOptions): AsyncIterable<SubscriptionMessage> {
    return pollAll((o) => this.readAll(o), { ...options, appendSignal: this.appendSignal });
  }

  async headPosition(): Promise<GlobalPosition | undefined> {
    return this.log[this.log.length - 1]?.position;
  }

  async readNewest(maxCount: number): Promise<RecordedEvent[]> {
    return maxCount > 0 ? this.log.slice(-maxCount) : [];
  }

  async close(): Promise<void> {
    this.appendSignal.notify();
  }
}
