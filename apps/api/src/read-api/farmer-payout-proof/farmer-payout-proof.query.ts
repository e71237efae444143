import { Query } from '@nestjs/cqrs';
import type { FarmerPayoutProofResponse } from './farmer-payout-proof.response';

/** GET /api/farmers/:launcherId/payouts/:payoutId/proof: the farmer's line of a payout, with what proves it. */
export class FarmerPayoutProofQuery extends Query<FarmerPayoutProofResponse> {
  constructor(
    readonly launcherId: string,
    readonly payoutId: string,
  ) {
    super();
  }
}
