import { dayOf, hourOf, ledgerTimeOf, PARTIAL_EVENT_TYPES, type PartialEvent } from '@pool/domain';
import type { Projection, TableSpec } from '@pool/read-models';
import { rebuildReach, retentionOf, type ViewProjectionOptions } from '../farmer-view/farmer-view.projection';
import { big, int, loadRows, metaTable, readMeta, unseen, upsertRows, writeMeta, type Columns, type Row } from '@pool/read-models';

/**
 * partial_history: recent partials per farmer, and daily summaries that outlive them.
 *
 * Tables:
 *   partial_history  proof_hash PK, launcher_id, points, status ('submitted' | 'confirmed' | 'reverted'),
 *                    reason (revert reason), fork_height, was_confirmed, signage_point_hash, plot_size,
 *                    received_at, confirmed_at, reverted_at. Index (launcher_id, received_at).
 *                    Rows received before the hour the retention window starts in (by ledger time) are deleted.
 *   partial_daily    (launcher_id, day) PK, submitted, confirmed, reverted, points (confirmed that day),
 *                    submitted_points, reverted_points: every event counted on the day of its own time.
 *   partial_history_meta  id PK (always 1), position, ledger_time
 */
export const PARTIAL_HISTORY_TABLES: readonly TableSpec[] = [
  {
    name: 'partial_history',
    columns: `proof_hash varchar(64) NOT NULL, launcher_id varchar(64) NOT NULL, points bigint NOT NULL,
      status varchar(10) NOT NULL, reason varchar(32), fork_height bigint, was_confirmed integer,
      signage_point_hash varchar(64), plot_size integer,
      received_at bigint NOT NULL, confirmed_at bigint, reverted_at bigint`,
    primaryKey: ['proof_hash'],
    // Pruning walks this index farmer by farmer (see apply): a second index on received_at alone would cost
    // every insert more than the hourly prune saves.
    foldIndexes: [['launcher_id', 'received_at']],
  },
  {
    name: 'partial_daily',
    columns: `launcher_id varchar(64) NOT NULL, day bigint NOT NULL,
      submitted integer NOT NULL, confirmed integer NOT NULL, reverted integer NOT NULL,
      points bigint NOT NULL, submitted_points bigint NOT NULL, reverted_points bigint NOT NULL`,
    primaryKey: ['launcher_id', 'day'],
  },
  metaTable('partial_history_meta'),
];

const HISTORY: Columns = {
  proof_hash: 'text',
  launcher_id: 'text',
  points: 'big',
  status: 'text',
  reason: 'text',
  fork_height: 'int',
  was_confirmed: 'int',
  signage_point_hash: 'text',
  plot_size: 'int',
  received_at: 'int',
  confirmed_at: 'int',
  reverted_at: 'int',
};

const DAILY: Columns = {
  launcher_id: 'text',
  day: 'int',
  submitted: 'int',
  confirmed: 'int',
  reverted: 'int',
  points: 'big',
  submitted_points: 'big',
  reverted_points: 'big',
};

/**
 * Detail rows live while their received_at is at or after the start of the hour in which the retention window
 * of the newest ledger time seen begins (hour-granular, so pruning runs at most once per ledger hour);
 * partial_daily counts every event on the day of its own time, so it holds the whole history in summary and
 * the detail can go without losing a count. Both depend only on the events, never on batch boundaries: an
 * event already older than the cut-off where it sits in the ledger does not create a row, and rows are
 * deleted once the cut-off passes them, after which no event can touch them again. A rebuild knows a time its clock
 * will reach (rebuildReach) and writes no row its cut-off then deletes: a rebuild of a year of partials writes the
 * detail of the last retention window only, and the same table.
 */
export function createPartialHistoryProjection(options: ViewProjectionOptions = {}): Projection<PartialEvent> {
  const retention = retentionOf(options);
  return {
    name: 'partial_history',
    version: 1,
    rebuildWeight: 2.6,
    handles: PARTIAL_EVENT_TYPES,
    tables: PARTIAL_HISTORY_TABLES,
    async apply(batch, context) {
      const meta = await readMeta(context, 'partial_history_meta');
      const events = unseen(batch, meta);
      if (events.length === 0) return;
      const { sql } = context;
      const history = context.table('partial_history');

      // Rows this batch changes but did not create: load them so that the write is a plain replace.
      const created = new Set(events.filter((e) => e.type === 'PartialSubmitted').map((e) => e.data.proofHash));
      const rows = await loadRows(
        sql,
        history,
        HISTORY,
        'proof_hash',
        events.filter((e) => e.type !== 'PartialSubmitted' && !created.has(e.data.proofHash)).map((e) => e.data.proofHash),
      );
      const daily = new Map<string, Map<number, Row>>();
      const day = (launcherId: string, time: number): Row => {
        let days = daily.get(launcherId);
        if (!days) daily.set(launcherId, (days = new Map()));
        const start = dayOf(time);
        let d = days.get(start);
        if (!d) {
          d = { launcher_id: launcherId, day: start, submitted: 0, confirmed: 0, reverted: 0, points: 0n, submitted_points: 0n, reverted_points: 0n };
          days.set(start, d);
        }
        return d;
      };
      const cutoffAt = (clock: number): number => hourOf(clock - retention);
      const reach = rebuildReach(context, PARTIAL_EVENT_TYPES);

      let clock = meta.ledgerTime;
      for (const event of events) {
        const time = ledgerTimeOf(event) ?? clock;
        clock = Math.max(clock, time);
        const points = BigInt(event.data.points);
        const d = day(event.data.launcherId, time);
        const row = rows.get(event.data.proofHash);
        switch (event.type) {
          case 'PartialSubmitted':
            d.submitted = int(d.submitted) + 1;
            d.submitted_points = big(d.submitted_points) + points;
            if (time >= cutoffAt(Math.max(clock, reach)) && !row) {
              rows.set(event.data.proofHash, {
                proof_hash: event.data.proofHash,
                launcher_id: event.data.launcherId,
                points,
                status: 'submitted',
                reason: null,
                fork_height: null,
                was_confirmed: null,
                signage_point_hash: event.data.signagePointHash,
                plot_size: event.data.plotSize,
                received_at: time,
                confirmed_at: null,
                reverted_at: null,
              });
            }
            break;
          case 'PartialConfirmed':
            d.confirmed = int(d.confirmed) + 1;
            d.points = big(d.points) + points;
            if (row) {
              row.status = 'confirmed';
              row.confirmed_at = time;
            }
            break;
          case 'PartialReverted':
            d.reverted = int(d.reverted) + 1;
            d.reverted_points = big(d.reverted_points) + points;
            if (row) {
              Object.assign(row, {
                status: 'reverted',
                reason: event.data.reason,
                fork_height: event.data.forkHeight ?? null,
                was_confirmed: event.data.wasConfirmed ? 1 : 0,
                reverted_at: time,
              });
            }
            break;
        }
      }
      const cutoff = cutoffAt(clock);
      await upsertRows(
        sql,
        history,
        HISTORY,
        ['proof_hash'],
        [...rows.values()].filter((r) => int(r.received_at) >= cutoff),
        { kind: 'replace' },
      );
      const dailyTable = context.table('partial_daily');
      await upsertRows(sql, dailyTable, DAILY, ['launcher_id', 'day'], [...daily.values()].flatMap((days) => [...days.values()]), {
        kind: 'add',
        columns: ['submitted', 'confirmed', 'reverted', 'points', 'submitted_points', 'reverted_points'],
      });
      if (cutoff > cutoffAt(meta.ledgerTime)) {
        // Every farmer with detail has a daily row: walk the (launcher_id, received_at) index farmer by farmer.
        await sql.query(`DELETE FROM ${history} WHERE launcher_id IN (SELECT DISTINCT launcher_id FROM ${dailyTable}) AND received_at < ?`, [cutoff]);
      }
      await writeMeta(context, 'partial_history_meta', { ...meta, position: events[events.length - 1]!.position, ledgerTime: clock });
    },
  };
}

export const partialHistoryProjection: Projection = createPartialHistoryProjection();
