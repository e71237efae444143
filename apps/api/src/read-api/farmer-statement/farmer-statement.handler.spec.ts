import { randomUUID } from 'node:crypto';
import { NotFoundException } from '@nestjs/common';
import { farmerStatement, farmerStream, partialStream, type AuditEvent } from '@pool/domain';
import { syntheticLauncherId, syntheticLedger } from '@pool/testing';
import { InMemoryEventStore } from '@pool/event-store';
import type { LedgerEvent } from '@pool/testing';
import { confirmedEvent as confirmed, FARMER_A, FARMER_B, registeredEvent as registered, revertedEvent as reverted, submitted } from '@pool/testing';
import { FarmerStatementHandler, MAX_QUEUED_STATEMENT_REPLAYS, STATEMENT_EVENT_TYPES, StatementReplaysBusyException } from './farmer-statement.handler';
import { FarmerStatementQuery } from './farmer-statement.query';

describe('FarmerStatementHandler', () => {
  let store: InMemoryEventStore;
  let handler: FarmerStatementHandler;
  const statement = (launcherId: string) => handler.execute(new FarmerStatementQuery(launcherId));
  let reads: jest.SpyInstance;

  const append = (stream: string, event: LedgerEvent) => store.append(stream, [{ id: randomUUID(), type: event.type, data: event.data }], { expectedRevision: 'any' });

  beforeEach(async () => {
    store = new InMemoryEventStore();
    handler = new FarmerStatementHandler(store);
    await append(farmerStream(FARMER_A), registered(FARMER_A, 100));
    await append(farmerStream(FARMER_B), registered(FARMER_B, 100));
    for (const [i, farmer] of [FARMER_A, FARMER_B, FARMER_A].entries()) {
      await append(partialStream(`p${i}`), submitted(farmer, `p${i}`, 2, 200 + i));
      await append(partialStream(`p${i}`), confirmed(farmer, `p${i}`, 2, 300 + i));
    }
    reads = jest.spyOn(store, 'readAll');
  });
  afterEach(() => store.close());

  it('answers what farmerStatement gives over the whole store, totals as decimal strings', async () => {
    const answer = await statement(FARMER_A);
    const direct = await farmerStatement(await store.readAll(), FARMER_A);
    expect(answer.lines).toEqual(direct.lines);
    expect(answer.lines.map((l) => l.kind)).toEqual(['credit', 'credit']);
    expect(answer.totals).toMatchObject({ creditedPoints: '4', paid: '0' });
  });

  it('serves a statement again until an event it depends on is appended, and shares one replay between concurrent requests', async () => {
    const [first, second] = await Promise.all([statement(FARMER_A), statement(FARMER_A)]);
    expect(second).toBe(first);
    const replayReads = reads.mock.calls.length;
    expect(replayReads).toBeGreaterThan(0);

    // A submission is not something the statement depends on: still the same answer, after one small check.
    await append(partialStream('p9'), submitted(FARMER_A, 'p9', 5, 400));
    reads.mockClear();
    expect(await statement(FARMER_A)).toBe(first);
    expect(reads.mock.calls).toEqual([[expect.objectContaining({ maxCount: 1 })]]);

    await append(partialStream('p0'), reverted(FARMER_A, 'p0', 2, 500, true));
    const after = await statement(FARMER_A);
    expect(after.lines.map((l) => l.kind)).toEqual(['credit', 'credit', 'reversal']);
    expect(after.asOfPosition).not.toBe(first.asOfPosition);
  });

  it('404s a launcher the ledger has never seen, without replaying it, and answers an empty statement for a registered one', async () => {
    await expect(statement('cd'.repeat(32))).rejects.toThrow(NotFoundException);
    expect(reads).not.toHaveBeenCalled();
    const quiet = 'ee'.repeat(32);
    await append(farmerStream(quiet), registered(quiet, 100));
    expect((await statement(quiet)).lines).toEqual([]);
  });

  it(`queues at most ${MAX_QUEUED_STATEMENT_REPLAYS} farmers' replays and refuses the next with a Retry-After, until the queue drains`, async () => {
    const farmers = Array.from({ length: MAX_QUEUED_STATEMENT_REPLAYS + 1 }, (_, i) => syntheticLauncherId(100 + i));
    for (const f of farmers) await append(farmerStream(f), registered(f, 100));
    // Hold every ledger read: the first replay stays running, the others wait behind it.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const readAll = InMemoryEventStore.prototype.readAll;
    reads.mockImplementation(async (...args: Parameters<typeof store.readAll>) => (await held, readAll.apply(store, args)));

    const queued = farmers.slice(0, -1).map((f) => statement(f));
    const refused = statement(farmers.at(-1)!);
    await expect(refused).rejects.toThrow(StatementReplaysBusyException);
    await expect(refused).rejects.toMatchObject({ retryAfterSeconds: expect.any(Number), status: 503 });
    // A farmer already queued is not refused: it shares the replay it waits for.
    const again = statement(farmers[3]!);

    release();
    const answers = await Promise.all([...queued, again]);
    expect(answers.map((a) => a.launcherId)).toEqual([...farmers.slice(0, -1), farmers[3]]);
    expect(answers[3]).toBe(answers.at(-1));
    expect((await statement(farmers.at(-1)!)).launcherId).toBe(farmers.at(-1));
  });
});

describe('STATEMENT_EVENT_TYPES', () => {
  it('loses nothing: over a generated ledger with every kind of payout event, the filtered statements equal the unfiltered ones', async () => {
    const events: AuditEvent[] = [];
    for (const batch of syntheticLedger({ farmers: 10, payouts: 8, partialsPerPayout: 60, seed: 5 })) {
      const last = events.length === 0 ? undefined : events[events.length - 1]!.position;
      for (const event of batch.events(last)) events.push({ ...event, position: String(events.length + 1).padStart(20, '0') });
    }
    const types = new Set(events.map((e) => e.type));
    expect(types.size).toBeGreaterThan(STATEMENT_EVENT_TYPES.length / 2);
    const kept = events.filter((e) => (STATEMENT_EVENT_TYPES as readonly string[]).includes(e.type));
    expect(kept.length).toBeLessThan(events.length);
    for (let f = 0; f < 10; f++) {
      const id = syntheticLauncherId(f);
      expect(await farmerStatement(kept, id)).toEqual(await farmerStatement(events, id));
    }
  });
});
