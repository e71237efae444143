import type { PayoutCoin, PayoutSigned } from '@pool/domain';
import type { ReadModelDatabase } from '@pool/read-models';
import { payoutsProjection } from './payouts.projection';
import { FARMER_A, FARMER_B, payoutId, plannedEvent as planned } from '@pool/testing';
import { openReadModels, ProjectionHarness, record } from '@pool/testing';

const T0 = 1_750_000_000;

describe('payouts projection', () => {
  let db: ReadModelDatabase;
  beforeEach(async () => {
    db = await openReadModels();
  });
  afterEach(() => db.close());

  it('follows each payout through planned, sent, failed and confirmed, with its lines', async () => {
    const harness = await ProjectionHarness.open(db, payoutsProjection);
    const events = await record([
      planned(1, T0, [{ launcherId: FARMER_A, points: 10, amount: 600 }, { launcherId: FARMER_B, points: 5, amount: 300 }], [{ launcherId: FARMER_B, amount: 7 }]),
      { type: 'PayoutSent', data: { payoutId: payoutId(1), transactionIds: ['tx1'], sentAt: T0 + 10 } },
      planned(2, T0 + 20, [{ launcherId: FARMER_A, points: 4, amount: 200 }]),
      { type: 'PayoutFailed', data: { payoutId: payoutId(1), reason: 'not confirmed in time', attempt: 1, willRetry: true, failedAt: T0 + 30 } },
      { type: 'PayoutSent', data: { payoutId: payoutId(1), transactionIds: ['tx1b'], sentAt: T0 + 40 } },
      { type: 'PayoutConfirmed', data: { payoutId: payoutId(1), confirmedHeight: 300, confirmedAt: T0 + 50 } },
    ]);
    await harness.apply(events.slice(0, 3));
    expect((await harness.rows('payout_lines')).map((r) => [r.payout_id, r.launcher_id, r.status])).toEqual([
      [payoutId(1), FARMER_A, 'sent'],
      [payoutId(1), FARMER_B, 'sent'],
      [payoutId(2), FARMER_A, 'planned'],
    ]);
    await harness.apply(events.slice(3), 1);
    const payouts = await harness.rows('payouts');
    expect(payouts[0]).toMatchObject({
      payout_id: payoutId(1),
      sequence: 1,
      status: 'confirmed',
      allocated_total: 900,
      recipients: 2,
      carried_total: 7,
      transaction_ids: JSON.stringify(['tx1b']),
      attempts: 2,
      failure_reason: 'not confirmed in time',
      confirmed_height: 300,
      planned_at: T0,
      sent_at: T0 + 40,
    });
    expect(payouts[1]).toMatchObject({ payout_id: payoutId(2), status: 'planned', attempts: 0 });
    const lines = await harness.rows('payout_lines');
    expect(lines.map((r) => [r.launcher_id, r.points, r.amount, r.status, r.coin_id])).toEqual([
      [FARMER_A, 10, 600, 'confirmed', '0'.padStart(64, '9')],
      [FARMER_B, 5, 300, 'confirmed', '1'.padStart(64, '9')],
      [FARMER_A, 4, 200, 'planned', '0'.padStart(64, '9')],
    ]);
  });

  it('names the coin paying each line from the signed bundles: same puzzle hash and amount, each coin once', async () => {
    const plan = planned(3, T0, [{ launcherId: FARMER_A, points: 6, amount: 600 }, { launcherId: FARMER_B, points: 3, amount: 300 }]);
    const [a, b] = (plan.data as { allocations: { puzzleHash: string }[] }).allocations;
    const coin = (id: string, puzzleHash: string, amount: string): PayoutCoin => ({
      coinId: id.padEnd(64, '0'),
      parentCoinId: '11'.padEnd(64, '0'),
      puzzleHash,
      amount,
    });
    const signed: PayoutSigned = {
      type: 'PayoutSigned',
      data: {
        payoutId: payoutId(3),
        signedAt: T0 + 5,
        transactions: [
          {
            index: 0,
            transactionId: 'tx3',
            spendBundle: { coinSpends: [], aggregatedSignature: 'c0' },
            spentCoins: [],
            // The change first, then a coin of A's puzzle hash of another amount, then the payments.
            createdCoins: [coin('cc', 'ee'.padEnd(64, '0'), '5'), coin('a0', a!.puzzleHash, '599'), coin('b1', b!.puzzleHash, '300'), coin('a1', a!.puzzleHash, '600')],
            fee: '0',
          },
        ],
      },
    };
    for (const batchSize of [1, 10]) {
      const harness = await ProjectionHarness.open(db, payoutsProjection);
      await harness.apply(await record([plan, signed]), batchSize);
      expect((await harness.rows('payout_lines')).map((r) => [r.launcher_id, r.coin_id])).toEqual([
        [FARMER_A, 'a1'.padEnd(64, '0')],
        [FARMER_B, 'b1'.padEnd(64, '0')],
      ]);
    }
  });
});
