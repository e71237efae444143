import { DEVNET_SPACE_CONSTANTS, estimatedSpaceFromPoints, estimatedSpaceFromPointsPerDay, MAINNET_SPACE_CONSTANTS } from '@pool/domain';
import { DEVNET_NETWORK, MAINNET_NETWORK } from '@pool/devnet';
import type { ReadModelDatabase } from '@pool/read-models';
import { createFarmerViewProjection, farmerViewProjection } from './farmer-view.projection';
import { FARMER_A, FARMER_B, confirmedEvent as confirmed, payoutId, plannedEvent as planned, registeredEvent as registered, revertedEvent as reverted, submitted } from '@pool/testing';
import { openReadModels, ProjectionHarness, record } from '@pool/testing';

const T0 = 1_750_000_000;

describe('farmer_view projection', () => {
  let db: ReadModelDatabase;
  beforeEach(async () => {
    db = await openReadModels();
  });
  afterEach(() => db.close());

  const row = async (harness: ProjectionHarness, table: string, launcherId: string): Promise<Record<string, unknown>> => {
    const rows = await harness.rows(table);
    return rows.find((r) => r.launcher_id === launcherId)!;
  };

  it('tracks difficulty, membership and points from farmer and partial events', async () => {
    const harness = await ProjectionHarness.open(db, farmerViewProjection);
    const events = await record([
        registered(FARMER_A, T0, 5),
        submitted(FARMER_A, 'p1', 5, T0 + 10),
        submitted(FARMER_A, 'p2', 5, T0 + 20),
        submitted(FARMER_A, 'p3', 5, T0 + 30),
        confirmed(FARMER_A, 'p1', 5, T0 + 400),
        reverted(FARMER_A, 'p2', 5, T0 + 410, false, 'signage_point_reverted'),
        { type: 'DifficultyChanged', data: { launcherId: FARMER_A, from: '5', to: '7', reason: 'policy', changedAt: T0 + 500, graceUntil: null } },
        { type: 'FarmerLeftPool', data: { launcherId: FARMER_A, height: 100, at: T0 + 600, reason: 'leaving' } },
        { type: 'FarmerRejoinedPool', data: { launcherId: FARMER_A, height: 120, at: T0 + 700 } },
    ]);
    await harness.apply(events.slice(0, -1), 3);
    expect(await row(harness, 'farmer_view', FARMER_A)).toMatchObject({
      difficulty: 7,
      membership: 'left',
      left_at: T0 + 600,
      left_reason: 'leaving',
      registered_at: T0,
      pending_points: 5,
      confirmed_points: 5,
      reverted_points: 5,
      window_points: 5,
      last_partial_at: T0 + 30,
      partials_24h_submitted: 3,
      partials_24h_confirmed: 1,
      partials_24h_reverted: 1,
      points_24h: 15,
      // Registered ten minutes before the ledger clock (T0 + 600): its points are over those ten minutes, not a day.
      estimated_space: Number(estimatedSpaceFromPoints(15n, 600, MAINNET_SPACE_CONSTANTS)),
    });

    await harness.apply(events.slice(-1));
    expect(await row(harness, 'farmer_view', FARMER_A)).toMatchObject({ membership: 'member', left_at: null, left_reason: null });
  });

  it('moves the last 24 hours with the newest ledger time, also for farmers a batch does not touch', async () => {
    const harness = await ProjectionHarness.open(db, farmerViewProjection);
    const events = await record([registered(FARMER_A, T0), registered(FARMER_B, T0), submitted(FARMER_A, 'a1', 4, T0 + 60), submitted(FARMER_B, 'b1', 2, T0 + 25 * 3600)]);
    await harness.apply(events.slice(0, 3));
    expect(await row(harness, 'farmer_view', FARMER_A)).toMatchObject({ partials_24h_submitted: 1, points_24h: 4 });

    // B's partial a day later moves the ledger clock: A's partial leaves the window though A sent nothing new.
    await harness.apply(events.slice(3));
    expect(await row(harness, 'farmer_view', FARMER_A)).toMatchObject({ partials_24h_submitted: 0, points_24h: 0, estimated_space: 0 });
    expect(await row(harness, 'farmer_view', FARMER_B)).toMatchObject({ partials_24h_submitted: 1, points_24h: 2 });
    // The hourly detail is kept for the retention window (7 days by default): A's hour is still there.
    expect((await harness.rows('farmer_hourly')).map((r) => r.launcher_id)).toEqual([FARMER_A, FARMER_B]);
  });

  it("estimates a young farmer's space over its time in the pool, as the clock moves without it, in any batch size", async () => {
    const events = await record([
      registered(FARMER_A, T0),
      registered(FARMER_B, T0 - 2 * 86_400),
      submitted(FARMER_A, 'a1', 6, T0 + 60),
      submitted(FARMER_A, 'a2', 6, T0 + 1200),
      // Only B moves the clock from here on: first within the same ledger hour (T0 + 3000), then into the next.
      submitted(FARMER_B, 'b1', 1, T0 + 3000),
      submitted(FARMER_B, 'b2', 1, T0 + 3500),
    ]);
    const estimateOfA = async (batchSize: number, upTo: number): Promise<unknown> => {
      const own = await openReadModels();
      try {
        const harness = await ProjectionHarness.open(own, farmerViewProjection);
        await harness.apply(events.slice(0, upTo), batchSize);
        return (await row(harness, 'farmer_view', FARMER_A)).estimated_space;
      } finally {
        await own.close();
      }
    };
    // 12 points over the 3500 s A has been in the pool, not over a day (which would show a farm 24 times smaller).
    const young = Number(estimatedSpaceFromPoints(12n, 3500, MAINNET_SPACE_CONSTANTS));
    expect(young).toBeGreaterThan(20 * Number(estimatedSpaceFromPointsPerDay(12n, MAINNET_SPACE_CONSTANTS)));
    for (const batchSize of [1, 2, 100]) expect(await estimateOfA(batchSize, events.length)).toBe(young);
    expect(await estimateOfA(1, 5)).toBe(Number(estimatedSpaceFromPoints(12n, 3000, MAINNET_SPACE_CONSTANTS)));
  });

  it('drops hourly detail older than the retention window, by ledger time', async () => {
    const harness = await ProjectionHarness.open(db, createFarmerViewProjection({ retentionSeconds: 86_400 }));
    await harness.apply(await record([submitted(FARMER_A, 'a1', 1, T0), submitted(FARMER_B, 'b1', 1, T0 + 2 * 86_400)]));
    expect((await harness.rows('farmer_hourly')).map((r) => r.launcher_id)).toEqual([FARMER_B]);
    expect(() => createFarmerViewProjection({ retentionSeconds: 3600 })).toThrow(RangeError);
  });

  it('estimates space with the configured chain constants', async () => {
    const harness = await ProjectionHarness.open(db, createFarmerViewProjection({ space: DEVNET_SPACE_CONSTANTS }));
    await harness.apply(await record([submitted(FARMER_A, 'a1', 1000, T0)]));
    const estimate = estimatedSpaceFromPointsPerDay(1000n, DEVNET_SPACE_CONSTANTS);
    expect(estimate).toBeGreaterThan(0n);
    expect(await row(harness, 'farmer_view', FARMER_A)).toMatchObject({ estimated_space: Number(estimate) });
  });

  it('keeps window points as the payout window fold does: paid up to the plan position, later confirms move on', async () => {
    const harness = await ProjectionHarness.open(db, farmerViewProjection);
    const events = await record([
      /* 0 */ confirmed(FARMER_A, 'a1', 10, T0),
      /* 1 */ confirmed(FARMER_B, 'b1', 20, T0 + 1),
      /* 2 */ confirmed(FARMER_A, 'a2', 3, T0 + 2), // after the plan's position: not paid by plan 1
      /* 3 */ planned(1, T0 + 3, [{ launcherId: FARMER_A, points: 10, amount: 1000 }, { launcherId: FARMER_B, points: 20, amount: 2000 }], [], '@1'),
      /* 4 */ reverted(FARMER_A, 'a1', 10, T0 + 4, true), // already paid: not clawed back
      /* 5 */ reverted(FARMER_A, 'a2', 3, T0 + 5, true), // unpaid: leaves the window
      /* 6 */ confirmed(FARMER_B, 'b2', 7, T0 + 6),
      /* 7 */ { type: 'PayoutSent', data: { payoutId: payoutId(1), transactionIds: ['t1'], sentAt: T0 + 7 } },
      /* 8 */ { type: 'PayoutConfirmed', data: { payoutId: payoutId(1), confirmedHeight: 200, confirmedAt: T0 + 8 } },
    ]);
    await harness.apply(events, 2);
    expect(await row(harness, 'farmer_balances', FARMER_A)).toMatchObject({
      confirmed_points: 0,
      window_points: 0,
      reverted_after_payout: 10,
      last_payout_sequence: 1,
      last_paid_points: 10,
      paid_mojos: 1000,
      payouts_planned: 1,
    });
    expect(await row(harness, 'farmer_balances', FARMER_B)).toMatchObject({ confirmed_points: 27, window_points: 7, paid_mojos: 2000 });
    expect(await row(harness, 'farmer_view', FARMER_B)).toMatchObject({ window_points: 7, last_payout_sequence: 1 });
    const windows = (await harness.rows('points_window')).map((r) => [r.launcher_id, r.window_sequence, r.confirmed_points, r.reverted_points, r.net_points]);
    expect(windows).toEqual([
      [FARMER_A, 1, 10, 0, 10],
      [FARMER_A, 2, 3, 3, 0],
      [FARMER_B, 1, 20, 0, 20],
      [FARMER_B, 2, 7, 0, 7],
    ]);
    expect(await harness.rows('window_partials')).toEqual([expect.objectContaining({ proof_hash: 'b2', window_sequence: 2 })]);
  });

  it('carries balances as each plan records them and returns an abandoned payout to the carried balance', async () => {
    const harness = await ProjectionHarness.open(db, farmerViewProjection);
    await harness.apply(
      await record([
        confirmed(FARMER_A, 'a1', 10, T0),
        planned(1, T0 + 1, [], [{ launcherId: FARMER_A, amount: 50 }]),
        confirmed(FARMER_B, 'b1', 10, T0 + 2),
        planned(2, T0 + 3, [{ launcherId: FARMER_B, points: 10, amount: 900 }], []),
        { type: 'PayoutSent', data: { payoutId: payoutId(2), transactionIds: ['t2'], sentAt: T0 + 4 } },
        { type: 'PayoutFailed', data: { payoutId: payoutId(2), reason: 'never confirmed', attempt: 1, willRetry: true, failedAt: T0 + 5 } },
        { type: 'PayoutFailed', data: { payoutId: payoutId(2), reason: 'never confirmed', attempt: 2, willRetry: false, failedAt: T0 + 6 } },
      ]),
      1,
    );
    // Plan 2 carried nothing for A, so A's carry ended; B's abandoned allocation came back as a carry.
    expect(await row(harness, 'farmer_balances', FARMER_A)).toMatchObject({ carried_mojos: 0, window_points: 0 });
    expect(await row(harness, 'farmer_balances', FARMER_B)).toMatchObject({ carried_mojos: 900, paid_mojos: 0 });
    expect((await harness.rows('window_allocations')).map((r) => r.status)).toEqual(['abandoned']);
  });

  it('takes the returned balance back when an abandoned payout lands after all (the payout window rule)', async () => {
    const harness = await ProjectionHarness.open(db, farmerViewProjection);
    await harness.apply(
      await record([
        confirmed(FARMER_B, 'b1', 10, T0),
        planned(1, T0 + 1, [{ launcherId: FARMER_B, points: 10, amount: 900 }], []),
        { type: 'PayoutSent', data: { payoutId: payoutId(1), transactionIds: ['t1'], sentAt: T0 + 2 } },
        { type: 'PayoutFailed', data: { payoutId: payoutId(1), reason: 'never confirmed', attempt: 1, willRetry: false, failedAt: T0 + 3 } },
        { type: 'PayoutConfirmed', data: { payoutId: payoutId(1), confirmedHeight: 40, confirmedAt: T0 + 4 } },
      ]),
      2,
    );
    expect(await row(harness, 'farmer_balances', FARMER_B)).toMatchObject({ carried_mojos: 0, paid_mojos: 900 });
    expect((await harness.rows('window_allocations')).map((r) => r.status)).toEqual(['confirmed']);
  });
  it('keeps a balance an abandoned payout returned after the next plan had read the ledger, in any batch size (the payout window rule)', async () => {
    const events = await record([
      /* 0 */ confirmed(FARMER_B, 'b1', 10, T0),
      /* 1 */ planned(1, T0 + 1, [{ launcherId: FARMER_B, points: 10, amount: 900 }], [{ launcherId: FARMER_A, amount: 4 }]),
      /* 2 */ { type: 'PayoutFailed', data: { payoutId: payoutId(1), reason: 'never confirmed', attempt: 1, willRetry: false, failedAt: T0 + 2 } },
      /* 3 */ planned(2, T0 + 3, [], [{ launcherId: FARMER_A, amount: 4 }], '@1'), // computed before the abandonment
      /* 4 */ confirmed(FARMER_A, 'a1', 3, T0 + 4),
      /* 5 */ planned(3, T0 + 5, [], [{ launcherId: FARMER_A, amount: 4 }, { launcherId: FARMER_B, amount: 900 }]), // has seen it
    ]);
    for (const [batch, upTo, carriedB] of [[1, 4, 900], [2, 4, 900], [100, 4, 900], [1, 6, 900], [4, 6, 900]] as const) {
      const fresh = await openReadModels();
      try {
        const harness = await ProjectionHarness.open(fresh, farmerViewProjection);
        await harness.apply(events.slice(0, upTo), batch);
        expect(await row(harness, 'farmer_balances', FARMER_B)).toMatchObject({ carried_mojos: carriedB });
        expect(await row(harness, 'farmer_balances', FARMER_A)).toMatchObject({ carried_mojos: 4 });
      } finally {
        await fresh.close();
      }
    }
  });
});

describe('space estimate constants', () => {
  it('match the devnet the pool runs on by default', () => {
    expect(DEVNET_SPACE_CONSTANTS).toEqual({
      difficultyConstantFactor: DEVNET_NETWORK.difficultyConstantFactor,
      poolSubSlotIters: DEVNET_NETWORK.poolSubSlotIters,
      subSlotSeconds: BigInt(DEVNET_NETWORK.subSlotTimeMs / 1000),
      plotFilterBits: DEVNET_NETWORK.plotFilterBits,
    });
    expect(MAINNET_SPACE_CONSTANTS).toMatchObject({
      difficultyConstantFactor: MAINNET_NETWORK.difficultyConstantFactor,
      poolSubSlotIters: MAINNET_NETWORK.poolSubSlotIters,
      subSlotSeconds: BigInt(MAINNET_NETWORK.subSlotTimeMs / 1000),
      // One bit below the genesis filter: the first reduction (height 5,496,000) is in force.
      plotFilterBits: MAINNET_NETWORK.plotFilterBits - 1,
    });
  });
});
