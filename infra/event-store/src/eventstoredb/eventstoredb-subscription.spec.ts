import { randomUUID } from 'node:crypto';
import type { GlobalPosition, SubscriptionMessage } from '@pool/event-sourcing';
import { encodePosition } from './eventstoredb-mapping';
import { deliverCatchUp } from './eventstoredb-subscription';
import { caughtUpResponse, clientSubscription, eventResponse, type StoredOnServer } from '@pool/testing';

/**
 * deliverCatchUp runs here on the client's real subscription stream, fed with the responses a server
 * would send. Log positions are made up (commit = prepare = 100 * n); only their order matters.
 */
let nextOffset = 0n;
function onServer(stream: string, type = 'Tested', revision = 0n): StoredOnServer {
  nextOffset += 100n;
  return {
    stream,
    revision,
    commit: nextOffset,
    prepare: nextOffset,
    created: new Date(),
    event: { id: randomUUID(), contentType: 'application/json', type, data: { n: Number(nextOffset) }, metadata: undefined },
  };
}
const positionOf = (stored: StoredOnServer): GlobalPosition => encodePosition({ commit: stored.commit, prepare: stored.prepare });
const far = encodePosition({ commit: 10n ** 18n, prepare: 0n });

/** What the consumer sees, flattened: event ids in order, with 'caughtUp' where it was said. */
type Timeline = string[];

async function consume(
  messages: AsyncIterable<SubscriptionMessage>,
  until: (timeline: Timeline) => boolean,
  controller: AbortController,
  onMessage: (message: SubscriptionMessage) => void = () => undefined,
): Promise<Timeline> {
  const timeline: Timeline = [];
  for await (const message of messages) {
    onMessage(message);
    if (message.kind === 'caughtUp') timeline.push('caughtUp');
    else timeline.push(...message.events.map((e) => e.id));
    if (until(timeline)) controller.abort();
  }
  return timeline;
}

// A broken ordering shows up as a consumer waiting forever: fail fast instead.
jest.setTimeout(10_000);

describe('deliverCatchUp on the client subscription stream', () => {
  it("says caughtUp exactly where the server's caught-up message sits, even with events buffered behind it", async () => {
    const { subscription, server } = clientSubscription(2);
    const history = [onServer('a-1'), onServer('a-2'), onServer('a-1', 'Tested', 1n)];
    const live = [onServer('a-3'), onServer('a-3', 'Tested', 1n)];
    // Everything is queued before anyone reads, so backpressure holds part of it in the client's buffers.
    for (const stored of history) server.send(eventResponse(stored));
    server.send(caughtUpResponse());
    for (const stored of live) server.send(eventResponse(stored));

    const controller = new AbortController();
    const caughtUpPositions: (GlobalPosition | undefined)[] = [];
    const timeline = await consume(
      deliverCatchUp(subscription, { signal: controller.signal, head: far }),
      (t) => t.length === 6,
      controller,
      (m) => m.kind === 'caughtUp' && caughtUpPositions.push(m.position),
    );
    expect(timeline).toEqual([...history.map((s) => s.event.id), 'caughtUp', ...live.map((s) => s.event.id)]);
    expect(caughtUpPositions).toEqual([positionOf(history[2]!)]);
    expect(server.cancelled).toBe(true);
  });

  it('without a caught-up message (servers before 23.10) says caughtUp once the head read at the start has gone by', async () => {
    const { subscription, server } = clientSubscription(16);
    const events = [onServer('b'), onServer('b'), onServer('b'), onServer('b')];
    for (const stored of events) server.send(eventResponse(stored));
    const controller = new AbortController();
    const timeline = await consume(
      deliverCatchUp(subscription, { signal: controller.signal, head: positionOf(events[1]!) }),
      (t) => t.length === 5,
      controller,
    );
    expect(timeline).toEqual([events[0]!.event.id, events[1]!.event.id, 'caughtUp', events[2]!.event.id, events[3]!.event.id]);
  });

  it('says caughtUp before anything else when the store is empty or the start is already at the head', async () => {
    for (const setup of [{ head: undefined, after: undefined }, { head: encodePosition({ commit: 5n, prepare: 5n }), after: encodePosition({ commit: 5n, prepare: 5n }) }]) {
      const { subscription, server } = clientSubscription(4);
      const live = onServer('c');
      server.send(eventResponse(live));
      server.send(caughtUpResponse()); // a later caught-up message must not be repeated to the consumer
      const controller = new AbortController();
      const timeline = await consume(deliverCatchUp(subscription, { ...setup, signal: controller.signal }), (t) => t.length === 2, controller);
      expect(timeline).toEqual(['caughtUp', live.event.id]);
    }
  });

  it('applies the filter client-side, skips system events, and never delivers a position twice or backwards', async () => {
    const { subscription, server } = clientSubscription(8);
    const kept = onServer('p-farmer-1', 'PartialSubmitted');
    const wrongType = onServer('p-farmer-1', 'DifficultyChanged');
    const wrongStream = onServer('q-farmer-1', 'PartialSubmitted');
    const system = onServer('p-farmer-1', '$metadata');
    const keptToo = onServer('p-farmer-2', 'PartialSubmitted');
    for (const stored of [kept, wrongType, wrongStream, system, kept, keptToo]) server.send(eventResponse(stored));
    server.send(caughtUpResponse());
    const controller = new AbortController();
    const timeline = await consume(
      deliverCatchUp(subscription, {
        signal: controller.signal,
        head: far,
        filter: { streamPrefixes: ['p-'], types: ['PartialSubmitted'] },
      }),
      (t) => t.includes('caughtUp'),
      controller,
    );
    expect(timeline).toEqual([kept.event.id, keptToo.event.id, 'caughtUp']);
  });

  it('skips the event at the start position itself, and hands over at most batchSize events at once', async () => {
    const { subscription, server } = clientSubscription(64);
    const events = Array.from({ length: 11 }, () => onServer('d'));
    for (const stored of events) server.send(eventResponse(stored));
    server.send(caughtUpResponse());
    const controller = new AbortController();
    const sizes: number[] = [];
    const timeline = await consume(
      deliverCatchUp(subscription, { signal: controller.signal, head: far, batchSize: 3, after: positionOf(events[0]!) }),
      (t) => t.includes('caughtUp'),
      controller,
      (m) => m.kind === 'events' && sizes.push(m.events.length),
    );
    expect(timeline).toEqual([...events.slice(1).map((s) => s.event.id), 'caughtUp']);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(3);
  });

  it('ends quietly and cancels the server call when aborted while waiting for live events', async () => {
    const { subscription, server } = clientSubscription(4);
    server.send(caughtUpResponse());
    const controller = new AbortController();
    const messages: SubscriptionMessage['kind'][] = [];
    const consumer = (async () => {
      for await (const message of deliverCatchUp(subscription, { signal: controller.signal, head: far })) {
        messages.push(message.kind);
        if (message.kind === 'caughtUp') setImmediate(() => controller.abort());
      }
    })();
    await expect(consumer).resolves.toBeUndefined();
    expect(messages).toEqual(['caughtUp']);
    expect(server.cancelled).toBe(true);
  });

  it('fails loudly when the server ends the subscription without an abort', async () => {
    const { subscription, server } = clientSubscription(4);
    server.send(eventResponse(onServer('e')));
    server.end();
    const controller = new AbortController();
    await expect(consume(deliverCatchUp(subscription, { signal: controller.signal, head: far }), () => false, controller)).rejects.toThrow(
      /ended although it was not aborted/,
    );
  });
});
