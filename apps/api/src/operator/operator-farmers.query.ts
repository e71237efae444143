import { BadRequestException, ServiceUnavailableException } from '@nestjs/common';
import { FARMER_VIEW_TABLES } from '@pool/projections';
import { type ReadModelDatabase } from '@pool/read-models';

/** Sortable columns of farmer_view, by the name the query string uses. */
const SORTS: Readonly<Record<string, string>> = {
  confirmed_points: 'confirmed_points',
  pending_points: 'pending_points',
  window_points: 'window_points',
  points_24h: 'points_24h',
  estimated_space: 'estimated_space',
  difficulty: 'difficulty',
  last_partial_at: 'last_partial_at',
  registered_at: 'registered_at',
  launcher_id: 'launcher_id',
};

export interface FarmerListQuery {
  search?: string;
  sort?: string;
  order?: string;
  membership?: string;
  limit?: string;
  offset?: string;
}

export interface FarmerListPage {
  total: number;
  limit: number;
  offset: number;
  sort: string;
  order: 'asc' | 'desc';
  farmers: Record<string, unknown>[];
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

function integerParam(name: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) > max) throw new BadRequestException(`${name} must be an integer between 0 and ${max}`);
  return Number(raw);
}

/**
 * The farmers list for operators, from the farmer_view read model: search by launcher id or payout puzzle hash
 * (hex prefix, 0x optional), filter by membership, sort by any figure, paged. Every value the client sends is
 * either whitelisted (sort, order, membership) or bound as a parameter.
 */
export async function listFarmers(readModels: ReadModelDatabase, query: FarmerListQuery): Promise<FarmerListPage> {
  const sort = query.sort ?? 'confirmed_points';
  const column = SORTS[sort];
  if (column === undefined) throw new BadRequestException(`sort must be one of ${Object.keys(SORTS).join(', ')}`);
  const order = query.order ?? 'desc';
  if (order !== 'asc' && order !== 'desc') throw new BadRequestException('order must be asc or desc');
  const limit = integerParam('limit', query.limit, 50, 500);
  const offset = integerParam('offset', query.offset, 0, 10_000_000);

  const where: string[] = [];
  const params: unknown[] = [];
  if (query.search !== undefined && query.search !== '') {
    const needle = query.search.toLowerCase().replace(/^0x/, '');
    if (!/^[0-9a-f]{1,64}$/.test(needle)) throw new BadRequestException('search must be a hex prefix of a launcher id or payout puzzle hash');
    where.push('(launcher_id LIKE ? OR payout_puzzle_hash LIKE ?)');
    params.push(`${needle}%`, `${needle}%`);
  }
  if (query.membership !== undefined && query.membership !== '') {
    if (query.membership !== 'member' && query.membership !== 'left') throw new BadRequestException('membership must be member or left');
    where.push('membership = ?');
    params.push(query.membership);
  }
  const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const sql = readModels.executor();
  const [count] = await sql.query<{ n: number | string }>(`SELECT count(*) AS n FROM farmer_view ${filter}`, params).catch((error: unknown) => {
    // Before the projector's first run there is no table to read: say so instead of a bare 500.
    throw new ServiceUnavailableException(`the farmer_view read model cannot be read (is the projector running?): ${(error as Error).message}`);
  });
  // Ties (and NULLs, placed last either way) are broken by launcher id so pages never overlap. The table name
  // qualifies the sort column so it is the number, not the text alias of the select list.
  const rows = await sql.query<Record<string, unknown>>(
    `SELECT ${selectList()} FROM farmer_view ${filter}
       ORDER BY CASE WHEN farmer_view.${column} IS NULL THEN 1 ELSE 0 END, farmer_view.${column} ${order}, farmer_view.launcher_id ASC
       LIMIT ${limit} OFFSET ${offset}`,
    params,
  );
  return {
    total: Number(count?.n ?? 0),
    limit,
    offset,
    sort,
    order,
    // Driver rows are not plain objects (the exact-JSON writer refuses those); copy them into plain ones.
    farmers: rows.map((row) => ({ ...row })),
  };
}
