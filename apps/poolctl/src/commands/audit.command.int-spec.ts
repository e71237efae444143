import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { auditLedger, buildPayoutTransactions, payoutStream, planPayout, type PayoutPlanned } from '@pool/domain';
import { syntheticLauncherId, syntheticLedger, syntheticSchemes } from '@pool/testing';
import { openEventStore } from '@pool/event-store';
import { type EventStore, type GlobalPosition } from '@pool/event-sourcing';
import { readWholeStore } from './audit.command';
import { runPoolctl as poolctl } from '@pool/testing';

async function writeLedger(store: EventStore): Promise<GlobalPosition | undefined> {
  let last: GlobalPosition | undefined;
  for (const batch of syntheticLedger({ farmers: 30, payouts: 12, partialsPerPayout: 80, seed: 11 })) {
    const events = batch.events(last).map((e) => ({ id: randomUUID(), ...e }));
    last = (await store.append(batch.stream, events, { expectedRevision: 'any' })).position;
  }
  return last;
}


describe('poolctl audit (SQLite store)', () => {
  let dir: string;
  let url: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pool-audit-'));
    url = `sqlite:${join(dir, 'events.db')}`;
    const store = await openEventStore(url);
    try {
      await writeLedger(store);
    } finally {
      await store.close();
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints a match line per payout and a passing summary for an honest ledger', async () => {
    const { lines, exitCode } = await poolctl(['audit', '--store', url]);
    const payoutLines = lines.filter((l) => l.startsWith('payout '));
    expect(payoutLines).toHaveLength(12);
    for (const [i, line] of payoutLines.entries()) expect(line).toMatch(new RegExp(`^payout ${i + 1} at position \\d+: match$`));
    expect(lines.find((l) => l.startsWith('books:'))).toMatch(/: balanced$/);
    expect(lines[lines.length - 1]).toMatch(/^audit passed: \d+ ledger events, 12 payouts, 0 mismatches, 0 problems/);
    expect(exitCode).toBe(0);
  });

  it("prints a farmer's statement with --farmer", async () => {
    const { lines, exitCode } = await poolctl(['--event-store', url, 'audit', '--farmer', syntheticLauncherId(0)]);
    expect(lines[0]).toMatch(/^position\tevent\tkind/);
    expect(lines.some((l) => l.includes('\tcredit\t'))).toBe(true);
    expect(lines.some((l) => l.includes('\tpayment\t'))).toBe(true);
    expect(lines[lines.length - 1]).toMatch(new RegExp(`^farmer ${syntheticLauncherId(0)}: \\d+ lines; .* paid [1-9]\\d*`));
    expect(exitCode).toBe(0);
  });

  it('fails with exit code 1 and names the payout and field when a plan is off by one mojo', async () => {
    const store = await openEventStore(url);
    let tampered: PayoutPlanned['data'];
    try {
      // New points and a new reward, then the next plan computed honestly from the store and nudged by 1 mojo.
      const launcherId = syntheticLauncherId(3);
      await store.append(
        'partial-tamper',
        [
          { id: randomUUID(), type: 'PartialConfirmed', data: { launcherId, proofHash: 'f'.repeat(64), points: '50', confirmedAt: 1_800_000_000 } },
          {
            id: randomUUID(),
            type: 'RewardAbsorbed',
            data: { coinId: 'e'.repeat(64), launcherId, amount: '1750000000000', absorbTransactionId: 'd'.repeat(64), absorbedHeight: 9999, poolCoinId: 'c'.repeat(64), fee: '0', absorbedAt: 1_800_000_000 },
          },
        ],
        { expectedRevision: 'no_stream' },
      );
      const { ledger } = await auditLedger(readWholeStore(store));
      const scheme = syntheticSchemes()[0]!;
      const draft = planPayout(ledger, scheme, 1_800_000_100)!;
      const sequence = ledger.lastPayoutSequence + 1;
      draft.allocations[0]!.amount = (BigInt(draft.allocations[0]!.amount) + 1n).toString();
      tampered = {
        ...draft,
        payoutId: payoutStream(sequence),
        sequence,
        ledgerPosition: (await store.headPosition())!,
        plannedAt: 1_800_000_100,
        configVersion: 'tampered',
        transactions: buildPayoutTransactions(draft, [{ coinId: '1'.repeat(64), amount: 10n ** 15n }], 400),
      };
      await store.append(payoutStream(sequence), [{ id: randomUUID(), type: 'PayoutPlanned', data: tampered }], { expectedRevision: 'no_stream' });
    } finally {
      await store.close();
    }
    const { lines, exitCode } = await poolctl(['audit', '--store', url]);
    const honest = BigInt(tampered.allocations[0]!.amount) - 1n;
    expect(lines).toContainEqual(
      expect.stringMatching(new RegExp(`^payout ${tampered.sequence} at position \\d+: MISMATCH allocations\\[0\\]\\.amount expected ${honest} recorded ${honest + 1n}$`)),
    );
    expect(lines.filter((l) => l.includes('MISMATCH'))).toHaveLength(1);
    expect(lines[lines.length - 1]).toMatch(/^audit FAILED: .* 1 mismatches/);
    expect(exitCode).toBe(1);
  });
});
