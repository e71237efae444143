import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { coinId } from '@pool/chia';
import { payoutStream, type PayoutPlanned, type SignedPayoutTransaction } from '@pool/domain';
import { openEventStore } from '@pool/event-store';
import { type EventStore } from '@pool/event-sourcing';
import { planNextPayoutFixture, runPoolctl as poolctl, signPlanFixture, walletCoinFixture, writeSyntheticLedgerFixture } from '@pool/testing';


/** The next payout planned honestly from the store and signed as a wallet may sign it. */
async function planNext(store: EventStore): Promise<{ plan: PayoutPlanned['data']; signing: SignedPayoutTransaction[] }> {
  const coins = [walletCoinFixture(1, 10n ** 15n)];
  const plan = await planNextPayoutFixture(store, { rewardStream: 'reward-audit-signed', coins, configVersion: 'audit-signed-bundle' });
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
      await writeSyntheticLedgerFixture(store, { farmers: 12, payouts: 3, partialsPerPayout: 40, seed: 16 });
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
