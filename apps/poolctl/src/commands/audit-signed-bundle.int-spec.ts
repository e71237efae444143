import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { coinId } from '@pool/chia';
import { auditLedger, buildPayoutTransactions, payoutStream, planPayout, type PayoutPlanned, type SignedPayoutTransaction } from '@pool/domain';
import { openEventStore } from '@pool/event-store';
import { type EventStore, type GlobalPosition } from '@pool/event-sourcing';
import { appendAbsorbedRewardFixture, asWalletCoins, runPoolctl as poolctl, signPlanFixture, syntheticLedger, syntheticSchemes, walletCoinFixture } from '@pool/testing';
import { readWholeStore } from './audit.command';

async function writeLedger(store: EventStore): Promise<void> {
  let last: GlobalPosition | undefined;
  for (const batch of syntheticLedger({ farmers: 12, payouts: 3, partialsPerPayout: 40, seed: 16 })) {
    const events = batch.events(last).map((e) => ({ id: randomUUID(), ...e }));
    last = (await store.append(batch.stream, events, { expectedRevision: 'any' })).position;
  }
}

/** The next payout planned honestly from the store, on wallet coins whose ids hash (so its signing can be checked). */
async function planNext(store: EventStore): Promise<{ plan: PayoutPlanned['data']; signing: SignedPayoutTransaction[] }> {
  await appendAbsorbedRewardFixture(store, 'reward-audit-signed');
  const { ledger } = await auditLedger(readWholeStore(store));
  const draft = planPayout(ledger, syntheticSchemes()[0]!, 1_800_000_100)!;
  const sequence = ledger.lastPayoutSequence + 1;
  const coins = [walletCoinFixture(1, 10n ** 15n)];
  const plan: PayoutPlanned['data'] = {
    ...draft,
    payoutId: payoutStream(sequence),
    sequence,
    ledgerPosition: (await store.headPosition())!,
    plannedAt: 1_800_000_100,
    configVersion: 'audit-signed-bundle',
    transactions: buildPayoutTransactions(draft, asWalletCoins(coins), 400),
  };
  return { plan, signing: signPlanFixture(plan, coins) };
}

describe('poolctl audit and recorded spend bundles', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'pool-audit-signed-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function ledgerWith(name: string, tamper: (plan: PayoutPlanned['data'], signing: SignedPayoutTransaction[]) => void): Promise<{ url: string; plan: PayoutPlanned['data'] }> {
    const url = `sqlite:${join(dir, `${name}.db`)}`;
    const store = await openEventStore(url);
    try {
      await writeLedger(store);
      const { plan, signing } = await planNext(store);
      tamper(plan, signing);
      await store.append(
        payoutStream(plan.sequence),
        [
          { id: randomUUID(), type: 'PayoutPlanned', data: plan },
          { id: randomUUID(), type: 'PayoutSigned', data: { payoutId: plan.payoutId, transactions: signing, signedAt: 1_800_000_200 } },
        ],
        { expectedRevision: 'no_stream' },
      );
      return { url, plan };
    } finally {
      await store.close();
    }
  }

  it('passes a ledger whose recorded bundle pays exactly the plan', async () => {
    const { url } = await ledgerWith('honest', () => undefined);
    const { lines, exitCode } = await poolctl(['audit', '--store', url]);
    expect(lines[lines.length - 1]).toMatch(/^audit passed: .* 4 payouts, 0 mismatches, 0 problems/);
    expect(exitCode).toBe(0);
  });

  it('FAILS, naming the payout, when the recorded bundle pays a farmer another amount than planned', async () => {
    let moved: { puzzleHash: string; planned: string; paid: bigint } | undefined;
    const { url, plan } = await ledgerWith('tampered', (planned, signing) => {
      // The wallet paid the first farmer a mojo more and kept a mojo less as change: the bundle still balances, and
      // every coin id is recomputed, so only the amounts against the plan betray it.
      const payment = planned.transactions[0]!.payments[0]!;
      const created = signing[0]!.createdCoins;
      const paidCoin = created.find((c) => c.puzzleHash === payment.puzzleHash)!;
      const change = created[created.length - 1]!;
      const rebuild = (coin: typeof paidCoin, amount: bigint): void => {
        Object.assign(coin, { amount: amount.toString(), coinId: coinId({ parentCoinInfo: coin.parentCoinId, puzzleHash: coin.puzzleHash, amount }) });
      };
      rebuild(paidCoin, BigInt(paidCoin.amount) + 1n);
      rebuild(change, BigInt(change.amount) - 1n);
      moved = { puzzleHash: payment.puzzleHash, planned: payment.amount, paid: BigInt(payment.amount) + 1n };
    });
    const { lines, exitCode } = await poolctl(['audit', '--store', url]);
    expect(lines).toContainEqual(
      expect.stringMatching(new RegExp(`PayoutSigned for ${plan.payoutId}: signed transaction 0 pays ${moved!.paid} to ${moved!.puzzleHash}, the plan pays it ${moved!.planned}$`)),
    );
    expect(lines[lines.length - 1]).toMatch(/^audit FAILED: /);
    expect(exitCode).toBe(1);
  });
});
