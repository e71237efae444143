import { REFUSAL_EVENT_TYPES, type RefusalEvent } from '@pool/domain';
import type { Projection, TableSpec } from '@pool/read-models';
import { metaTable, readMeta, unseen, upsertRows, writeMeta, type Columns, type Row } from '@pool/read-models';
import { rebuildReach, retentionOf, type ViewProjectionOptions } from '../farmer-view/farmer-view.projection';

/**
 * refused_partials: the partials the pool refused registered farmers, kept for the retention window the operator
 * chose for partial detail (seven days by default, never less than one: the farmer page shows the last 24 h).
 *
 * Tables:
 *   refused_partials       position PK (of the PartialRefused event), launcher_id, harvester_id, refused_at,
 *                          error_code, reason, signage_point_hash, end_of_sub_slot, proof_hash, protocol_version.
 *                          Index (launcher_id, refused_at): a farmer's page and its counts per harvester.
 *   refused_partials_meta  id PK (always 1), position, ledger_time (the newest refused_at seen)
 */
export const REFUSED_PARTIALS_TABLES: readonly TableSpec[] = [
  {
    name: 'refused_partials',
    columns: `position varchar(64) NOT NULL, launcher_id varchar(64) NOT NULL, harvester_id varchar(64) NOT NULL,
      refused_at bigint NOT NULL, error_code integer NOT NULL, reason varchar(600) NOT NULL,
      signage_point_hash varchar(64) NOT NULL, end_of_sub_slot integer NOT NULL, proof_hash varchar(64),
      protocol_version integer NOT NULL`,
    primaryKey: ['position'],
    // The prune below deletes by refused_at alone, every batch: its own index keeps that from scanning the table.
    foldIndexes: [['launcher_id', 'refused_at'], ['refused_at']],
  },
  metaTable('refused_partials_meta'),
];

const REFUSED: Columns = {
  position: 'text',
  launcher_id: 'text',
  harvester_id: 'text',
  refused_at: 'int',
  error_code: 'int',
  reason: 'text',
  signage_point_hash: 'text',
  end_of_sub_slot: 'int',
  proof_hash: 'text',
  protocol_version: 'int',
};

/**
 * Every refusal is inserted, and at the end of each batch the rows older than (newest refused_at seen so far -
 * retention) are deleted. The cut-off only grows, so once a row is past it no later batch can bring it back: the
 * table ends as "every refusal within the retention of the newest", however the events were batched, and a rebuild
 * equals the live build.
 */
export function createRefusedPartialsProjection(options: ViewProjectionOptions = {}): Projection<RefusalEvent> {
  const retention = retentionOf(options);
  return {
    name: 'refused_partials',
    version: 1,
    rebuildWeight: 0.1,
    handles: REFUSAL_EVENT_TYPES,
    tables: REFUSED_PARTIALS_TABLES,
    async apply(batch, context) {
      const meta = await readMeta(context, 'refused_partials_meta');
      const events = unseen(batch, meta);
      if (events.length === 0) return;
      const table = context.table('refused_partials');
      let clock = meta.ledgerTime;
      const rows: Row[] = events.map(({ position, data: d }) => {
        clock = Math.max(clock, d.receivedAt);
        return {
          position,
          launcher_id: d.launcherId,
          harvester_id: d.harvesterId,
          refused_at: d.receivedAt,
          error_code: d.errorCode,
          reason: d.reason,
          signage_point_hash: d.signagePointHash,
          end_of_sub_slot: d.endOfSubSlot ? 1 : 0,
          proof_hash: d.proofHash,
          protocol_version: d.protocolVersion,
        };
      });
      const cutoff = clock - retention;
      // Rows already past the cut-off would be deleted below anyway, and in a rebuild so would those past the cut-off
      // of the time its clock will reach: not writing them is the same table.
      const kept = Math.max(clock, rebuildReach(context, REFUSAL_EVENT_TYPES, (e) => (e.data as { receivedAt?: number }).receivedAt)) - retention;
      await upsertRows(context.sql, table, REFUSED, ['position'], rows.filter((r) => Number(r.refused_at) >= kept), { kind: 'replace' });
      if (clock > meta.ledgerTime) await context.sql.query(`DELETE FROM ${table} WHERE refused_at < ?`, [cutoff]);
      await writeMeta(context, 'refused_partials_meta', { ...meta, position: events[events.length - 1]!.position, ledgerTime: clock });
    },
  };
}

export const refusedPartialsProjection: Projection = createRefusedPartialsProjection();
