import { estimatedSpaceFromPoints, MAINNET_SPACE_CONSTANTS, type PartialOrigin } from '@pool/domain';
import type { ReadModelDatabase } from '@pool/read-models';
import { FARMER_A, FARMER_B, confirmedEvent as confirmed, openReadModels, ProjectionHarness, record, revertedEvent as reverted, submitted, type LedgerEvent } from '@pool/testing';
import { createHarvestersProjection, harvestersProjection } from './harvesters.projection';

const DAY = 86_400;
const T0 = 1_750_032_000;
const H1 = '01'.repeat(32);
const H2 = '02'.repeat(32);
const H3 = '03'.repeat(32);

/** What schema 2 records of a partial from harvester `harvesterId`. */
const from = (harvesterId: string, origin: Partial<PartialOrigin> = {}): Partial<PartialOrigin> => ({
  harvesterId,
  plotPublicKey: '9a'.repeat(48),
  plotId: '9b'.repeat(32),
  endOfSubSlot: false,
  farmerVersion: '2.5.0',
  harvesterVersion: '2.5.0',
  userAgent: 'Chia Blockchain v.2.5.0',
  ...origin,
});

/** Recorded at schema 2, as the pool records submissions now. */
const v2 = (event: LedgerEvent, plotSize = 32): { event: LedgerEvent; schemaVersion: number } => ({ event: { ...event, data: { ...event.data, plotSize } } as LedgerEvent, schemaVersion: 2 });

describe('harvesters projection', () => {
  let db: ReadModelDatabase;
  beforeEach(async () => {
    db = await openReadModels();
  });
  afterEach(() => db.close());

  it("counts each harvester's partials and points, keeps what it last said, and leaves partials recorded before schema 2 out", async () => {
    const harness = await ProjectionHarness.open(db, harvestersProjection);
    await harness.apply(
      await record([
        // Recorded before schema 2: no harvester to count it under.
        submitted(FARMER_A, 'old', 9, T0 - 100),
        confirmed(FARMER_A, 'old', 9, T0 + 200),
        v2(submitted(FARMER_A, 'p1', 3, T0, from(H1, { harvesterVersion: '2.4.4' }))),
        v2(submitted(FARMER_A, 'p2', 3, T0 + 10, from(H1, { harvesterVersion: '2.5.0', userAgent: null })), 33),
        v2(submitted(FARMER_A, 'p3', 4, T0 + 20, from(H2))),
        v2(submitted(FARMER_B, 'p4', 5, T0 + 30, from(H3, { farmerVersion: '2.6.0' }))),
        confirmed(FARMER_A, 'p1', 3, T0 + 300),
        confirmed(FARMER_A, 'p2', 3, T0 + 310),
        reverted(FARMER_A, 'p3', 4, T0 + 320, false, 'signage_point_reverted'),
        confirmed(FARMER_B, 'p4', 5, T0 + 330),
        reverted(FARMER_B, 'p4', 5, T0 + 900, true, 'reorg'),
      ]),
      3,
    );
    const rows = await harness.rows('harvesters');
    expect(
      rows.map((r) => [
        r.launcher_id,
        r.harvester_id,
        r.partials_submitted,
        r.partials_confirmed,
        r.partials_reverted,
        String(r.submitted_points),
        String(r.confirmed_points),
        String(r.reverted_points),
        r.first_seen_at,
        r.last_seen_at,
        r.plot_sizes,
      ]),
    ).toEqual([
      [FARMER_A, H1, 2, 2, 0, '6', '6', '0', T0, T0 + 10, '32,33'],
      [FARMER_A, H2, 1, 0, 1, '4', '0', '4', T0 + 20, T0 + 20, '32'],
      [FARMER_B, H3, 1, 1, 1, '5', '5', '5', T0 + 30, T0 + 30, '32'],
    ]);
    // The last version each header named; a header left out keeps the one sent before.
    expect(rows.map((r) => [r.farmer_version, r.harvester_version, r.user_agent])).toEqual([
      ['2.5.0', '2.5.0', 'Chia Blockchain v.2.5.0'],
      ['2.5.0', '2.5.0', 'Chia Blockchain v.2.5.0'],
      ['2.6.0', '2.5.0', 'Chia Blockchain v.2.5.0'],
    ]);
    // The space estimate is the farmer view's, from each harvester's submitted points of the last 24 ledger hours,
    // over the time since it was first seen (under a day here): the ledger clock is T0 + 900.
    const space = (points: bigint, span: number): string => estimatedSpaceFromPoints(points, span, MAINNET_SPACE_CONSTANTS).toString();
    expect(rows.map((r) => [r.partials_24h, String(r.points_24h), String(r.estimated_space)])).toEqual([
      [2, '6', space(6n, 900)],
      [1, '4', space(4n, 880)],
      [1, '5', space(5n, 870)],
    ]);
  });

  it('lists each plot size once, ascending, whatever order and repeats they come in', async () => {
    const harness = await ProjectionHarness.open(db, harvestersProjection);
    const sizes = [33, 32, 33, 3, 32, 34];
    await harness.apply(await record(sizes.map((size, i) => v2(submitted(FARMER_A, `s${i}`, 1, T0 + i, from(H1)), size))), 2);
    expect((await harness.rows('harvesters')).map((r) => r.plot_sizes)).toEqual(['3,32,33,34']);
  });

  it('lets the 24 h figures fall as the ledger moves on, and stops attributing settlements of partials past the retention', async () => {
    const harness = await ProjectionHarness.open(db, createHarvestersProjection({ retentionSeconds: DAY }));
    const events = await record([
      v2(submitted(FARMER_A, 'p1', 3, T0, from(H1))),
      v2(submitted(FARMER_A, 'p2', 3, T0 + 10, from(H1))),
      confirmed(FARMER_A, 'p1', 3, T0 + 300),
      // Another farmer's partial two days on moves the ledger clock past both 24 h and the retention.
      v2(submitted(FARMER_B, 'p3', 7, T0 + 2 * DAY, from(H3))),
      // A confirm of a partial received before the retention's cut-off: its harvester is no longer known here.
      confirmed(FARMER_A, 'p2', 3, T0 + 2 * DAY + 10),
    ]);
    await harness.apply(events.slice(0, 3));
    expect((await harness.rows('harvesters')).map((r) => [r.harvester_id, r.partials_24h, String(r.points_24h)])).toEqual([[H1, 2, '6']]);
    await harness.apply(events.slice(3));
    const rows = await harness.rows('harvesters');
    expect(rows.map((r) => [r.harvester_id, r.partials_submitted, r.partials_confirmed, r.partials_24h, String(r.points_24h), String(r.estimated_space)])).toEqual([
      [H1, 2, 1, 0, '0', '0'],
      // First seen ten seconds before the clock: the shortest span, ten minutes.
      [H3, 1, 0, 1, '7', estimatedSpaceFromPoints(7n, 600, MAINNET_SPACE_CONSTANTS).toString()],
    ]);
    expect((await harness.rows('harvester_partials')).map((r) => r.proof_hash)).toEqual(['p3']);
    expect((await harness.rows('harvester_hourly')).map((r) => r.harvester_id)).toEqual([H3]);
  });

  it('gives the same tables whatever the batch size', async () => {
    const events = await record([
      v2(submitted(FARMER_A, 'p1', 3, T0, from(H1))),
      v2(submitted(FARMER_A, 'p2', 2, T0 + 4000, from(H2))),
      confirmed(FARMER_A, 'p1', 3, T0 + 4300),
      v2(submitted(FARMER_A, 'p3', 2, T0 + DAY + 9000, from(H1))),
      reverted(FARMER_A, 'p2', 2, T0 + DAY + 9100, false, 'reorg'),
      v2(submitted(FARMER_B, 'p4', 1, T0 + 2 * DAY, from(H3))),
      confirmed(FARMER_A, 'p3', 2, T0 + 2 * DAY + 60),
    ]);
    const hashes = async (batchSize: number): Promise<Record<string, string>> => {
      const harness = await ProjectionHarness.open(db, createHarvestersProjection({ retentionSeconds: DAY }));
      await harness.apply(events, batchSize);
      return harness.hashes();
    };
    expect(await hashes(1)).toEqual(await hashes(100));
  });
});
