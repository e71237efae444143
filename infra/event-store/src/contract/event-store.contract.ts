import { randomUUID } from 'node:crypto';
import { InvalidEventError, StreamNotFoundError, WrongExpectedRevisionError } from '@pool/event-sourcing';
import { comparePositions, type EventStore, type GlobalPosition, type NewEvent, type RecordedEvent } from '@pool/event-sourcing';

/**
 * One contract for every EventStore adapter. Each test works in its own stream prefix so the suite can
 * run against a database that other runs (or other tests) have written to.
 */
export interface ContractSetup {
  /** A store for the test; may be shared by all tests of the suite. */
  store: () => EventStore;
  /** A separate store instance (its own connection) for the concurrent-writers test. */
  openWriter: () => Promise<EventStore>;
  /** Events the concurrency test appends in total (at least 5,000 in CI). */
  concurrentEvents?: number;
}

const event = (type = 'Tested', data: unknown = { n: 1 }): NewEvent => ({ id: randomUUID(), type, data });
const events = (count: number, type = 'Tested'): NewEvent[] =>
  Array.from({ length: count }, (_, i) => event(type, { i }));
const prefix = (): string => `t${randomUUID().slice(0, 8)}-`;

async function readEverythingAfter(store: EventStore, after: GlobalPosition | undefined, streamPrefix: string): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  for (;;) {
    const page = await store.readAll({ after, maxCount: 500, filter: { streamPrefixes: [streamPrefix] } });
    all.push(...page);
    if (page.length < 500) return all;
    after = page[page.length - 1]!.position;
  }
}

/**
 * Waits until a reader of the global order can see the append that ended at `position`. A store may show a commit
 * late (PostgreSQL: once every older transaction in the cluster has ended, and other suites' transactions count).
 */
export async function untilVisible(store: EventStore, position: GlobalPosition): Promise<void> {
  for (const deadline = Date.now() + 30_000; ; ) {
    const head = await store.headPosition();
    if (head !== undefined && comparePositions(head, position) >= 0) return;
    if (Date.now() > deadline) throw new Error(`the append at ${position} is still not visible after 30 s (head ${head ?? 'none'})`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function runEventStoreContract(adapter: string, setup: ContractSetup): void {
  describe(`EventStore contract: ${adapter}`, () => {
    const store = (): EventStore => setup.store();

    describe('append and read a stream', () => {
      it('creates a stream with no_stream and returns the last revision and its position', async () => {
        const stream = `${prefix()}a`;
        const written = events(3);
        const result = await store().append(stream, written, { expectedRevision: 'no_stream' });
        expect(result.nextExpectedRevision).toBe(2n);
        const read = await store().readStream(stream);
        expect(read.map((e) => e.id)).toEqual(written.map((e) => e.id));
        expect(read.map((e) => e.revision)).toEqual([0n, 1n, 2n]);
        expect(read[2]!.position).toBe(result.position);
        expect(read[0]).toMatchObject({ type: 'Tested', schemaVersion: 1, data: { i: 0 }, metadata: {}, stream });
        expect(read[0]!.recordedAt).toBeInstanceOf(Date);
      });

      it('keeps schemaVersion, metadata and nested data exactly', async () => {
        const stream = `${prefix()}a`;
        const data = { amount: '18446744073709551615', nested: { list: [1, 'two', null, true] }, text: 'ünïcödé' };
        await store().append(stream, [{ id: randomUUID(), type: 'Versioned', schemaVersion: 3, data, metadata: { causationId: 'c1' } }], {
          expectedRevision: 'no_stream',
        });
        const [read] = await store().readStream(stream);
        expect(read).toMatchObject({ type: 'Versioned', schemaVersion: 3, data, metadata: { causationId: 'c1' } });
      });

      it('keeps strings that look like hex or decimals, odd keys and numbers exactly, whatever the store makes of them', async () => {
        const stream = `${prefix()}a`;
        const data = JSON.parse(
          '{"hex":"00ff","upper":"00FF","odd":"abc","decimal":"0","padded":"007","long":"1234567890123456","negative":"-1","empty":"",' +
            '"__proto__":{"x":1},"ünï":[-7,0.5,1e300,-0,9007199254740991],"launcherId":null,"10":"ten","1":true}',
        ) as Record<string, unknown>;
        await store().append(stream, [{ id: randomUUID(), type: 'Tested', data, metadata: { hex: 'ab'.repeat(32) } }], { expectedRevision: 'no_stream' });
        const [read] = await store().readStream(stream);
        expect(JSON.stringify(read!.data)).toBe(JSON.stringify(data));
        expect(Object.getPrototypeOf(read!.data)).toBe(Object.prototype);
        expect(read!.metadata).toEqual({ hex: 'ab'.repeat(32) });
      });

      it('keeps a stream named by a 64-digit hex id as named: read, refused twice, retried, filtered by any prefix', async () => {
        const p = prefix();
        const id = randomUUID().replaceAll('-', '').repeat(2);
        const stream = `${p}partial-${id}`;
        const written = [event('PartialSubmitted')];
        const created = await store().append(stream, written, { expectedRevision: 'no_stream' });
        expect((await store().readStream(stream)).map((e) => [e.stream, e.id])).toEqual([[stream, written[0]!.id]]);
        await expect(store().append(stream, [event('PartialSubmitted')], { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(
          WrongExpectedRevisionError,
        );
        expect(await store().append(stream, written, { expectedRevision: 'no_stream' })).toEqual(created);
        await expect(store().readStream(`${p}partial-${id.slice(0, 63)}${id.endsWith('0') ? '1' : '0'}`)).rejects.toBeInstanceOf(StreamNotFoundError);
        await untilVisible(store(), created.position);
        for (const streamPrefix of [p, `${p}partial-`, `${p}partial-${id.slice(0, 3)}`, stream]) {
          const found = await store().readAll({ filter: { streamPrefixes: [streamPrefix] } });
          expect(found.map((e) => e.stream)).toEqual([stream]);
        }
        expect(await store().readAll({ filter: { streamPrefixes: [`${p}partial-${id.slice(0, 3)}x`] } })).toEqual([]);
      });

      it('reads backwards, from a revision, and at most maxCount', async () => {
        const stream = `${prefix()}a`;
        await store().append(stream, events(5), { expectedRevision: 'no_stream' });
        expect((await store().readStream(stream, { fromRevision: 2n })).map((e) => e.revision)).toEqual([2n, 3n, 4n]);
        expect((await store().readStream(stream, { maxCount: 2 })).map((e) => e.revision)).toEqual([0n, 1n]);
        expect((await store().readStream(stream, { direction: 'backwards', maxCount: 2 })).map((e) => e.revision)).toEqual([4n, 3n]);
        expect((await store().readStream(stream, { direction: 'backwards', fromRevision: 1n })).map((e) => e.revision)).toEqual([1n, 0n]);
      });

      it('throws StreamNotFoundError for a stream that has no events', async () => {
        await expect(store().readStream(`${prefix()}missing`)).rejects.toBeInstanceOf(StreamNotFoundError);
      });
    });

    describe('optimistic concurrency', () => {
      it('appends at the exact revision and rejects a stale one, reporting the actual revision', async () => {
        const stream = `${prefix()}c`;
        await store().append(stream, events(2), { expectedRevision: 'no_stream' });
        const next = await store().append(stream, events(1), { expectedRevision: 1n });
        expect(next.nextExpectedRevision).toBe(2n);
        const stale = store().append(stream, events(1), { expectedRevision: 1n });
        await expect(stale).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        await expect(stale).rejects.toMatchObject({ stream, expected: 1n, actual: 2n });
        expect(await store().readStream(stream)).toHaveLength(3);
      });

      it('rejects no_stream on an existing stream and stream_exists on a missing one', async () => {
        const stream = `${prefix()}c`;
        await store().append(stream, events(1), { expectedRevision: 'no_stream' });
        await expect(store().append(stream, events(1), { expectedRevision: 'no_stream' })).rejects.toMatchObject({ actual: 0n });
        const missing = `${prefix()}c`;
        await expect(store().append(missing, events(1), { expectedRevision: 'stream_exists' })).rejects.toMatchObject({
          actual: 'no_stream',
        });
        await expect(store().append(missing, events(1), { expectedRevision: 0n })).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        await expect(store().readStream(missing)).rejects.toBeInstanceOf(StreamNotFoundError);
      });

      it('accepts any and stream_exists where they hold', async () => {
        const stream = `${prefix()}c`;
        expect((await store().append(stream, events(2), { expectedRevision: 'any' })).nextExpectedRevision).toBe(1n);
        expect((await store().append(stream, events(1), { expectedRevision: 'any' })).nextExpectedRevision).toBe(2n);
        expect((await store().append(stream, events(1), { expectedRevision: 'stream_exists' })).nextExpectedRevision).toBe(3n);
      });

      it('lets exactly one of many concurrent no_stream appends create a stream', async () => {
        const stream = `${prefix()}unique`;
        const writers = await Promise.all(Array.from({ length: 4 }, () => setup.openWriter()));
        try {
          const attempts = await Promise.allSettled(
            Array.from({ length: 12 }, (_, i) => writers[i % writers.length]!.append(stream, events(2), { expectedRevision: 'no_stream' })),
          );
          const won = attempts.filter((a) => a.status === 'fulfilled');
          const lost = attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
          expect(won).toHaveLength(1);
          expect(lost.every((a) => a.reason instanceof WrongExpectedRevisionError)).toBe(true);
          expect(await store().readStream(stream)).toHaveLength(2);
        } finally {
          await Promise.all(writers.map((w) => w.close()));
        }
      });

      it('creates many one-event streams at once: each once, a retry answered as the first, a rival refused', async () => {
        const p = prefix();
        const writer = await setup.openWriter();
        try {
          const created = Array.from({ length: 40 }, (_, i) => ({ stream: `${p}c${i}`, event: event('Created', { i }) }));
          // In the same turn: every creation; the same append again for 5 of them; a rival event for 5 others, from
          // this store and from another connection; and one event id sent to a second, new stream.
          const reused = event('Reused');
          const attempts = await Promise.allSettled([
            ...created.map(({ stream, event: e }) => store().append(stream, [e], { expectedRevision: 'no_stream' })),
            ...created.slice(0, 5).map(({ stream, event: e }) => store().append(stream, [e], { expectedRevision: 'no_stream' })),
            ...created.slice(5, 10).map(({ stream }, i) => (i % 2 === 0 ? store() : writer).append(stream, [event('Rival')], { expectedRevision: 'no_stream' })),
            store().append(`${p}reused-a`, [reused], { expectedRevision: 'no_stream' }),
            store().append(`${p}reused-b`, [reused], { expectedRevision: 'no_stream' }),
          ]);
          const [firsts, retries, rivals, reuses] = [attempts.slice(0, 40), attempts.slice(40, 45), attempts.slice(45, 50), attempts.slice(50)];

          for (const [i, { stream, event: e }] of created.entries()) {
            const read = await store().readStream(stream);
            expect(read).toHaveLength(1);
            expect(read[0]!.revision).toBe(0n);
            // A creation that lost to its rival was refused; one that won is answered with its event's position.
            const first = firsts[i]!;
            if (first.status === 'fulfilled') {
              expect(read[0]!.id).toBe(e.id);
              expect(first.value).toEqual({ nextExpectedRevision: 0n, position: read[0]!.position });
            } else {
              expect(i >= 5 && i < 10).toBe(true);
              expect(first.reason).toBeInstanceOf(WrongExpectedRevisionError);
              expect(read[0]!.type).toBe('Rival');
            }
          }
          retries.forEach((retry, i) => expect(retry).toEqual(firsts[i]));
          rivals.forEach((rival, i) => expect(rival.status === 'fulfilled').toBe(firsts[5 + i]!.status === 'rejected'));
          expect(rivals.filter((r) => r.status === 'rejected').every((r) => (r as PromiseRejectedResult).reason instanceof WrongExpectedRevisionError)).toBe(true);
          expect(reuses.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
          const reusedStreams = await Promise.allSettled([store().readStream(`${p}reused-a`), store().readStream(`${p}reused-b`)]);
          expect(reusedStreams.filter((r) => r.status === 'fulfilled')).toHaveLength(1);

          // Afterwards, one by one: the same append is answered as before; another event is refused.
          expect(await store().append(created[20]!.stream, [created[20]!.event], { expectedRevision: 'no_stream' })).toEqual((firsts[20] as PromiseFulfilledResult<unknown>).value);
          await expect(store().append(created[20]!.stream, [event()], { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(WrongExpectedRevisionError);
          const newest = attempts.flatMap((a) => (a.status === 'fulfilled' ? [a.value.position] : [])).sort(comparePositions).at(-1)!;
          await untilVisible(store(), newest);
          expect(await readEverythingAfter(store(), undefined, p)).toHaveLength(41);
        } finally {
          await writer.close();
        }
      });

      it('lands every one of many concurrent appends that name no revision, one after another', async () => {
        const stream = `${prefix()}log`;
        await store().append(stream, events(1), { expectedRevision: 'no_stream' });
        const writers = await Promise.all(Array.from({ length: 4 }, () => setup.openWriter()));
        try {
          const appended = Array.from({ length: 24 }, (_, i) => events(i % 3 === 0 ? 2 : 1));
          const results = await Promise.all(
            appended.map((batch, i) => writers[i % writers.length]!.append(stream, batch, { expectedRevision: i % 2 === 0 ? 'any' : 'stream_exists' })),
          );
          const read = await store().readStream(stream);
          expect(read.map((e) => e.revision)).toEqual(Array.from({ length: read.length }, (_, i) => BigInt(i)));
          expect(read.map((e) => e.id).sort()).toEqual([read[0]!.id, ...appended.flat().map((e) => e.id)].sort());
          // Each append's events are consecutive, ending at the revision it was answered with.
          appended.forEach((batch, i) => {
            const last = Number(results[i]!.nextExpectedRevision);
            expect(read.slice(last - batch.length + 1, last + 1).map((e) => e.id)).toEqual(batch.map((e) => e.id));
          });
        } finally {
          await Promise.all(writers.map((w) => w.close()));
        }
      });
    });

    describe('idempotent retries', () => {
      it('returns the original result for the same ids at the same expected revision and writes nothing', async () => {
        const stream = `${prefix()}i`;
        const first = events(2);
        const created = await store().append(stream, first, { expectedRevision: 'no_stream' });
        const second = events(3);
        const appended = await store().append(stream, second, { expectedRevision: 1n });
        await untilVisible(store(), appended.position);
        const head = await store().headPosition();

        expect(await store().append(stream, first, { expectedRevision: 'no_stream' })).toEqual(created);
        expect(await store().append(stream, second, { expectedRevision: 1n })).toEqual(appended);
        expect(await store().readStream(stream)).toHaveLength(5);
        expect(await store().headPosition()).toBe(head);
      });

      it('rejects a retry whose ids only partly match, or that names another place', async () => {
        const stream = `${prefix()}i`;
        const first = events(2);
        await store().append(stream, first, { expectedRevision: 'no_stream' });
        await expect(store().append(stream, [first[0]!, event()], { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(
          WrongExpectedRevisionError,
        );
        await expect(store().append(stream, first, { expectedRevision: 5n })).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        await expect(store().append(`${prefix()}other`, first, { expectedRevision: 'any' })).rejects.toBeInstanceOf(
          WrongExpectedRevisionError,
        );
        expect(await store().readStream(stream)).toHaveLength(2);
      });

      it('refuses events it cannot store faithfully and writes nothing', async () => {
        const stream = `${prefix()}bad`;
        await expect(store().append(stream, [{ id: 'not-a-uuid', type: 'X', data: {} }], { expectedRevision: 'any' })).rejects.toBeInstanceOf(
          InvalidEventError,
        );
        await expect(store().append(stream, [event('X', { mojos: 1n })], { expectedRevision: 'any' })).rejects.toBeInstanceOf(
          InvalidEventError,
        );
        const same = event();
        await expect(store().append(stream, [same, same], { expectedRevision: 'any' })).rejects.toBeInstanceOf(InvalidEventError);
        await expect(store().append(stream, [], { expectedRevision: 'any' })).rejects.toBeInstanceOf(InvalidEventError);
        await expect(store().readStream(stream)).rejects.toBeInstanceOf(StreamNotFoundError);
      });
    });

    describe('the global order', () => {
      it('orders events across streams by commit, reads after a position exclusively, and pages', async () => {
        const p = prefix();
        const start = await store().headPosition();
        await store().append(`${p}x`, events(2), { expectedRevision: 'no_stream' });
        await store().append(`${p}y`, events(3), { expectedRevision: 'no_stream' });
        await untilVisible(store(), (await store().append(`${p}x`, events(1), { expectedRevision: 1n })).position);
        const all = await readEverythingAfter(store(), start, p);
        expect(all.map((e) => `${e.stream.slice(p.length)}${e.revision}`)).toEqual(['x0', 'x1', 'y0', 'y1', 'y2', 'x2']);
        for (let i = 1; i < all.length; i++) expect(comparePositions(all[i - 1]!.position, all[i]!.position)).toBe(-1);
        const afterSecond = await store().readAll({ after: all[1]!.position, maxCount: 2, filter: { streamPrefixes: [p] } });
        expect(afterSecond.map((e) => e.id)).toEqual([all[2]!.id, all[3]!.id]);
        expect(comparePositions(all[0]!.position, all[0]!.position)).toBe(0);
      });

      it('reads the newest events, oldest first, as many as asked or as there are', async () => {
        const p = prefix();
        await store().append(`${p}x`, events(2), { expectedRevision: 'no_stream' });
        await untilVisible(store(), (await store().append(`${p}y`, events(3), { expectedRevision: 'no_stream' })).position);
        const newest = await store().readNewest(4);
        expect(newest.map((e) => `${e.stream.slice(p.length)}${e.revision}`)).toEqual(['x1', 'y0', 'y1', 'y2']);
        expect(newest[3]!.position).toBe(await store().headPosition());
        expect(newest[0]).toMatchObject({ type: 'Tested', data: { i: 1 } });
        expect(await store().readNewest(0)).toEqual([]);
      });

      it('filters by stream prefix and by event type', async () => {
        const p = prefix();
        const start = await store().headPosition();
        await store().append(`${p}farmer-1`, [event('FarmerRegistered'), event('DifficultyChanged')], { expectedRevision: 'no_stream' });
        await store().append(`${p}partial-1`, [event('PartialSubmitted')], { expectedRevision: 'no_stream' });
        await untilVisible(store(), (await store().append(`${p}partial-2`, [event('PartialSubmitted'), event('PartialConfirmed')], { expectedRevision: 'no_stream' })).position);
        const partials = await store().readAll({ after: start, filter: { streamPrefixes: [`${p}partial-`] } });
        expect(partials.map((e) => e.type)).toEqual(['PartialSubmitted', 'PartialSubmitted', 'PartialConfirmed']);
        const typed = await store().readAll({
          after: start,
          filter: { streamPrefixes: [p], types: ['DifficultyChanged', 'PartialConfirmed'] },
        });
        expect(typed.map((e) => e.type)).toEqual(['DifficultyChanged', 'PartialConfirmed']);
        const head = await store().headPosition();
        expect(head).toBeDefined();
        expect(comparePositions(head!, partials[2]!.position)).toBeGreaterThanOrEqual(0);
      });

      it('finds sparse matches far apart, page by page', async () => {
        const p = prefix();
        const start = await store().headPosition();
        const wanted = [event('Rare'), event('Rare'), event('Rare')];
        await store().append(`${p}noise-1`, events(700, 'Common'), { expectedRevision: 'no_stream' });
        await store().append(`${p}rare`, [wanted[0]!, wanted[1]!], { expectedRevision: 'no_stream' });
        await store().append(`${p}noise-2`, events(1300, 'Common'), { expectedRevision: 'no_stream' });
        await untilVisible(store(), (await store().append(`${p}rare`, [wanted[2]!], { expectedRevision: 1n })).position);
        const filter = { streamPrefixes: [p], types: ['Rare'] };
        const first = await store().readAll({ after: start, maxCount: 2, filter });
        expect(first.map((e) => e.id)).toEqual([wanted[0]!.id, wanted[1]!.id]);
        const rest = await store().readAll({ after: first[1]!.position, maxCount: 2, filter });
        expect(rest.map((e) => e.id)).toEqual([wanted[2]!.id]);
        expect(await store().readAll({ after: rest[0]!.position, filter })).toEqual([]);
      });
    });

    describe('subscriptions', () => {
      it('catches up, says so, then delivers live events until aborted', async () => {
        const p = prefix();
        const start = await store().headPosition();
        const history = events(3);
        await store().append(`${p}s`, history, { expectedRevision: 'no_stream' });
        const controller = new AbortController();
        const seen: string[] = [];
        let caughtUpAfter = -1;
        const live = events(2);
        const consumer = (async () => {
          for await (const message of store().subscribeToAll({ after: start, filter: { streamPrefixes: [p] }, signal: controller.signal })) {
            if (message.kind === 'caughtUp') {
              caughtUpAfter = seen.length;
              await store().append(`${p}s`, live, { expectedRevision: 2n });
              continue;
            }
            seen.push(...message.events.map((e) => e.id));
            if (seen.length === 5) controller.abort();
          }
        })();
        await consumer;
        expect(caughtUpAfter).toBe(3);
        expect(seen).toEqual([...history, ...live].map((e) => e.id));
      });

      it(
        'delivers every event of many concurrent writers exactly once, in position order',
        async () => {
          const p = prefix();
          const total = setup.concurrentEvents ?? 5000;
          const writerCount = 8;
          const start = await store().headPosition();
          const writers = await Promise.all(Array.from({ length: writerCount }, () => setup.openWriter()));
          const committed = new Set<string>();
          const controller = new AbortController();
          const received: RecordedEvent[] = [];
          let writing = true;
          let resolveDrained!: () => void;
          const drained = new Promise<void>((resolve) => (resolveDrained = resolve));

          const subscriber = (async () => {
            for await (const message of store().subscribeToAll({
              after: start,
              filter: { streamPrefixes: [p] },
              signal: controller.signal,
              batchSize: 250,
            })) {
              if (message.kind === 'events') received.push(...message.events);
              if (!writing && received.length >= committed.size) resolveDrained();
            }
          })();

          const perWriter = Math.ceil(total / writerCount);
          await Promise.all(
            writers.map(async (writer, w) => {
              let written = 0;
              let round = 0;
              while (written < perWriter) {
                // Batch sizes 1..17 and a few streams per writer, so appends interleave in every way.
                const batch = events(Math.min(1 + ((round * 7 + w) % 17), perWriter - written));
                const stream = `${p}w${w}-${round % 3}`;
                await writer.append(stream, batch, { expectedRevision: 'any' });
                batch.forEach((e) => committed.add(e.id));
                written += batch.length;
                round++;
              }
            }),
          );
          writing = false;
          if (received.length >= committed.size) resolveDrained();
          let timer: NodeJS.Timeout | undefined;
          await Promise.race([drained, new Promise((resolve) => (timer = setTimeout(resolve, 60_000)))]);
          clearTimeout(timer);
          controller.abort();
          await subscriber;
          await Promise.all(writers.map((w) => w.close()));

          expect(committed.size).toBeGreaterThanOrEqual(total);
          const ids = received.map((e) => e.id);
          expect(new Set(ids).size).toBe(ids.length);
          expect(ids.length).toBe(committed.size);
          expect(ids.every((id) => committed.has(id))).toBe(true);
          for (let i = 1; i < received.length; i++) {
            expect(comparePositions(received[i - 1]!.position, received[i]!.position)).toBe(-1);
          }
        },
        180_000,
      );
    });
  });
}
