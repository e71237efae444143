import type { Readable } from 'node:stream';
import type { AllStreamResolvedEvent } from '@eventstore/db-client';
import { matchesFilter } from '../append-rules';
import type { EventFilter, GlobalPosition, RecordedEvent, SubscriptionMessage } from '@pool/event-sourcing';
import { DEFAULT_BATCH_SIZE } from '../subscription';
import { encodePosition, isSystemEvent, toRecordedEvent } from './eventstoredb-mapping';

/** What deliverCatchUp needs of the client's AllStreamSubscription (a Node Transform in object mode). */
export type CatchUpSource = Readable & { unsubscribe(): Promise<void> };

export interface CatchUpOptions {
  after?: GlobalPosition;
  filter?: EventFilter;
  signal: AbortSignal;
  batchSize?: number;
  /** Newest non-system event when the subscription started (undefined: empty store). */
  head: GlobalPosition | undefined;
}

/**
 * Pushed into the subscription's own buffer when the client emits `caughtUp`. The client emits it
 * inside its transform step, after every earlier event was pushed and before any later one, so the
 * marker comes out of the iterator exactly where the server put it.
 */
const CAUGHT_UP_MARK = Object.freeze({ caughtUpMark: true });

/**
 * Turns a catch-up subscription into the port's messages. Backpressure: the source is consumed with
 * `for await`, so the client stops reading from the server while the caller is busy with a batch.
 * Batches hold what is already buffered, up to batchSize. caughtUp is said once, at the first of:
 * the server says so (EventStoreDB 23.10+), or an event at or after `head` has gone by (older servers).
 */
export async function* deliverCatchUp(source: CatchUpSource, options: CatchUpOptions): AsyncGenerator<SubscriptionMessage> {
  const { signal, filter, head } = options;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  let lastSeen = options.after;
  let caughtUp = false;
  let batch: RecordedEvent[] = [];
  const reachedHead = (): boolean => head === undefined || (lastSeen !== undefined && lastSeen >= head);

  source.on('caughtUp', () => {
    if (!source.destroyed) source.push(CAUGHT_UP_MARK);
  });
  const stop = (): void => void source.destroy();
  signal.addEventListener('abort', stop, { once: true });
  try {
    if (signal.aborted) return;
    if (reachedHead()) {
      caughtUp = true;
      yield { kind: 'caughtUp', position: lastSeen };
    }
    for await (const item of source as AsyncIterable<AllStreamResolvedEvent | typeof CAUGHT_UP_MARK>) {
      if (signal.aborted) return;
      const serverCaughtUp = item === CAUGHT_UP_MARK;
      const event = serverCaughtUp ? undefined : (item as AllStreamResolvedEvent).event;
      if (event) {
        const position = encodePosition(event.position);
        // Start positions are exclusive, but a repeated event must never be delivered twice.
        if (lastSeen === undefined || position > lastSeen) {
          lastSeen = position;
          if (!isSystemEvent(event) && matchesFilter(event.streamId, event.type, filter)) batch.push(toRecordedEvent(event));
        }
      }
      const becameCaughtUp = !caughtUp && (serverCaughtUp || reachedHead());
      if (batch.length >= batchSize || (batch.length > 0 && (becameCaughtUp || source.readableLength === 0))) {
        const events = batch;
        batch = [];
        yield { kind: 'events', events };
        if (signal.aborted) return;
      }
      if (becameCaughtUp) {
        caughtUp = true;
        yield { kind: 'caughtUp', position: lastSeen };
      }
    }
    if (!signal.aborted) throw new Error('the EventStoreDB subscription ended although it was not aborted');
  } catch (error) {
    // Destroying the source on abort ends the iteration with a premature-close error: not a failure.
    if (!signal.aborted) throw error;
  } finally {
    signal.removeEventListener('abort', stop);
    source.destroy();
    await source.unsubscribe().catch(() => undefined);
  }
}
