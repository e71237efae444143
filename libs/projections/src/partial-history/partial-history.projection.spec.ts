import type { ReadModelDatabase } from '@pool/read-models';
import { createPartialHistoryProjection, partialHistoryProjection } from './partial-history.projection';
import { FARMER_A, FARMER_B, confirmedEvent as confirmed, revertedEvent as reverted, submitted } from '@pool/testing';
import { openReadModels, ProjectionHarness, record } from '@pool/testing';

const DAY = 86_400;
const T0 = 1_750_032_000; // 00:00 UTC + 8 h

describe('partial_history projection', () => {
  let db: ReadModelDatabase;
  beforeEach(async () => {
    db = await openReadModels();
  });
  afterEach(() => db.close());

  it('keeps each partial with its status, reason and times', async () => {
    const harness = await ProjectionHarness.open(db, partialHistoryProjection);
    await harness.apply(
      await record([
        submitted(FARMER_A, 'p1', 3, T0),
        submitted(FARMER_A, 'p2', 3, T0 + 1),
        submitted(FARMER_B, 'p3', 5, T0 + 2),
        confirmed(FARMER_A, 'p1', 3, T0 + 300),
        reverted(FARMER_A, 'p2', 3, T0 + 301, false, 'signage_point_reverted'),
        confirmed(FARMER_B, 'p3', 5, T0 + 302),
        reverted(FARMER_B, 'p3', 5, T0 + 900, true, 'reorg'),
      ]),
      2,
    );
    const rows = await harness.rows('partial_history');
    expect(rows.map((r) => [r.proof_hash, r.status, r.reason, r.was_confirmed, r.received_at, r.confirmed_at, r.reverted_at])).toEqual([
      ['p1', 'confirmed', null, null, T0, T0 + 300, null],
      ['p2', 'reverted', 'signage_point_reverted', 0, T0 + 1, null, T0 + 301],
      ['p3', 'reverted', 'reorg', 1, T0 + 2, T0 + 302, T0 + 900],
    ]);
    expect(rows[2]).toMatchObject({ fork_height: 90, launcher_id: FARMER_B, points: 5 });
  });

  it('rolls detail older than the retention window into daily summaries, by ledger time', async () => {
    const harness = await ProjectionHarness.open(db, createPartialHistoryProjection({ retentionSeconds: DAY }));
    const events = await record([
      submitted(FARMER_A, 'old1', 2, T0),
      confirmed(FARMER_A, 'old1', 2, T0 + 300),
      submitted(FARMER_A, 'old2', 2, T0 + 600),
      reverted(FARMER_A, 'old2', 2, T0 + 900, false, 'signage_point_reverted'),
      submitted(FARMER_A, 'new1', 4, T0 + 2 * DAY),
      // A late confirm of a partial whose detail is gone: counted in its day, no row comes back.
      confirmed(FARMER_A, 'old2', 2, T0 + 2 * DAY + 10),
      // A submission already older than the cut-off where it sits in the ledger: summarized, never detailed.
      submitted(FARMER_B, 'late', 1, T0 + 100),
    ]);
    await harness.apply(events.slice(0, 4));
    expect((await harness.rows('partial_history')).map((r) => r.proof_hash)).toEqual(['old1', 'old2']);
    await harness.apply(events.slice(4));
    expect((await harness.rows('partial_history')).map((r) => r.proof_hash)).toEqual(['new1']);
    const day0 = T0 - (T0 % DAY);
    expect((await harness.rows('partial_daily')).map((r) => [r.launcher_id, r.day, r.submitted, r.confirmed, r.reverted, r.points, r.submitted_points])).toEqual([
      [FARMER_A, day0, 2, 1, 1, 2, 4],
      [FARMER_A, day0 + 2 * DAY, 1, 1, 0, 2, 4],
      [FARMER_B, day0, 1, 0, 0, 0, 1],
    ]);
  });

  it("writes in a rebuild no detail that the cut-off at its newest events' time deletes, and ends with the same tables", async () => {
    const projection = createPartialHistoryProjection({ retentionSeconds: DAY });
    const live = await ProjectionHarness.open(db, projection);
    const rebuilt = await ProjectionHarness.open(db, projection);
    const events = await record([
      submitted(FARMER_A, 'old1', 2, T0),
      confirmed(FARMER_A, 'old1', 2, T0 + 300),
      submitted(FARMER_B, 'old2', 3, T0 + 600),
      reverted(FARMER_B, 'old2', 3, T0 + 900, false, 'signage_point_reverted'),
      submitted(FARMER_A, 'new1', 4, T0 + 3 * DAY),
      confirmed(FARMER_A, 'old1', 2, T0 + 3 * DAY + 5),
      confirmed(FARMER_A, 'new1', 4, T0 + 3 * DAY + 10),
    ]);
    const [older, newer] = [events.slice(0, 4), events.slice(4)];
    await live.apply(older);
    await rebuilt.apply(older, 100, events.slice(-2));
    expect((await live.rows('partial_history')).map((r) => r.proof_hash)).toEqual(['old1', 'old2']);
    expect(await rebuilt.rows('partial_history')).toEqual([]);
    await live.apply(newer);
    await rebuilt.apply(newer, 100, events.slice(-2));
    expect((await rebuilt.rows('partial_history')).map((r) => [r.proof_hash, r.status])).toEqual([['new1', 'confirmed']]);
    expect(await rebuilt.hashes()).toEqual(await live.hashes());
  });
});
