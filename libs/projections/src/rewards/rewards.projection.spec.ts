import type { ReadModelDatabase } from '@pool/read-models';
import { rewardsProjection } from './rewards.projection';
import { FARMER_A, FARMER_B } from '@pool/testing';
import { openReadModels, ProjectionHarness, record } from '@pool/testing';

const T0 = 1_750_000_000;
const detected = (coinId: string, launcherId: string, height: number, at: number) =>
  ({
    type: 'RewardDetected',
    data: { coinId, launcherId, puzzleHash: 'p2'.padEnd(64, '0'), amount: '1750000000000', farmedHeight: height, confirmedHeight: height + 1, detectedAt: at },
  }) as const;

describe('rewards projection', () => {
  let db: ReadModelDatabase;
  beforeEach(async () => {
    db = await openReadModels();
  });
  afterEach(() => db.close());

  it('shows each reward coin as detected, absorbed or reverted, and detected again if the chain brings it back', async () => {
    const harness = await ProjectionHarness.open(db, rewardsProjection);
    await harness.apply(
      await record([
        detected('c1', FARMER_A, 100, T0),
        detected('c2', FARMER_B, 105, T0 + 10),
        detected('c3', FARMER_B, 106, T0 + 11),
        {
          type: 'RewardAbsorbed',
          data: { coinId: 'c1', launcherId: FARMER_A, amount: '1750000000000', absorbTransactionId: 'tx1', absorbedHeight: 110, poolCoinId: 'pc1', fee: '5', absorbedAt: T0 + 20 },
        },
        { type: 'RewardReverted', data: { coinId: 'c2', launcherId: FARMER_B, amount: '1750000000000', reason: 'reorg', forkHeight: 104, wasAbsorbed: false, revertedAt: T0 + 30 } },
        { type: 'RewardReverted', data: { coinId: 'c3', launcherId: FARMER_B, amount: '1750000000000', reason: 'reorg', forkHeight: 104, wasAbsorbed: false, revertedAt: T0 + 30 } },
        detected('c3', FARMER_B, 107, T0 + 40),
      ]),
      3,
    );
    const rows = await harness.rows('rewards');
    expect(rows.map((r) => [r.coin_id, r.status, r.farmed_height, r.absorbed_height, r.absorb_transaction_id, r.fork_height])).toEqual([
      ['c1', 'absorbed', 100, 110, 'tx1', null],
      ['c2', 'reverted', 105, null, null, 104],
      ['c3', 'detected', 107, null, null, null],
    ]);
    expect(rows[0]).toMatchObject({ amount: 1750000000000, absorb_fee: 5, pool_coin_id: 'pc1', detected_at: T0, absorbed_at: T0 + 20 });
  });
});
