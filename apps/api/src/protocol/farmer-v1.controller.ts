import { Body, Controller, Get, HttpCode, Inject, Post, Put, Query, Req, Res, UsePipes } from '@nestjs/common';
import { bytesToHex, hexToBytes, parsePostPartialRequestJson, parsePutFarmerRequestJson, PostFarmerRequestSchema, StreamableError } from '@pool/chia';
import { type PoolConfig } from '@pool/config';
import { POOL_CONFIG } from '@pool/runtime';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FarmerService } from '../farmers/farmer.service';
import { dashboardFarmerPath, LoginSessions, wantsBrowserLogin } from '../login/login-session';
import { CLOCK, type Clock } from '@pool/runtime';
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
  private readonly sessions: LoginSessions;

  constructor(
    private readonly farmers: FarmerService,
    private readonly partials: PartialService,
    @Inject(POOL_CONFIG) config: PoolConfig,
    @Inject(CLOCK) private readonly now: Clock,
  ) {
    this.sessions = new LoginSessions(config.settings.jwtSecretHex);
  }

  @Get('farmer')
  async getFarmer(@Query() query: AuthenticatedQueryDto): Promise<object> {
    const farmer = await this.farmers.authenticate('get_farmer', normalize(query.launcher_id), BigInt(query.authentication_token), hexToBytes(query.signature, 96));
    return {
      authentication_public_key: `0x${farmer.authenticationPublicKey}`,
      payout_instructions: farmer.payoutInstructions,
      current_difficulty: farmer.difficulty,
      // From the ledger itself (FarmerActivityCache), not a read model: what the next payout will count.
      current_points: await this.farmers.currentPoints(farmer.launcherId),
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

  /**
   * GET /login, signed like GET /farmer. A browser (the farmer opened the link Chia prints) gets a short-lived
   * session cookie and the dashboard's page for its farmer; an API client gets the farmer record and its recent
   * partials as JSON. Refusals are protocol errors either way.
   */
  @Get('login')
  async login(@Query() query: AuthenticatedQueryDto, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const farmer = await this.farmers.authenticate('get_login', normalize(query.launcher_id), BigInt(query.authentication_token), hexToBytes(query.signature, 96));
    if (wantsBrowserLogin(request.headers.accept)) {
      const { value } = this.sessions.issue(farmer.launcherId, this.now());
      await reply
        .header('set-cookie', this.sessions.cookie(value, request.protocol === 'https'))
        .header('cache-control', 'no-store')
        .redirect(dashboardFarmerPath(farmer.launcherId), 303);
      return;
    }
    const [points, recent] = await Promise.all([this.farmers.currentPoints(farmer.launcherId), this.farmers.recentPartials(farmer.launcherId)]);
    await reply.header('cache-control', 'no-store').send({
      farmer_record: {
        launcher_id: `0x${farmer.launcherId}`,
        p2_singleton_puzzle_hash: `0x${farmer.p2SingletonPuzzleHash}`,
        authentication_public_key: `0x${farmer.authenticationPublicKey}`,
        owner_public_key: `0x${farmer.ownerPublicKey}`,
        payout_instructions: farmer.payoutInstructions,
        difficulty: farmer.difficulty,
        points,
        is_pool_member: farmer.isMember,
      },
      recent_partials: recent,
    });
  }
}

function normalize(hex: string): string {
  return bytesToHex(hexToBytes(hex, 32));
}
