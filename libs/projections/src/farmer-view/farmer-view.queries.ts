import type { ReadModelDatabase } from '@pool/read-models';
import type { PartialCounts, PartialDay } from '../partial-history/partial-history.queries';
import { whereClause } from '../read-support/paging';
import { num, numOrNull, readRows, str, strOrNull, sumText, text, type ReadRow } from '../read-support/read-rows';
import { FARMER_VIEW_TABLES } from './farmer-view.tables';

/** What farmer_view knows of one farmer. Points, mojos and bytes are decimal strings. */
export interface FarmerViewRecord {
  launcherId: string;
  membership: string;
  leftAt: number | null;
  leftReason: string | null;
  difficulty: string | null;
  payoutInstructions: string | null;
  payoutPuzzleHash: string | null;
  protocolVersion: number | null;
  registeredAt: number | null;
  lastPartialAt: number | null;
  /** pending: accepted, not yet confirmed; inWindow: confirmed and not yet paid. */
  points: { pending: string; confirmed: string; reverted: string; inWindow: string; last24h: string };
  estimatedSpace: string;
  partials24h: PartialCounts;
  /** The name the farmer chose in its farmer area (shown as text only), null: none. */
  displayName: string | null;
  /** The farmer's own minimum payout in mojos; null: the pool's. */
  minimumPayout: string | null;
}

/** A farmer's balance in mojos, from the points window (farmer_balances, window_allocations). */
export interface FarmerBalanceView {
  carried: string;
  inFlight: string;
  paid: string;
  revertedAfterPayout: string;
  lastPayoutSequence: number | null;
  payoutsPlanned: number;
}

/** farmer_view's row of one farmer, undefined when the projections have never seen the launcher. */
export async function farmerRecord(readModels: ReadModelDatabase, launcherId: string): Promise<FarmerViewRecord | undefined> {
  const [row] = await readRows(
    readModels,
    `SELECT launcher_id, ${text('difficulty')}, membership, left_at, left_reason, payout_instructions, payout_puzzle_hash, protocol_version,
       registered_at, updated_at, ${text('pending_points')}, ${text('confirmed_points')}, ${text('reverted_points')}, ${text('window_points')},
       last_payout_sequence, last_partial_at, partials_24h_submitted, partials_24h_confirmed, partials_24h_reverted, ${text('points_24h')},
       ${text('estimated_space')}, display_name, ${text('minimum_payout')}
     FROM farmer_view WHERE launcher_id = ?`,
    [launcherId],
  );
  if (!row) return undefined;
  return {
    launcherId,
    membership: String(row.membership),
    leftAt: numOrNull(row.left_at),
    leftReason: strOrNull(row.left_reason),
    difficulty: strOrNull(row.difficulty),
    payoutInstructions: strOrNull(row.payout_instructions),
    payoutPuzzleHash: strOrNull(row.payout_puzzle_hash),
    protocolVersion: numOrNull(row.protocol_version),
    registeredAt: numOrNull(row.registered_at),
    lastPartialAt: numOrNull(row.last_partial_at),
    points: {
      pending: str(row.pending_points),
      confirmed: str(row.confirmed_points),
      reverted: str(row.reverted_points),
      inWindow: str(row.window_points),
      last24h: str(row.points_24h),
    },
    estimatedSpace: str(row.estimated_space),
    partials24h: { submitted: num(row.partials_24h_submitted), confirmed: num(row.partials_24h_confirmed), reverted: num(row.partials_24h_reverted) },
    displayName: strOrNull(row.display_name),
    minimumPayout: strOrNull(row.minimum_payout),
  };
}

/** Whether the projections have seen this launcher. */
export async function isKnownFarmer(readModels: ReadModelDatabase, launcherId: string): Promise<boolean> {
  return (await readRows(readModels, 'SELECT launcher_id FROM farmer_view WHERE launcher_id = ?', [launcherId])).length > 0;
}

export async function farmerBalance(readModels: ReadModelDatabase, launcherId: string): Promise<FarmerBalanceView> {
  const [[b], [inFlight]] = await Promise.all([
    readRows(
      readModels,
      `SELECT ${text('carried_mojos')}, ${text('paid_mojos')}, ${text('reverted_after_payout')}, last_payout_sequence, ${text('last_paid_points')},
         payouts_planned FROM farmer_balances WHERE launcher_id = ?`,
      [launcherId],
    ),
    readRows(readModels, `SELECT ${sumText('amount', 'amount')} FROM window_allocations WHERE launcher_id = ? AND status IN ('planned', 'sent')`, [launcherId]),
  ]);
  return {
    carried: str(b?.carried_mojos),
    inFlight: str(inFlight?.amount),
    paid: str(b?.paid_mojos),
    revertedAfterPayout: str(b?.reverted_after_payout),
    lastPayoutSequence: numOrNull(b?.last_payout_sequence),
    payoutsPlanned: num(b?.payouts_planned),
  };
}

/** A farmer's ledger hours within the retention window, oldest first. */
export async function farmerHours(readModels: ReadModelDatabase, launcherId: string): Promise<(Omit<PartialDay, 'day'> & { hour: number })[]> {
  const rows = await readRows(
    readModels,
    `SELECT hour, submitted, confirmed, reverted, ${text('points')}, ${text('confirmed_points')}, ${text('reverted_points')}
     FROM farmer_hourly WHERE launcher_id = ? ORDER BY hour`,
    [launcherId],
  );
  return rows.map((r) => ({
    hour: num(r.hour),
    partials: { submitted: num(r.submitted), confirmed: num(r.confirmed), reverted: num(r.reverted) },
    points: { submitted: str(r.points), confirmed: str(r.confirmed_points), reverted: str(r.reverted_points) },
  }));
}

export interface FarmerFigures {
  total: number;
  members: number;
  /** Farmers with a partial in the last 24 ledger hours. */
  active24h: number;
  estimatedSpace: string;
  points24h: string;
}

/** The pool's farmers in figures. */
export async function farmerFigures(readModels: ReadModelDatabase): Promise<FarmerFigures> {
  const [row] = await readRows(
    readModels,
    `SELECT count(*) AS farmers,
       SUM(CASE WHEN membership = 'member' THEN 1 ELSE 0 END) AS members,
       SUM(CASE WHEN partials_24h_submitted > 0 THEN 1 ELSE 0 END) AS active,
       ${sumText('estimated_space', 'space')}, ${sumText('points_24h', 'points_24h')}
     FROM farmer_view`,
  );
  return {
    total: num(row?.farmers),
    members: num(row?.members),
    active24h: num(row?.active),
    estimatedSpace: str(row?.space),
    points24h: str(row?.points_24h),
  };
}

/** The figures farmers can be ranked by (farmer_view columns). */
export const RANKED_FIGURES = ['points_24h', 'confirmed_points', 'window_points', 'estimated_space'] as const;
export type RankedFigure = (typeof RANKED_FIGURES)[number];

export interface RankedFarmerView {
  launcherId: string;
  displayName: string | null;
  membership: string;
  difficulty: string | null;
  points24h: string;
  confirmedPoints: string;
  windowPoints: string;
  estimatedSpace: string;
  partials24h: number;
  lastPartialAt: number | null;
}

export interface FarmerRanking {
  /** Farmers in all pages. */
  farmers: number;
  /** Sum of the ranked figure over every farmer. */
  total: bigint;
  /** The page's farmers, largest figure first (ties by launcher id), each with its figure. */
  rows: { farmer: RankedFarmerView; figure: bigint }[];
}

export async function farmerRanking(readModels: ReadModelDatabase, by: RankedFigure, limit: number, offset: number): Promise<FarmerRanking> {
  const [totals] = await readRows(readModels, `SELECT count(*) AS n, ${sumText(by, 'total')} FROM farmer_view`);
  // ORDER BY names the table's column: the bare name would sort by the text cast of the same name (SQLite).
  const rows = await readRows(
    readModels,
    `SELECT launcher_id, display_name, membership, difficulty, ${text('points_24h')}, ${text('confirmed_points')}, ${text('window_points')},
       ${text('estimated_space')}, partials_24h_submitted, last_partial_at
     FROM farmer_view ORDER BY farmer_view.${by} DESC, launcher_id ASC LIMIT ? OFFSET ?`,
    [limit, offset],
  );
  return {
    farmers: num(totals?.n),
    total: BigInt(str(totals?.total)),
    rows: rows.map((r) => ({
      farmer: {
        launcherId: String(r.launcher_id),
        displayName: strOrNull(r.display_name),
        membership: String(r.membership),
        difficulty: strOrNull(r.difficulty),
        points24h: str(r.points_24h),
        confirmedPoints: str(r.confirmed_points),
        windowPoints: str(r.window_points),
        estimatedSpace: str(r.estimated_space),
        partials24h: num(r.partials_24h_submitted),
        lastPartialAt: numOrNull(r.last_partial_at),
      },
      figure: BigInt(str(r[by])),
    })),
  };
}

/**
 * Where a farmer stands on the leaderboard by `by`: 1 + the farmers the leaderboard puts before it (a larger figure,
 * or the same figure and a smaller launcher id), out of every farmer; undefined for a farmer the pool does not know.
 */
export async function farmerRank(readModels: ReadModelDatabase, launcherId: string, by: RankedFigure): Promise<{ rank: number; farmers: number } | undefined> {
  const [row] = await readRows(
    readModels,
    `SELECT (SELECT count(*) FROM farmer_view f WHERE f.${by} > me.${by} OR (f.${by} = me.${by} AND f.launcher_id < me.launcher_id)) AS ahead,
       (SELECT count(*) FROM farmer_view) AS farmers
     FROM farmer_view me WHERE me.launcher_id = ?`,
    [launcherId],
  );
  return row ? { rank: num(row.ahead) + 1, farmers: num(row.farmers) } : undefined;
}

/** farmer_view columns the operator's list sorts by. */
export const FARMER_LIST_SORTS = [
  'confirmed_points',
  'pending_points',
  'window_points',
  'points_24h',
  'estimated_space',
  'difficulty',
  'last_partial_at',
  'registered_at',
  'launcher_id',
] as const;
export type FarmerListSort = (typeof FARMER_LIST_SORTS)[number];

export interface FarmerListFilter {
  /** Lower-case hex prefix of a launcher id or payout puzzle hash. */
  prefix?: string;
  membership?: 'member' | 'left';
}

function filterOf(filter: FarmerListFilter): { where: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.prefix !== undefined) {
    where.push('(launcher_id LIKE ? OR payout_puzzle_hash LIKE ?)');
    params.push(`${filter.prefix}%`, `${filter.prefix}%`);
  }
  if (filter.membership !== undefined) {
    where.push('membership = ?');
    params.push(filter.membership);
  }
  return { where: whereClause(where), params };
}

/** How many farmers the filter matches. */
export async function countFarmers(readModels: ReadModelDatabase, filter: FarmerListFilter): Promise<number> {
  const { where, params } = filterOf(filter);
  const [count] = await readRows(readModels, `SELECT count(*) AS n FROM farmer_view ${where}`, params);
  return Number(count?.n ?? 0);
}

/**
 * The columns of farmer_view as the projection declares them, with every bigint read as text: points and space
 * pass 2^53 (SQLite's driver would hand back a rounded JS number; PostgreSQL's returns text anyway).
 */
function selectList(): string {
  const spec = FARMER_VIEW_TABLES.find((t) => t.name === 'farmer_view');
  if (!spec) return '*';
  return spec.columns
    .split(',')
    .map((column) => column.trim().split(/\s+/))
    .filter(([name]) => name !== undefined && /^[a-z_0-9]+$/.test(name))
    .map(([name, type]) => (type?.toLowerCase() === 'bigint' ? `CAST(${name} AS TEXT) AS ${name}` : name!))
    .join(', ');
}

/** farmer_view rows as they are (every column), one page of the filtered list in the order asked. */
export async function listFarmerRows(
  readModels: ReadModelDatabase,
  filter: FarmerListFilter,
  page: { sort: FarmerListSort; order: 'asc' | 'desc'; limit: number; offset: number },
): Promise<Record<string, unknown>[]> {
  const { where, params } = filterOf(filter);
  const column = page.sort;
  // Ties (and NULLs, placed last either way) are broken by launcher id so pages never overlap. The table name
  // qualifies the sort column so it is the number, not the text alias of the select list.
  const rows: ReadRow[] = await readRows(
    readModels,
    `SELECT ${selectList()} FROM farmer_view ${where}
       ORDER BY CASE WHEN farmer_view.${column} IS NULL THEN 1 ELSE 0 END, farmer_view.${column} ${page.order}, farmer_view.launcher_id ASC
       LIMIT ${page.limit} OFFSET ${page.offset}`,
    params,
  );
  // Driver rows are not plain objects (the exact-JSON writer refuses those); copy them into plain ones.
  return rows.map((row) => ({ ...row }));
}
