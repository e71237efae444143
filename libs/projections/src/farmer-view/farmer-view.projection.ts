import {
  estimatedSpaceFromPoints,
  farmingSpanSeconds,
  foldFarmerPoints,
  hourOf,
  ledgerTimeOf,
  MAINNET_SPACE_CONSTANTS,
  PARTIAL_EVENT_TYPES,
  FARMER_EVENT_TYPES,
  SECONDS_PER_DAY,
  SECONDS_PER_HOUR,
  PAYOUT_EVENT_TYPES,
  type FarmerEvent,
  type PartialEvent,
  type PayoutEvent,
  type SpaceEstimateConstants,
} from '@pool/domain';
import type { Projection, ProjectionContext } from '@pool/read-models';
import { FARMER, FARMER_VIEW_TABLES, HOURLY, WINDOW_META } from './farmer-view.tables';
import { WindowFold } from './points-window';
import {
  big,
  int,
  loadRows,
  readMeta,
  selectRows,
  unseen,
  upsertRows,
  writeMeta,
  type Columns,
  type Row,
} from '@pool/read-models';

export interface ViewProjectionOptions {
  /** How long per-partial and per-hour detail is kept, by ledger time (seconds; at least one day). */
  retentionSeconds?: number;
  /** Chain constants for the space estimate (mainnet by default; the devnet has its own). */
  space?: SpaceEstimateConstants;
}

export const DEFAULT_RETENTION_SECONDS = 7 * SECONDS_PER_DAY;

export function retentionOf(options: ViewProjectionOptions): number {
  const retention = options.retentionSeconds ?? DEFAULT_RETENTION_SECONDS;
  // The farmer view's last-24-hours figures are summed from the hourly detail, so it must outlive them.
  if (!Number.isInteger(retention) || retention < SECONDS_PER_DAY) throw new RangeError(`retention must be at least ${SECONDS_PER_DAY} s, got ${retention}`);
  return retention;
}

/**
 * The newest time among a rebuild's newest events of the given types (ProjectionContext.newestEvents), as the
 * projection's clock reads an event's time (`timeOf`, ledger time by default): a projection whose clock is the newest
 * time of those types it has applied ends the rebuild with its clock at least there. 0 when following live.
 */
export function rebuildReach(
  context: ProjectionContext,
  handles: readonly string[],
  timeOf: (event: { type: string; data: unknown }) => number | undefined = ledgerTimeOf,
): number {
  let reach = 0;
  for (const event of context.newestEvents ?? []) {
    const time = handles.includes(event.type) ? timeOf(event) : undefined;
    if (typeof time === 'number' && Number.isFinite(time)) reach = Math.max(reach, time);
  }
  return reach;
}

const newFarmer = (launcherId: string): Row => ({
  launcher_id: launcherId,
  difficulty: null,
  membership: 'member',
  left_at: null,
  left_reason: null,
  payout_instructions: null,
  payout_puzzle_hash: null,
  protocol_version: null,
  registered_at: null,
  updated_at: null,
  pending_points: 0n,
  confirmed_points: 0n,
  reverted_points: 0n,
  window_points: 0n,
  last_payout_sequence: null,
  last_partial_at: null,
  partials_24h_submitted: 0,
  partials_24h_confirmed: 0,
  partials_24h_reverted: 0,
  points_24h: 0n,
  estimated_space: 0n,
  display_name: null,
  minimum_payout: null,
});

type ViewEvent = FarmerEvent | PartialEvent | PayoutEvent;

/** Adds the farmers `event` touches to `into` (no array per event: batches hold tens of thousands). */
function addLaunchers(into: Set<string>, event: ViewEvent): void {
  if (event.type === 'PayoutPlanned') {
    for (const a of event.data.allocations) into.add(a.launcherId);
    for (const c of event.data.carried) into.add(c.launcherId);
  } else if (event.type !== 'PayoutSigned' && event.type !== 'PayoutFeeBumped' && event.type !== 'PayoutSent' && event.type !== 'PayoutConfirmed' && event.type !== 'PayoutFailed' && event.type !== 'PayoutResolved') {
    into.add(event.data.launcherId);
  }
}

/** Applies one farmer event to the farmer rows it touches (all loaded beforehand); points come from foldFarmerPoints. */
function evolveFarmer(rows: Map<string, Row>, event: ViewEvent, time: number): void {
  const row = (id: string): Row => {
    let r = rows.get(id);
    if (!r) rows.set(id, (r = newFarmer(id)));
    return r;
  };
  switch (event.type) {
    case 'FarmerRegistered': {
      const r = row(event.data.launcherId);
      Object.assign(r, {
        difficulty: BigInt(event.data.difficulty),
        membership: 'member',
        left_at: null,
        left_reason: null,
        payout_instructions: event.data.payoutInstructions,
        payout_puzzle_hash: event.data.payoutPuzzleHash,
        protocol_version: event.data.protocolVersion,
        registered_at: r.registered_at ?? Math.floor(event.data.registeredAt),
        updated_at: time,
      });
      break;
    }
    case 'FarmerUpdated': {
      const r = row(event.data.launcherId);
      if (event.data.payoutInstructions !== undefined) r.payout_instructions = event.data.payoutInstructions;
      if (event.data.payoutPuzzleHash !== undefined) r.payout_puzzle_hash = event.data.payoutPuzzleHash;
      r.updated_at = time;
      break;
    }
    case 'DifficultyChanged':
      Object.assign(row(event.data.launcherId), { difficulty: BigInt(event.data.to), updated_at: time });
      break;
    case 'FarmerLeftPool':
      Object.assign(row(event.data.launcherId), { membership: 'left', left_at: time, left_reason: event.data.reason, updated_at: time });
      break;
    case 'FarmerRejoinedPool':
      Object.assign(row(event.data.launcherId), { membership: 'member', left_at: null, left_reason: null, updated_at: time });
      break;
    case 'FarmerDisplayNameSet':
      Object.assign(row(event.data.launcherId), { display_name: event.data.displayName, updated_at: time });
      break;
    case 'FarmerMinimumPayoutSet':
      Object.assign(row(event.data.launcherId), { minimum_payout: event.data.minimumPayout === null ? null : BigInt(event.data.minimumPayout), updated_at: time });
      break;
    default:
      break;
  }
}

/** Adds the batch's points and partial times, by the domain's one points fold (as farmer_points does). */
function addFarmerPoints(rows: Map<string, Row>, events: readonly ViewEvent[]): void {
  const partials = events.filter((e): e is PartialEvent => PARTIAL_TYPES.has(e.type));
  for (const [id, d] of foldFarmerPoints(partials)) {
    let r = rows.get(id);
    if (!r) rows.set(id, (r = newFarmer(id)));
    r.pending_points = big(r.pending_points) + d.pendingPoints;
    r.confirmed_points = big(r.confirmed_points) + d.confirmedPoints;
    r.reverted_points = big(r.reverted_points) + d.revertedPoints;
    if (d.lastPartialAt !== null) r.last_partial_at = Math.max(int(r.last_partial_at), d.lastPartialAt);
  }
}

const PARTIAL_TYPES: ReadonlySet<string> = new Set(PARTIAL_EVENT_TYPES);

function hourlyDelta(deltas: Map<string, Map<number, Row>>, launcherId: string, hour: number): Row {
  let hours = deltas.get(launcherId);
  if (!hours) deltas.set(launcherId, (hours = new Map()));
  let d = hours.get(hour);
  if (!d) {
    d = { launcher_id: launcherId, hour, submitted: 0, confirmed: 0, reverted: 0, points: 0n, confirmed_points: 0n, reverted_points: 0n };
    hours.set(hour, d);
  }
  return d;
}

/** farmer_view as a projection; options fix the retention and the chain constants of the space estimate. */
export function createFarmerViewProjection(options: ViewProjectionOptions = {}): Projection<ViewEvent> {
  const retention = retentionOf(options);
  const space = options.space ?? MAINNET_SPACE_CONSTANTS;
  return {
    name: 'farmer_view',
    // 2: a payout confirmed after it was abandoned takes the returned balance back.
    // 3: balances by the domain's payout window fold, which keeps returns after a plan's position (window_returns).
    // 4: estimated space over the time a farmer has been registered when that is under a day.
    // 5: the farmer area's settings: display_name (the leaderboard's) and minimum_payout (the farmer's own).
    version: 5,
    rebuildWeight: 4.5,
    handles: [...FARMER_EVENT_TYPES, ...PARTIAL_EVENT_TYPES, ...PAYOUT_EVENT_TYPES],
    tables: FARMER_VIEW_TABLES,
    async apply(batch, context) {
      const meta = await readMeta(context, 'farmer_view_meta', WINDOW_META);
      const events = unseen(batch, meta);
      if (events.length === 0) return;
      const { sql } = context;
      const view = context.table('farmer_view');
      const hourly = context.table('farmer_hourly');
      const previousHour = hourOf(meta.ledgerTime);

      const windows = await WindowFold.load(context, meta.extra, events);
      const touched = new Set<string>();
      for (const e of events) addLaunchers(touched, e);
      for (const id of windows.balances().keys()) touched.add(id);
      const rows = await loadRows(sql, view, FARMER, 'launcher_id', touched);
      const deltas = new Map<string, Map<number, Row>>();
      let clock = meta.ledgerTime;
      for (const event of events) {
        const time = ledgerTimeOf(event) ?? clock;
        clock = Math.max(clock, time);
        evolveFarmer(rows, event, time);
        windows.apply(event);
        // Hourly detail older than the retention cut-off (at this point of the ledger) is not kept.
        const hour = hourOf(time);
        if (hour < hourOf(clock - retention)) continue;
        if (event.type === 'PartialSubmitted') {
          const d = hourlyDelta(deltas, event.data.launcherId, hour);
          d.submitted = int(d.submitted) + 1;
          d.points = big(d.points) + BigInt(event.data.points);
        } else if (event.type === 'PartialConfirmed') {
          const d = hourlyDelta(deltas, event.data.launcherId, hour);
          d.confirmed = int(d.confirmed) + 1;
          d.confirmed_points = big(d.confirmed_points) + BigInt(event.data.points);
        } else if (event.type === 'PartialReverted') {
          const d = hourlyDelta(deltas, event.data.launcherId, hour);
          d.reverted = int(d.reverted) + 1;
          d.reverted_points = big(d.reverted_points) + BigInt(event.data.points);
        }
      }
      addFarmerPoints(rows, events);
      for (const [id, b] of windows.balances()) {
        const row = rows.get(id) ?? newFarmer(id);
        rows.set(id, row);
        row.window_points = b.window_points;
        row.last_payout_sequence = b.last_payout_sequence;
      }
      await windows.save();
      await upsertRows(sql, hourly, HOURLY, ['launcher_id', 'hour'], [...deltas.values()].flatMap((hours) => [...hours.values()]), {
        kind: 'add',
        columns: ['submitted', 'confirmed', 'reverted', 'points', 'confirmed_points', 'reverted_points'],
      });

      // Last 24 h = the 24 ledger hours ending with the newest one seen. When that hour moves, every farmer's
      // figures can change; otherwise only the farmers this batch touched and the young ones (below).
      const since = hourOf(clock) - 23 * SECONDS_PER_HOUR;
      const hourMoved = hourOf(clock) !== previousHour;
      // A farmer registered less than a day ago has its estimate divided by its time in the pool, which grows with
      // the clock: every such farmer is recomputed with every batch, so any batching ends on the same figures.
      const young = await selectRows(sql, { launcher_id: 'text' }, `${view} WHERE registered_at > ?`, [meta.ledgerTime - SECONDS_PER_DAY]);
      const youngIds = young.map((r) => String(r.launcher_id)).filter((id) => !touched.has(id));
      for (const [id, row] of await loadRows(sql, view, FARMER, 'launcher_id', youngIds.filter((id) => !rows.has(id)))) rows.set(id, row);
      const sums = await last24Hours(sql, hourly, since, hourMoved ? undefined : [...touched, ...youngIds]);
      if (hourMoved) {
        const stale = await selectRows(
          sql,
          { launcher_id: 'text' },
          `${view} WHERE partials_24h_submitted <> 0 OR partials_24h_confirmed <> 0 OR partials_24h_reverted <> 0 OR points_24h <> 0`,
        );
        const missing = [...stale.map((r) => String(r.launcher_id)), ...sums.keys()].filter((id) => !rows.has(id));
        for (const [id, row] of await loadRows(sql, view, FARMER, 'launcher_id', missing)) rows.set(id, row);
      }
      const affected = hourMoved ? [...rows.keys()] : [...touched, ...youngIds];
      for (const id of affected) {
        const row = rows.get(id)!;
        const sum = sums.get(id);
        row.partials_24h_submitted = sum?.submitted ?? 0;
        row.partials_24h_confirmed = sum?.confirmed ?? 0;
        row.partials_24h_reverted = sum?.reverted ?? 0;
        row.points_24h = sum?.points ?? 0n;
        row.estimated_space = estimatedSpaceFromPoints(big(row.points_24h), farmingSpanSeconds(row.registered_at === null ? null : int(row.registered_at), clock), space);
      }
      await upsertRows(sql, view, FARMER, ['launcher_id'], [...rows.values()], { kind: 'replace' });

      if (hourOf(clock - retention) > hourOf(meta.ledgerTime - retention)) {
        await sql.query(`DELETE FROM ${hourly} WHERE hour < ?`, [hourOf(clock - retention)]);
      }
      await writeMeta(
        context,
        'farmer_view_meta',
        { position: events[events.length - 1]!.position, ledgerTime: clock, extra: windows.meta() },
        WINDOW_META,
      );
    },
  };
}

interface Sums {
  submitted: number;
  confirmed: number;
  reverted: number;
  points: bigint;
}

async function last24Hours(sql: ProjectionContext['sql'], hourly: string, since: number, only: string[] | undefined): Promise<Map<string, Sums>> {
  const sums = new Map<string, Sums>();
  const columns: Columns = { launcher_id: 'text', submitted: 'int', confirmed: 'int', reverted: 'int', points: 'big' };
  const query = (filter: string, params: unknown[]): Promise<Row[]> =>
    sql
      .query(
        `SELECT launcher_id, sum(submitted) AS submitted, sum(confirmed) AS confirmed, sum(reverted) AS reverted,
           CAST(sum(points) AS TEXT) AS points
         FROM ${hourly} WHERE hour >= ?${filter} GROUP BY launcher_id`,
        params,
      )
      .then((raws) => raws.map((raw) => Object.fromEntries(Object.entries(columns).map(([k, kind]) => [k, kind === 'big' ? BigInt(String(raw[k] ?? 0)) : kind === 'int' ? Number(raw[k] ?? 0) : String(raw[k])]))));
  const chunks: Row[][] = [];
  if (only === undefined) chunks.push(await query('', [since]));
  else {
    for (let i = 0; i < only.length; i += 900) {
      const chunk = only.slice(i, i + 900);
      if (chunk.length > 0) chunks.push(await query(` AND launcher_id IN (${chunk.map(() => '?').join(', ')})`, [since, ...chunk]));
    }
  }
  for (const row of chunks.flat()) {
    sums.set(String(row.launcher_id), { submitted: int(row.submitted), confirmed: int(row.confirmed), reverted: int(row.reverted), points: big(row.points) });
  }
  return sums;
}

export const farmerViewProjection: Projection = createFarmerViewProjection();
