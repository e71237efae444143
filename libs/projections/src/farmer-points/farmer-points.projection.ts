import { foldFarmerPoints, ledgerTimeOf, PARTIAL_EVENT_TYPES, type PartialEvent } from '@pool/domain';
import type { Projection } from '@pool/read-models';
import { metaTable, readMeta, unseen, writeMeta } from '@pool/read-models';

const TABLE = 'farmer_points';
const UPSERT_CHUNK = 200;

/** Points and partial counts per farmer: the balance the payouts and the farmer page read. */
export const farmerPointsProjection: Projection<PartialEvent> = {
  name: 'farmer_points',
  // 2: the meta table (redelivery guard) joined the projection.
  version: 2,
  rebuildWeight: 0.7,
  handles: PARTIAL_EVENT_TYPES,
  tables: [
    {
      name: TABLE,
      columns: `launcher_id varchar(64) NOT NULL,
        pending_points bigint NOT NULL, confirmed_points bigint NOT NULL, reverted_points bigint NOT NULL,
        partials_submitted integer NOT NULL, partials_confirmed integer NOT NULL, partials_reverted integer NOT NULL,
        last_partial_at bigint`,
      primaryKey: ['launcher_id'],
    },
    metaTable('farmer_points_meta'),
  ],
  async apply(batch, context) {
    const { sql, table } = context;
    const meta = await readMeta(context, 'farmer_points_meta');
    const events = unseen(batch, meta);
    if (events.length === 0) return;
    // One fold over the batch, then one upsert per farmer: per-event writes are an order of magnitude slower.
    const rows = [...foldFarmerPoints(events)];
    const name = table(TABLE);
    for (let i = 0; i < rows.length; i += UPSERT_CHUNK) {
      const chunk = rows.slice(i, i + UPSERT_CHUNK);
      const params = chunk.flatMap(([launcherId, d]) => [
        launcherId,
        d.pendingPoints.toString(),
        d.confirmedPoints.toString(),
        d.revertedPoints.toString(),
        d.submitted,
        d.confirmed,
        d.reverted,
        d.lastPartialAt,
      ]);
      await sql.query(
        `INSERT INTO ${name} AS t (launcher_id, pending_points, confirmed_points, reverted_points,
           partials_submitted, partials_confirmed, partials_reverted, last_partial_at)
         VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}
         ON CONFLICT (launcher_id) DO UPDATE SET
           pending_points = t.pending_points + excluded.pending_points,
           confirmed_points = t.confirmed_points + excluded.confirmed_points,
           reverted_points = t.reverted_points + excluded.reverted_points,
           partials_submitted = t.partials_submitted + excluded.partials_submitted,
           partials_confirmed = t.partials_confirmed + excluded.partials_confirmed,
           partials_reverted = t.partials_reverted + excluded.partials_reverted,
           last_partial_at = CASE WHEN excluded.last_partial_at IS NULL THEN t.last_partial_at
                                  WHEN t.last_partial_at IS NULL OR excluded.last_partial_at > t.last_partial_at THEN excluded.last_partial_at
                                  ELSE t.last_partial_at END`,
        params,
      );
    }
    const ledgerTime = events.reduce((t, e) => Math.max(t, ledgerTimeOf(e) ?? t), meta.ledgerTime);
    await writeMeta(context, 'farmer_points_meta', { ...meta, position: events[events.length - 1]!.position, ledgerTime });
  },
};
