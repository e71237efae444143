import { Body, Controller, Get, HttpCode, Post, Put, Query, UsePipes } from '@nestjs/common';
import {
  hexToBytes,
  parsePostPartialRequestJson,
  parsePutFarmerRequestJson,
  PoolErrorCode,
  PostFarmerRequestSchema,
  StreamableError,
} from '@pool/chia';
import { PartialService } from '../partials/partial.service';
import { FarmerV2Service } from '../v2/farmer-v2.service';
import { V2AuthService } from '../v2/v2-auth.service';
import { PoolProtocolError } from './pool-protocol.error';
import { PostFarmerRequestDto, PostPartialRequestDto, PutFarmerRequestDto, V2AuthQueryDto, V2FarmerQueryDto } from './protocol.dto';
import { protocolValidationPipe } from './protocol-validators';

function decode<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof StreamableError) throw new PoolProtocolError(PoolErrorCode.SERVER_EXCEPTION, `invalid request: ${error.message}`);
    throw error;
  }
}

/**
 * Pool protocol v2 (pool2-reference / CHIP-59): GET /v2/auth issues a JWT; GET|PUT /v2/farmer and POST /v2/partial
 * carry it. GET /v2/pool_info is served by PoolInfoController.
 */
@Controller('v2')
@UsePipes(protocolValidationPipe)
export class FarmerV2Controller {
  constructor(
    private readonly auth: V2AuthService,
    private readonly farmers: FarmerV2Service,
    private readonly partials: PartialService,
  ) {}

  @Get('auth')
  getAuth(@Query() query: V2AuthQueryDto): Promise<object> {
    return this.auth.issue({
      launcherId: hexToBytes(query.launcher_id, 32),
      timestamp: BigInt(query.timestamp),
      signature: hexToBytes(query.signature, 96),
    });
  }

  @Get('farmer')
  getFarmer(@Query() query: V2FarmerQueryDto): Promise<object> {
    return this.farmers.get(hexToBytes(query.launcher_id, 32), query.authentication_token_v2);
  }

  @Post('farmer')
  @HttpCode(200)
  postFarmer(@Body() body: PostFarmerRequestDto): Promise<object> {
    return this.farmers.register(decode(() => PostFarmerRequestSchema.fromJson(body as never)));
  }

  @Put('farmer')
  putFarmer(@Body() body: PutFarmerRequestDto): Promise<object> {
    return this.farmers.update(decode(() => parsePutFarmerRequestJson(body)));
  }

  /** JWT (12), farmer registered through v2 (10), then the v1 checks with v2 keys and the RewardPuzzle contract. */
  @Post('partial')
  @HttpCode(200)
  async postPartial(@Body() body: PostPartialRequestDto): Promise<object> {
    const edition = decode(() => parsePostPartialRequestJson(body));
    const { request } = edition;
    await this.auth.requireJwt(edition.edition === 'current' ? edition.request.authenticationTokenV2 : undefined, request.payload.launcherId);
    await this.auth.knownV2(Buffer.from(request.payload.launcherId).toString('hex'));
    return this.partials.submit(request, 'v2-jwt');
  }
}
