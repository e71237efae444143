import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { LEDGER_SEALS_STREAM, type LedgerSealed } from '@pool/domain';
import { StreamCommandRunner, type EventStore, type GlobalPosition } from '@pool/event-sourcing';
import { openEventStore } from '@pool/event-store';
import { runPoolctl as poolctl, syntheticLauncherId, syntheticLedger } from '@pool/testing';
import { LedgerSealer } from '@pool/worker';

/** An auditable ledger (6 payouts), sealed by the worker's sealer as the pool would seal it. */
async function writeSealedLedger(store: EventStore): Promise<void> {
  let last: GlobalPosition | undefined;
  for (const batch of syntheticLedger({ farmers: 12, payouts: 6, partialsPerPayout: 60, seed: 4 })) {
    const events = batch.events(last).map((e) => ({ id: randomUUID(), ...e }));
    last = (await store.append(batch.stream, events, { expectedRevision: 'any' })).position;
  }
  await new LedgerSealer({ store, runner: new StreamCommandRunner(store), schedule: { everyEvents: 250, everySeconds: 600 }, now: () => 1_800_000_000 }).catchUp();
}

const eventLines = (file: string): string[] => {
  const bytes = readFileSync(file);
  return (bytes[0] === 0x1f ? gunzipSync(bytes) : bytes).toString('utf8').split('\n').filter((line) => line !== '');
};

describe('poolctl ledger export and audit --export (SQLite store)', () => {
  let dir: string;
  let url: string;
  let seals: LedgerSealed['data'][];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pool-export-'));
    url = `sqlite:${join(dir, 'events.db')}`;
    const store = await openEventStore(url);
    try {
      await writeSealedLedger(store);
      seals = (await store.readStream(LEDGER_SEALS_STREAM)).map((e) => e.data as LedgerSealed['data']);
    } finally {
      await store.close();
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exports the whole ledger (gzip by default), and the export audits like the store, every seal verified', async () => {
    const file = join(dir, 'ledger.ndjson.gz');
    const exported = await poolctl(['ledger', 'export', '--store', url, '--to', file]);
    expect(exported.lines[0]).toMatch(new RegExp(`^exported \\d+ events through position \\d+ to ${file}$`));
    expect(readFileSync(file).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    const lines = eventLines(file);
    expect(JSON.parse(lines[0]!)).toEqual({ encoding: 1, format: 'chia-pool-ledger export' });
    expect(lines.filter((line) => line.includes('"type":"LedgerSealed"'))).toHaveLength(seals.length);

    const fromStore = await poolctl(['audit', '--store', url]);
    const fromExport = await poolctl(['audit', '--export', file]);
    expect(fromExport.exitCode).toBe(0);
    const payouts = (out: { lines: string[] }): string[] => out.lines.filter((l) => l.startsWith('payout ') || l.startsWith('books:') || l.startsWith('seals:'));
    expect(payouts(fromExport)).toEqual(payouts(fromStore));
    expect(fromExport.lines.find((l) => l.startsWith('seals:'))).toMatch(new RegExp(`^seals: ${seals.length} of ${seals.length} verified; `));
    expect(fromExport.lines[fromExport.lines.length - 1]).toMatch(/^audit passed: \d+ ledger events, 6 payouts, 0 mismatches, 0 problems/);
  });

  it("gives a farmer's statement from the export, line for line the store's", async () => {
    const file = join(dir, 'plain.ndjson');
    await poolctl(['ledger', 'export', '--store', url, '--to', file, '--plain']);
    expect(readFileSync(file, 'utf8').startsWith('{"encoding":1,')).toBe(true);
    const farmer = syntheticLauncherId(3);
    const fromExport = await poolctl(['audit', '--farmer', farmer, '--export', file]);
    const fromStore = await poolctl(['audit', '--farmer', farmer, '--store', url]);
    expect(fromExport.lines.length).toBeGreaterThan(3);
    expect(fromExport.lines).toEqual(fromStore.lines);
  });

  it('stops at --until: the export ends at that position', async () => {
    const file = join(dir, 'until.ndjson');
    const until = seals[1]!.coveredPosition;
    await poolctl(['ledger', 'export', '--store', url, '--to', file, '--plain', '--until', until.replace(/^0+/, '')]);
    const lines = eventLines(file);
    expect((JSON.parse(lines[lines.length - 1]!) as { position: string }).position).toBe(until);
  });

  it('fails the offline audit of a copied export with one mojo changed, naming the event', async () => {
    const file = join(dir, 'honest.ndjson.gz');
    await poolctl(['ledger', 'export', '--store', url, '--to', file]);
    const lines = eventLines(file);
    // One mojo more for one farmer in the first payout plan's allocations (a sealed event: every plan is).
    const index = lines.findIndex((line) => line.includes('"type":"PayoutPlanned"'));
    const plan = JSON.parse(lines[index]!) as { position: string; stream: string; id: string; data: { allocations: { amount: string }[] } };
    plan.data.allocations[0]!.amount = String(BigInt(plan.data.allocations[0]!.amount) + 1n);
    lines[index] = JSON.stringify(plan);
    const copy = join(dir, 'edited.ndjson');
    writeFileSync(copy, `${lines.join('\n')}\n`);

    const { lines: out, exitCode } = await poolctl(['audit', '--export', copy]);
    expect(exitCode).toBe(1);
    const named = out.filter((l) => l.startsWith(`problem at position ${plan.position}: seal `));
    expect(named).toHaveLength(1);
    expect(named[0]).toContain(`at position ${plan.position} (PayoutPlanned in ${plan.stream}, id ${plan.id}), no longer matches what the seal recorded`);
    expect(out[out.length - 1]).toMatch(/^audit FAILED: /);
  });
});
