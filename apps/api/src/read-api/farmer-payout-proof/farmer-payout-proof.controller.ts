import { Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import { LAUNCHER_PARAM, ReadApiController } from '../read-api.controller';
import { LauncherIdPipe } from '../read-api.dto';
import { FarmerPayoutProofQuery } from './farmer-payout-proof.query';
import { FarmerPayoutProofResponse } from './farmer-payout-proof.response';

@ReadApiController('farmers')
export class FarmerPayoutProofController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':launcherId/payouts/:payoutId/proof')
  @ApiOperation({
    summary: "A farmer's line of a payout, with its inclusion proof",
    description:
      'The allocation, the Merkle steps from its leaf to the allocations root, the commitment every transaction of the payout carries as a memo on chain ' +
      '(the seal through the plan and the root), and the coins that pay the farmer and carry the memo. Check it with ' +
      '`poolctl verify-payout <payoutId> --farmer <launcherId> --pool-url <this pool>` (docs/payout-commitments.md).',
  })
  @ApiParam(LAUNCHER_PARAM)
  @ApiParam({ name: 'payoutId', description: 'e.g. payout-00000001, as GET /api/payouts lists them' })
  @ApiOkResponse({ type: FarmerPayoutProofResponse })
  @ApiNotFoundResponse({ description: 'no such payout, nothing allocated to this farmer, or the payout is not signed (committed) yet' })
  proof(@Param('launcherId', LauncherIdPipe) launcherId: string, @Param('payoutId') payoutId: string): Promise<FarmerPayoutProofResponse> {
    return this.queryBus.execute(new FarmerPayoutProofQuery(launcherId, payoutId));
  }
}
