import {
  estimatedSpaceFromPointsPerDay,
  hourOf,
  ledgerTimeOf,
  MAINNET_SPACE_CONSTANTS,
  PARTIAL_EVENT_TYPES,
  type PartialEvent,
} from '@pool/domain';
import type { Projection, TableSpec } from '@pool/read-models';
import { retentionOf, type ViewProjectionOptions } from '../farmer-view/farmer-view.projection';
import { big, int, loadRows, metaTable, readMeta, unseen, upsertRows, writeMeta, type Columns, type Row } from '@pool/read-models';

/**
 * pool_stats_hourly: the pool per ledger hour (hour = unix seconds of the hour's start, from the events' times).
 *
 * Tables:
 *   pool_stats_hourly    hour PK, partials_submitted, partials_confirmed, partials_reverted, points_submitted,
 *                        points_confirmed, points_reverted, farmers_online (farmers with a partial received in
 *                        that hour), estimated_space (bytes, from points_submitted * 24 as points per day)
 *   pool_online_hourly   (hour, launcher_id) PK: who was online, kept for the retention window only
 *   pool_stats_meta      id PK (always 1), position, ledger_time
 */
export const POOL_STATS_TABLES: readonly TableSpec[] = [
  {
    name: 'pool_stats_hourly',
    columns: `hour bigint NOT NULL,
      partials_submitted integer NOT NULL, partials_confirmed integer NOT NULL, partials_reverted integer NOT NULL,
      points_submitted bigint NOT NULL, points_confirmed bigint NOT NULL, points_reverted bigint NOT NULL,
      farmers_online integer NOT NULL, estimated_space bigint NOT NULL`,
    primaryKey: ['hour'],
  },
  {
    name: 'pool_online_hourly',
    columns: 'hour bigint NOT NULL, launcher_id varchar(64) NOT NULL',
    primaryKey: ['hour', 'launcher_id'],
  },
  metaTable('pool_stats_meta'),
];

const STATS: Columns = {
  hour: 'int',
  partials_submitted: 'int',
  partials_confirmed: 'int',
  partials_reverted: 'int',
  points_submitted: 'big',
  points_confirmed: 'big',
  points_reverted: 'big',
  farmers_online: 'int',
  estimated_space: 'big',
};

const ONLINE: Columns = { hour: 'int', launcher_id: 'text' };

/**
 * Each event counts in the hour of its own time. farmers_online is recounted from pool_online_hourly for the
 * hours a batch touched; a submission older than the retention cut-off (where it sits in the ledger) no
 * longer counts as online, because the rows it would be compared with may already be gone.
 */
export function createPoolStatsProjection(options: ViewProjectionOptions = {}): Projection<PartialEvent> {
  const retention = retentionOf(options);
  const space = options.space ?? MAINNET_SPACE_CONSTANTS;
  return {
    name: 'pool_stats',
    version: 1,
    rebuildWeight: 1.0,
    handles: PARTIAL_EVENT_TYPES,
    tables: POOL_STATS_TABLES,
    async apply(batch, context) {
      const meta = await readMeta(context, 'pool_stats_meta');
      const events = unseen(batch, meta);
      if (events.length === 0) return;
      const { sql } = context;
      const statsTable = context.table('pool_stats_hourly');
      const onlineTable = context.table('pool_online_hourly');

      let clock = meta.ledgerTime;
      const hours = new Set<number>();
      const times = events.map((event) => {
        const time = ledgerTimeOf(event) ?? clock;
        clock = Math.max(clock, time);
        hours.add(hourOf(time));
        return { time, clock };
      });
      const stats = await loadRows(sql, statsTable, STATS, 'hour', hours);
      const online = new Map<string, Row>();
      const onlineHours = new Set<number>();
      events.forEach((event, i) => {
        const { time, clock: at } = times[i]!;
        const hour = hourOf(time);
        let row = stats.get(String(hour));
        if (!row) {
          row = { hour, partials_submitted: 0, partials_confirmed: 0, partials_reverted: 0, points_submitted: 0n, points_confirmed: 0n, points_reverted: 0n, farmers_online: 0, estimated_space: 0n };
          stats.set(String(hour), row);
        }
        const points = BigInt(event.data.points);
        if (event.type === 'PartialSubmitted') {
          row.partials_submitted = int(row.partials_submitted) + 1;
          row.points_submitted = big(row.points_submitted) + points;
          if (hour >= hourOf(at - retention)) {
            online.set(`${hour}|${event.data.launcherId}`, { hour, launcher_id: event.data.launcherId });
            onlineHours.add(hour);
          }
        } else if (event.type === 'PartialConfirmed') {
          row.partials_confirmed = int(row.partials_confirmed) + 1;
          row.points_confirmed = big(row.points_confirmed) + points;
        } else {
          row.partials_reverted = int(row.partials_reverted) + 1;
          row.points_reverted = big(row.points_reverted) + points;
        }
      });
      await upsertRows(sql, onlineTable, ONLINE, ['hour', 'launcher_id'], [...online.values()], { kind: 'ignore' });
      const counted = [...onlineHours];
      for (let i = 0; i < counted.length; i += 900) {
        const chunk = counted.slice(i, i + 900);
        const counts = await sql.query<{ hour: unknown; n: unknown }>(
          `SELECT hour, count(*) AS n FROM ${onlineTable} WHERE hour IN (${chunk.map(() => '?').join(', ')}) GROUP BY hour`,
          chunk,
        );
        for (const { hour, n } of counts) stats.get(String(Number(hour)))!.farmers_online = Number(n);
      }
      for (const row of stats.values()) {
        // An hour's submitted points times 24 is the day rate the space estimate is defined on.
        row.estimated_space = estimatedSpaceFromPointsPerDay(big(row.points_submitted) * 24n, space);
      }
      await upsertRows(sql, statsTable, STATS, ['hour'], [...stats.values()], { kind: 'replace' });
      const cutoff = hourOf(clock - retention);
      if (cutoff > hourOf(meta.ledgerTime - retention)) await sql.query(`DELETE FROM ${onlineTable} WHERE hour < ?`, [cutoff]);
      await writeMeta(context, 'pool_stats_meta', { ...meta, position: events[events.length - 1]!.position, ledgerTime: clock });
    },
  };
}

export const poolStatsProjection: Projection = createPoolStatsProjection();
