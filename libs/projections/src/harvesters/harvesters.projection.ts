import {
  decodePoolEvent,
  estimatedSpaceFromPoints,
  farmingSpanSeconds,
  hourOf,
  ledgerTimeOf,
  MAINNET_SPACE_CONSTANTS,
  PARTIAL_EVENT_TYPES,
  PARTIAL_HEADER_MAX_LENGTH,
  SECONDS_PER_DAY,
  SECONDS_PER_HOUR,
  type PartialEvent,
} from '@pool/domain';
import type { RecordedEventOf } from '@pool/event-sourcing';
import { big, int, loadRows, metaTable, readMeta, selectRows, unseen, upsertRows, writeMeta, type Columns, type Projection, type ProjectionContext, type Row, type TableSpec } from '@pool/read-models';
import { retentionOf, type ViewProjectionOptions } from '../farmer-view/farmer-view.projection';

/**
 * harvesters: each farmer's harvesters, from the harvester id signed into every partial (PartialSubmitted schema 2).
 * Partials recorded before schema 2 name no harvester: they count in the farmer's own figures, not here.
 *
 * Tables:
 *   harvesters          (launcher_id, harvester_id) PK, first_seen_at, last_seen_at (received times),
 *                       partials_submitted, partials_confirmed, partials_reverted, submitted_points,
 *                       confirmed_points, reverted_points (all time), plot_sizes (the k values seen, e.g. "32,33"),
 *                       farmer_version, harvester_version, user_agent (the last sent), partials_24h, points_24h,
 *                       estimated_space (as farmer_view's: submitted points of the 24 ledger hours ending with the
 *                       newest one seen, over the time since first_seen_at when that is under a day, through
 *                       libs/domain views/space-estimate.ts)
 *   harvester_hourly    (launcher_id, harvester_id, hour) PK, submitted, points: for the 24 h figures; kept for the
 *                       retention window
 *   harvester_partials  proof_hash PK, launcher_id, harvester_id, received_at: which harvester a partial came from,
 *                       so that its confirm or revert (which name no harvester) is counted there. Kept for the
 *                       retention window; a confirm or revert of a partial received before the cut-off at its own
 *                       place in the ledger is not attributed (settlement comes minutes after submission, reorgs
 *                       within the hour, the retention is at least a day), whatever the batch boundaries.
 *   harvesters_meta     id PK (always 1), position, ledger_time
 */
export const HARVESTERS_TABLES: readonly TableSpec[] = [
  {
    name: 'harvesters',
    columns: `launcher_id varchar(64) NOT NULL, harvester_id varchar(64) NOT NULL,
      first_seen_at bigint NOT NULL, last_seen_at bigint NOT NULL,
      partials_submitted integer NOT NULL, partials_confirmed integer NOT NULL, partials_reverted integer NOT NULL,
      submitted_points bigint NOT NULL, confirmed_points bigint NOT NULL, reverted_points bigint NOT NULL,
      plot_sizes varchar(200) NOT NULL,
      farmer_version varchar(${PARTIAL_HEADER_MAX_LENGTH}), harvester_version varchar(${PARTIAL_HEADER_MAX_LENGTH}),
      user_agent varchar(${PARTIAL_HEADER_MAX_LENGTH}),
      partials_24h integer NOT NULL, points_24h bigint NOT NULL, estimated_space bigint NOT NULL`,
    primaryKey: ['launcher_id', 'harvester_id'],
    foldIndexes: [['first_seen_at']],
  },
  {
    name: 'harvester_hourly',
    columns: `launcher_id varchar(64) NOT NULL, harvester_id varchar(64) NOT NULL, hour bigint NOT NULL,
      submitted integer NOT NULL, points bigint NOT NULL`,
    primaryKey: ['launcher_id', 'harvester_id', 'hour'],
  },
  {
    name: 'harvester_partials',
    columns: `proof_hash varchar(64) NOT NULL, launcher_id varchar(64) NOT NULL, harvester_id varchar(64) NOT NULL,
      received_at bigint NOT NULL`,
    primaryKey: ['proof_hash'],
    foldIndexes: [['received_at']],
  },
  metaTable('harvesters_meta'),
];

export const HARVESTER: Columns = {
  launcher_id: 'text',
  harvester_id: 'text',
  first_seen_at: 'int',
  last_seen_at: 'int',
  partials_submitted: 'int',
  partials_confirmed: 'int',
  partials_reverted: 'int',
  submitted_points: 'big',
  confirmed_points: 'big',
  reverted_points: 'big',
  plot_sizes: 'text',
  farmer_version: 'text',
  harvester_version: 'text',
  user_agent: 'text',
  partials_24h: 'int',
  points_24h: 'big',
  estimated_space: 'big',
};

const HOURLY: Columns = { launcher_id: 'text', harvester_id: 'text', hour: 'int', submitted: 'int', points: 'big' };
const ORIGIN: Columns = { proof_hash: 'text', launcher_id: 'text', harvester_id: 'text', received_at: 'int' };

const keyOf = (launcherId: string, harvesterId: string): string => `${launcherId}|${harvesterId}`;

const newHarvester = (launcherId: string, harvesterId: string, time: number): Row => ({
  launcher_id: launcherId,
  harvester_id: harvesterId,
  first_seen_at: time,
  last_seen_at: time,
  partials_submitted: 0,
  partials_confirmed: 0,
  partials_reverted: 0,
  submitted_points: 0n,
  confirmed_points: 0n,
  reverted_points: 0n,
  plot_sizes: '',
  farmer_version: null,
  harvester_version: null,
  user_agent: null,
  partials_24h: 0,
  points_24h: 0n,
  estimated_space: 0n,
});

/** "32,33": the plot sizes a harvester's partials came from, ascending. */
function withPlotSize(sizes: string, size: number): string {
  // Almost every partial comes from a size the harvester has sent before: no parse, sort or join for it.
  if (`,${sizes},`.includes(`,${size},`)) return sizes;
  const all = new Set(sizes === '' ? [] : sizes.split(',').map(Number));
  all.add(size);
  return [...all].sort((a, b) => a - b).join(',');
}

/** Every harvester row of these farmers (a farmer has a few harvesters: loaded whole, by launcher). */
async function loadHarvesters(sql: ProjectionContext['sql'], table: string, launcherIds: Iterable<string>): Promise<Map<string, Row>> {
  const ids = [...new Set(launcherIds)];
  const rows = new Map<string, Row>();
  for (let i = 0; i < ids.length; i += 900) {
    const chunk = ids.slice(i, i + 900);
    for (const row of await selectRows(sql, HARVESTER, `${table} WHERE launcher_id IN (${chunk.map(() => '?').join(', ')})`, chunk)) {
      rows.set(keyOf(String(row.launcher_id), String(row.harvester_id)), row);
    }
  }
  return rows;
}

/** Submitted partials and points per harvester since `since` (the farmers named, or every farmer). */
async function last24Hours(sql: ProjectionContext['sql'], hourly: string, since: number, only: string[] | undefined): Promise<Map<string, { partials: number; points: bigint }>> {
  const sums = new Map<string, { partials: number; points: bigint }>();
  const query = async (filter: string, params: unknown[]): Promise<void> => {
    const rows = await sql.query(
      `SELECT launcher_id, harvester_id, sum(submitted) AS submitted, CAST(sum(points) AS TEXT) AS points
       FROM ${hourly} WHERE hour >= ?${filter} GROUP BY launcher_id, harvester_id`,
      params,
    );
    for (const r of rows) sums.set(keyOf(String(r.launcher_id), String(r.harvester_id)), { partials: Number(r.submitted ?? 0), points: BigInt(String(r.points ?? 0)) });
  };
  if (only === undefined) await query('', [since]);
  else {
    for (let i = 0; i < only.length; i += 900) {
      const chunk = only.slice(i, i + 900);
      if (chunk.length > 0) await query(` AND launcher_id IN (${chunk.map(() => '?').join(', ')})`, [since, ...chunk]);
    }
  }
  return sums;
}

/** harvesters as a projection; options fix the retention and the chain constants of the space estimate (as farmer_view's). */
export function createHarvestersProjection(options: ViewProjectionOptions = {}): Projection<PartialEvent> {
  const retention = retentionOf(options);
  const space = options.space ?? MAINNET_SPACE_CONSTANTS;
  const cutoffAt = (clock: number): number => hourOf(clock - retention);
  return {
    name: 'harvesters',
    // 2: estimated space over the time since a harvester was first seen when that is under a day.
    version: 2,
    rebuildWeight: 5.2,
    handles: PARTIAL_EVENT_TYPES,
    tables: HARVESTERS_TABLES,
    async apply(batch, context) {
      const meta = await readMeta(context, 'harvesters_meta');
      const recorded = unseen(batch, meta);
      if (recorded.length === 0) return;
      const { sql } = context;
      const table = context.table('harvesters');
      const hourlyTable = context.table('harvester_hourly');
      const originTable = context.table('harvester_partials');
      // Decoded, so that partials recorded before schema 2 read with a null harvester id.
      const events = recorded.map((e) => ({ ...e, ...(decodePoolEvent(e) as PartialEvent) }) as RecordedEventOf<PartialEvent>);

      // Which harvester each settled partial came from: this batch's submissions, and the earlier ones still kept.
      const submittedHere = new Set(events.filter((e) => e.type === 'PartialSubmitted').map((e) => e.data.proofHash));
      const origins = await loadRows(
        sql,
        originTable,
        ORIGIN,
        'proof_hash',
        events.filter((e) => e.type !== 'PartialSubmitted' && !submittedHere.has(e.data.proofHash)).map((e) => e.data.proofHash),
      );
      const newOrigins: Row[] = [];
      const touched = new Set<string>();
      for (const e of events) if (e.type === 'PartialSubmitted' && e.data.harvesterId !== null) touched.add(e.data.launcherId);
      for (const origin of origins.values()) touched.add(String(origin.launcher_id));
      const rows = await loadHarvesters(sql, table, touched);
      const harvester = (launcherId: string, harvesterId: string, time: number): Row => {
        const key = keyOf(launcherId, harvesterId);
        let row = rows.get(key);
        if (!row) rows.set(key, (row = newHarvester(launcherId, harvesterId, time)));
        return row;
      };
      const deltas = new Map<string, Row>();
      const hourlyDelta = (launcherId: string, harvesterId: string, hour: number): Row => {
        const key = `${keyOf(launcherId, harvesterId)}|${hour}`;
        let d = deltas.get(key);
        if (!d) deltas.set(key, (d = { launcher_id: launcherId, harvester_id: harvesterId, hour, submitted: 0, points: 0n }));
        return d;
      };

      let clock = meta.ledgerTime;
      for (const event of events) {
        const time = ledgerTimeOf(event) ?? clock;
        clock = Math.max(clock, time);
        const cutoff = cutoffAt(clock);
        const points = BigInt(event.data.points);
        if (event.type === 'PartialSubmitted') {
          const { launcherId, harvesterId, proofHash } = event.data;
          if (harvesterId === null) continue;
          const h = harvester(launcherId, harvesterId, time);
          h.partials_submitted = int(h.partials_submitted) + 1;
          h.submitted_points = big(h.submitted_points) + points;
          h.first_seen_at = Math.min(int(h.first_seen_at), time);
          h.last_seen_at = Math.max(int(h.last_seen_at), time);
          h.plot_sizes = withPlotSize(String(h.plot_sizes ?? ''), event.data.plotSize);
          // The last version each header named (a farmer that stops sending one keeps the last it sent).
          h.farmer_version = event.data.farmerVersion ?? h.farmer_version ?? null;
          h.harvester_version = event.data.harvesterVersion ?? h.harvester_version ?? null;
          h.user_agent = event.data.userAgent ?? h.user_agent ?? null;
          if (time < cutoff) continue;
          const origin = { proof_hash: proofHash, launcher_id: launcherId, harvester_id: harvesterId, received_at: time };
          origins.set(proofHash, origin);
          newOrigins.push(origin);
          const d = hourlyDelta(launcherId, harvesterId, hourOf(time));
          d.submitted = int(d.submitted) + 1;
          d.points = big(d.points) + points;
          continue;
        }
        const origin = origins.get(event.data.proofHash);
        if (!origin || int(origin.received_at) < cutoff) continue;
        const h = harvester(String(origin.launcher_id), String(origin.harvester_id), int(origin.received_at));
        if (event.type === 'PartialConfirmed') {
          h.partials_confirmed = int(h.partials_confirmed) + 1;
          h.confirmed_points = big(h.confirmed_points) + points;
        } else {
          h.partials_reverted = int(h.partials_reverted) + 1;
          h.reverted_points = big(h.reverted_points) + points;
        }
      }

      const cutoff = cutoffAt(clock);
      await upsertRows(sql, originTable, ORIGIN, ['proof_hash'], newOrigins.filter((o) => int(o.received_at) >= cutoff), { kind: 'ignore' });
      await upsertRows(sql, hourlyTable, HOURLY, ['launcher_id', 'harvester_id', 'hour'], [...deltas.values()].filter((d) => int(d.hour) >= cutoff), {
        kind: 'add',
        columns: ['submitted', 'points'],
      });
      if (cutoff > cutoffAt(meta.ledgerTime)) {
        await sql.query(`DELETE FROM ${originTable} WHERE received_at < ?`, [cutoff]);
        await sql.query(`DELETE FROM ${hourlyTable} WHERE hour < ?`, [cutoff]);
      }

      // Last 24 h, as farmer_view: when the newest hour moves every harvester's figures can change; otherwise only
      // the farmers this batch touched.
      const since = hourOf(clock) - 23 * SECONDS_PER_HOUR;
      const hourMoved = hourOf(clock) !== hourOf(meta.ledgerTime);
      // A harvester first seen less than a day ago has its estimate divided by the time since (farmer_view's rule for
      // young farmers): its farmer's harvesters are recomputed with every batch, so any batching ends the same.
      const young = await selectRows(sql, { launcher_id: 'text' }, `${table} WHERE first_seen_at > ?`, [meta.ledgerTime - SECONDS_PER_DAY]);
      const youngIds = [...new Set(young.map((r) => String(r.launcher_id)))].filter((id) => !touched.has(id));
      for (const [key, row] of await loadHarvesters(sql, table, youngIds)) if (!rows.has(key)) rows.set(key, row);
      const sums = await last24Hours(sql, hourlyTable, since, hourMoved ? undefined : [...touched, ...youngIds]);
      if (hourMoved) {
        const stale = await selectRows(sql, { launcher_id: 'text' }, `${table} WHERE partials_24h <> 0 OR points_24h <> 0`);
        const missing = [...stale.map((r) => String(r.launcher_id)), ...[...sums.keys()].map((key) => key.split('|')[0]!)].filter((id) => !touched.has(id));
        for (const [key, row] of await loadHarvesters(sql, table, missing)) if (!rows.has(key)) rows.set(key, row);
      }
      for (const [key, row] of rows) {
        const sum = sums.get(key);
        row.partials_24h = sum?.partials ?? 0;
        row.points_24h = sum?.points ?? 0n;
        row.estimated_space = estimatedSpaceFromPoints(big(row.points_24h), farmingSpanSeconds(int(row.first_seen_at), clock), space);
      }
      await upsertRows(sql, table, HARVESTER, ['launcher_id', 'harvester_id'], [...rows.values()], { kind: 'replace' });
      await writeMeta(context, 'harvesters_meta', { ...meta, position: recorded[recorded.length - 1]!.position, ledgerTime: clock });
    },
  };
}

export const harvestersProjection: Projection = createHarvestersProjection();
