import { NotFoundException } from '@nestjs/common';
import { inclusionProblems, payoutCommitment } from '@pool/domain';
import { InMemoryEventStore } from '@pool/event-store';
import { launcher, planFromDraftFixture, POOL_FEE_PH, puzzle, signedEventFixture, signPlanFixture, walletCoinFixture } from '@pool/testing';
import { FarmerPayoutProofHandler } from './farmer-payout-proof.handler';
import { FarmerPayoutProofQuery } from './farmer-payout-proof.query';

const coins = [walletCoinFixture(1, 10_000n), walletCoinFixture(2, 10_000n)];
const draft = {
  poolFee: { puzzleHash: POOL_FEE_PH, amount: '10' },
  blockchainFee: '4',
  // Farmers 3 and 4 share one payout address: one coin pays both.
  allocations: [1, 2, 3, 4, 5].map((n) => ({ launcherId: launcher(n), puzzleHash: puzzle(n === 4 ? 3 : n), points: String(n), amount: String(100 * n) })),
};
// Two transactions, so some farmers are paid by the second.
const plan = planFromDraftFixture(draft, coins, 3);
const commitment = payoutCommitment(plan, { sequence: 4, hash: '5e'.repeat(32) });

describe('GET /api/farmers/:launcherId/payouts/:payoutId/proof', () => {
  let store: InMemoryEventStore;
  const handler = (): FarmerPayoutProofHandler => new FarmerPayoutProofHandler(store);
  const ask = (n: number, payoutId = plan.payoutId) => handler().execute(new FarmerPayoutProofQuery(launcher(n), payoutId));

  beforeEach(async () => {
    store = new InMemoryEventStore();
    await store.append(plan.payoutId, [{ id: '00000000-0000-5000-8000-000000000001', type: 'PayoutPlanned', data: plan }], { expectedRevision: 'no_stream' });
  });
  afterEach(() => store.close());

  const sign = async (memo?: string): Promise<void> => {
    const signed = signedEventFixture(plan, signPlanFixture(plan, coins, memo === undefined ? {} : { memo }));
    await store.append(plan.payoutId, [{ id: '00000000-0000-5000-8000-000000000002', type: 'PayoutSigned', data: memo === undefined ? signed.data : { ...signed.data, commitment } }], { expectedRevision: 'any' });
  };

  it("gives each farmer a proof of its own line that leads to the committed root, with the coins paying it and carrying the memo", async () => {
    await sign(commitment.memo);
    for (const n of [1, 2, 3, 4, 5]) {
      const proof = await ask(n);
      expect(proof.allocation).toMatchObject({ launcherId: launcher(n), amount: String(100 * n), index: n - 1 });
      expect(inclusionProblems(proof)).toEqual([]);
      expect(proof.commitment).toEqual(commitment);
      expect(proof.exportUrl).toBe('/api/ledger/exports/4');
      const tx = plan.transactions[proof.payment.transactionIndex]!;
      expect(tx.payments.map((p) => p.puzzleHash)).toContain(proof.allocation.puzzleHash);
      expect(proof.versions).toHaveLength(1);
      expect(proof.versions[0]!.paymentCoinId).toMatch(/^[0-9a-f]{64}$/);
      expect(proof.versions[0]!.memoCoinId).toMatch(/^[0-9a-f]{64}$/);
    }
    // The shared address: one payment of both lines.
    expect((await ask(4)).payment).toEqual((await ask(3)).payment);
    expect((await ask(4)).payment.amount).toBe('700');
  });

  it('answers 404 for an unknown payout, a farmer it allocates nothing, a payout not signed yet or signed without a commitment', async () => {
    await expect(ask(1, 'payout-00000009')).rejects.toThrow(NotFoundException);
    await expect(ask(1, '../ledger')).rejects.toThrow(/not a payout id/);
    await expect(ask(9)).rejects.toThrow(/allocates nothing/);
    await expect(ask(1)).rejects.toThrow(/not signed yet/);
    await sign();
    await expect(ask(1)).rejects.toThrow(/signed before payouts committed/);
  });
});
