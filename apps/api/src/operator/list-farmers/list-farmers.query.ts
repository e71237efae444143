import { Query } from '@nestjs/cqrs';
import type { ListFarmersResponse } from './list-farmers.response';

/** The query string of GET /api/operator/farmers, as sent (validated by the handler). */
export interface FarmerListParams {
  search?: string;
  sort?: string;
  order?: string;
  membership?: string;
  limit?: string;
  offset?: string;
}

/** The operator's farmers list: search, filter, sort, page. */
export class ListFarmersQuery extends Query<ListFarmersResponse> {
  constructor(readonly params: FarmerListParams) {
    super();
  }
}
