import { Query } from '@nestjs/cqrs';
import type { FarmerStatementResponse } from './farmer-statement.response';

/** GET /api/farmers/:launcherId/statement: the farmer's audit statement, replayed from the ledger. */
export class FarmerStatementQuery extends Query<FarmerStatementResponse> {
  constructor(readonly launcherId: string) {
    super();
  }
}
