import { Body, Controller, Get, HttpCode, Post, Put, Query, UsePipes } from '@nestjs/common';
import { bytesToHex, hexToBytes, parsePostPartialRequestJson, parsePutFarmerRequestJson, PostFarmerRequestSchema, StreamableError } from '@pool/chia';
import { FarmerService } from '../farmers/farmer.service';
import { PartialService } from '../partials/partial.service';
import { PoolProtocolError } from './pool-protocol.error';
import { AuthenticatedQueryDto, PostFarmerRequestDto, PostPartialRequestDto, PutFarmerRequestDto } from './protocol.dto';
import { protocolValidationPipe } from './protocol-validators';
import { PoolErrorCode } from '@pool/chia';

/** Decoding after validation can still refuse (e.g. a field class-validator cannot see); say which. */
function decode<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof StreamableError) throw new PoolProtocolError(PoolErrorCode.SERVER_EXCEPTION, `invalid request: ${error.message}`);
    throw error;
  }
}

/** The v1 pool protocol (pool-reference's routes). */
@Controller()
@UsePipes(protocolValidationPipe)
export class FarmerV1Controller {
  constructor(
    private readonly farmers: FarmerService,
    private readonly partials: PartialService,
  ) {}

  @Get('farmer')
  async getFarmer(@Query() query: AuthenticatedQueryDto): Promise<object> {
    const farmer = await this.farmers.authenticate('get_farmer', normalize(query.launcher_id), BigInt(query.authentication_token), hexToBytes(query.signature, 96));
    return {
      authentication_public_key: `0x${farmer.authenticationPublicKey}`,
      payout_instructions: farmer.payoutInstructions,
      current_difficulty: farmer.difficulty,
      // Points since the last payout come from the ledger's points projection (payouts arrive with issue 7).
      current_points: 0,
    };
  }

  // The reference pool answers every request with 200; Nest would say 201 Created for a POST.
  @Post('farmer')
  @HttpCode(200)
  postFarmer(@Body() body: PostFarmerRequestDto): Promise<object> {
    return this.farmers.register(decode(() => PostFarmerRequestSchema.fromJson(body as never)));
  }

  @Put('farmer')
  putFarmer(@Body() body: PutFarmerRequestDto): Promise<object> {
    return this.farmers.update(decode(() => parsePutFarmerRequestJson(body)));
  }

  @Post('partial')
  @HttpCode(200)
  postPartial(@Body() body: PostPartialRequestDto): Promise<object> {
    return this.partials.submit(decode(() => parsePostPartialRequestJson(body)).request);
  }

  @Get('login')
  async login(@Query() query: AuthenticatedQueryDto): Promise<object> {
    const farmer = await this.farmers.authenticate('get_login', normalize(query.launcher_id), BigInt(query.authentication_token), hexToBytes(query.signature, 96));
    return {
      farmer_record: {
        launcher_id: `0x${farmer.launcherId}`,
        authentication_public_key: `0x${farmer.authenticationPublicKey}`,
        payout_instructions: farmer.payoutInstructions,
        difficulty: farmer.difficulty,
        is_pool_member: farmer.isMember,
      },
      recent_partials: [],
    };
  }
}

function normalize(hex: string): string {
  return bytesToHex(hexToBytes(hex, 32));
}
