import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { BOOKS_CLOSINGS_STREAM, type BooksClosed } from '@pool/domain';
import { openEventStore } from '@pool/event-store';
import { StreamCommandRunner, type EventStore, type GlobalPosition } from '@pool/event-sourcing';
import { runPoolctl as poolctl, syntheticLedger } from '@pool/testing';
import { BooksCloser } from './books-closer';

/** The synthetic ledger appended batch by batch, the closer running after each batch as its loop would. */
async function writeAndClose(store: EventStore, closer: BooksCloser): Promise<void> {
  let last: GlobalPosition | undefined;
  for (const batch of syntheticLedger({ farmers: 30, payouts: 16, partialsPerPayout: 80, seed: 5 })) {
    last = (await store.append(batch.stream, batch.events(last).map((e) => ({ id: randomUUID(), ...e })), { expectedRevision: 'any' })).position;
    await closer.catchUp();
  }
}

describe('the books closer (SQLite store) and poolctl audit over its closings', () => {
  let dir: string;
  let url: string;
  let closings: BooksClosed['data'][];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pool-closings-'));
    url = `sqlite:${join(dir, 'events.db')}`;
    const store = await openEventStore(url);
    try {
      await writeAndClose(store, new BooksCloser({ store, runner: new StreamCommandRunner(store), now: () => 1_700_000_000, pageSize: 100 }));
      // A restarted closer, and a second one, start from the newest closing and close nothing twice.
      expect(await new BooksCloser({ store, runner: new StreamCommandRunner(store), now: () => 1 }).catchUp()).toBe(0);
      closings = (await store.readStream(BOOKS_CLOSINGS_STREAM)).map((e) => e.data as BooksClosed['data']);
    } finally {
      await store.close();
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('closes the books once after each settled payout, each closing after the one before', () => {
    expect(closings.length).toBeGreaterThan(5);
    expect(closings.map((c) => c.sequence)).toEqual(closings.map((_, i) => i + 1));
    expect(closings.slice(1).every((c, i) => c.previousPosition === closings[i]!.closedPosition)).toBe(true);
  });

  it('the full audit verifies every closing; --from-closing latest audits the period after it alone', async () => {
    const full = await poolctl(['audit', '--store', url]);
    expect(full.exitCode).toBe(0);
    expect(full.lines).toContain(`books closings: ${closings.length} of ${closings.length} equal the books recomputed where they close; the last closes at position ${closings.at(-1)!.closedPosition}`);
    const latest = await poolctl(['audit', '--store', url, '--from-closing', 'latest']);
    expect(latest.exitCode).toBe(0);
    expect(latest.lines[0]).toMatch(new RegExp(`^audit from books closing ${closings.length} `));
    // A closing after a PPLNS plan (payouts 8-14 here) keeps the partials the next windows reach.
    const from = closings.find((c) => c.payoutId === 'payout-00000010')!;
    const period = await poolctl(['audit', '--store', url, '--from-closing', String(from.sequence)]);
    expect(period.exitCode).toBe(0);
    const after = full.lines.filter((l) => l.startsWith('payout ') && l.split(' ')[4]! > from.closedPosition);
    expect(after.length).toBeGreaterThan(3);
    expect(period.lines.filter((l) => l.startsWith('payout '))).toEqual(after);
    await expect(poolctl(['audit', '--store', url, '--from-closing', '999'])).rejects.toThrow(/no books closing 999/);
  });
});
