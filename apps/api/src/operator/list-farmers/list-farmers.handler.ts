import { BadRequestException, Inject, ServiceUnavailableException } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { countFarmers, FARMER_LIST_SORTS, listFarmerRows, type FarmerListFilter, type FarmerListSort } from '@pool/projections';
import { type ReadModelDatabase } from '@pool/read-models';
import { READ_MODELS } from '@pool/runtime';
import { ListFarmersQuery, type FarmerListParams } from './list-farmers.query';
import type { ListFarmersResponse } from './list-farmers.response';

/** The sorts as a Set: a membership test that inherited names (constructor, toString, __proto__) cannot pass. */
const SORTS: ReadonlySet<string> = new Set(FARMER_LIST_SORTS);

/**
 * Each parameter once, as text. The query parser turns a repeated parameter (`search=a&search=b`) into an array,
 * which the checks below would otherwise meet as a value of the wrong type (a 500 instead of a 400).
 */
function singleValues(params: FarmerListParams): FarmerListParams {
  const single: FarmerListParams = {};
  for (const name of ['search', 'sort', 'order', 'membership', 'limit', 'offset'] as const) {
    const value: unknown = Object.prototype.hasOwnProperty.call(params, name) ? params[name] : undefined;
    if (value === undefined) continue;
    if (typeof value !== 'string') throw new BadRequestException(`${name} must be given once`);
    single[name] = value;
  }
  return single;
}

function integerParam(name: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) > max) throw new BadRequestException(`${name} must be an integer between 0 and ${max}`);
  return Number(raw);
}

function filterOf(params: FarmerListParams): FarmerListFilter {
  const filter: FarmerListFilter = {};
  if (params.search !== undefined && params.search !== '') {
    const needle = params.search.toLowerCase().replace(/^0x/, '');
    if (!/^[0-9a-f]{1,64}$/.test(needle)) throw new BadRequestException('search must be a hex prefix of a launcher id or payout puzzle hash');
    filter.prefix = needle;
  }
  if (params.membership !== undefined && params.membership !== '') {
    if (params.membership !== 'member' && params.membership !== 'left') throw new BadRequestException('membership must be member or left');
    filter.membership = params.membership;
  }
  return filter;
}

/**
 * The farmers list for operators, from the farmer_view read model: search by launcher id or payout puzzle hash
 * (hex prefix, 0x optional), filter by membership, sort by any figure, paged. Every value the client sends is
 * either whitelisted (sort, order, membership) or bound as a parameter.
 */
@QueryHandler(ListFarmersQuery)
export class ListFarmersHandler implements IQueryHandler<ListFarmersQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModelDatabase) {}

  async execute(query: ListFarmersQuery): Promise<ListFarmersResponse> {
    const params = singleValues(query.params);
    const sort = params.sort ?? 'confirmed_points';
    // The sort names a column in the SQL text (it cannot be a bound parameter): only an own member of the list may pass.
    if (!SORTS.has(sort)) throw new BadRequestException(`sort must be one of ${FARMER_LIST_SORTS.join(', ')}`);
    const order = params.order ?? 'desc';
    if (order !== 'asc' && order !== 'desc') throw new BadRequestException('order must be asc or desc');
    const limit = integerParam('limit', params.limit, 50, 500);
    const offset = integerParam('offset', params.offset, 0, 10_000_000);
    const filter = filterOf(params);
    const total = await countFarmers(this.readModels, filter).catch((error: unknown) => {
      // Before the projector's first run there is no table to read: say so instead of a bare 500.
      throw new ServiceUnavailableException(`the farmer_view read model cannot be read (is the projector running?): ${(error as Error).message}`);
    });
    const farmers = await listFarmerRows(this.readModels, filter, { sort: sort as FarmerListSort, order, limit, offset });
    return { total, limit, offset, sort, order, farmers };
  }
}
