import { Controller, Get, Inject, Query, Req, Res, UsePipes } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { bytesToHex, hexToBytes } from '@pool/chia';
import { type PoolConfig } from '@pool/config';
import { CLOCK, POOL_CONFIG, type Clock } from '@pool/runtime';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { dashboardFarmerPath, LoginSessions, wantsBrowserLogin } from '../authentication/login-session';
import { AuthenticatedQueryDto, V2FarmerQueryDto } from '../protocol.dto';
import { protocolValidationPipe } from '../protocol-validators';
import { GetFarmerQuery, type FarmerCredentials, type GetFarmerResponse } from './get-farmer.query';

/** GET /farmer (v1, signed), GET /v2/farmer (JWT) and GET /login (signed like GET /farmer). */
@Controller()
@UsePipes(protocolValidationPipe)
export class GetFarmerController {
  private readonly sessions: LoginSessions;

  constructor(
    private readonly queries: QueryBus,
    @Inject(POOL_CONFIG) config: PoolConfig,
    @Inject(CLOCK) private readonly now: Clock,
  ) {
    this.sessions = new LoginSessions(config.settings.jwtSecretHex);
  }

  @Get('farmer')
  getFarmer(@Query() query: AuthenticatedQueryDto): Promise<GetFarmerResponse> {
    return this.queries.execute(new GetFarmerQuery(signed('get_farmer', query), 'farmer'));
  }

  @Get('v2/farmer')
  getFarmerV2(@Query() query: V2FarmerQueryDto): Promise<GetFarmerResponse> {
    return this.queries.execute(new GetFarmerQuery({ edition: 2, launcherId: hexToBytes(query.launcher_id, 32), jwt: query.authentication_token_v2 }, 'farmer'));
  }

  /**
   * A browser (the farmer opened the link Chia prints) gets a short-lived session cookie and the dashboard's page
   * for its farmer; an API client gets the farmer record and its recent partials as JSON. Refusals are protocol
   * errors either way.
   */
  @Get('login')
  async login(@Query() query: AuthenticatedQueryDto, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    if (wantsBrowserLogin(request.headers.accept)) {
      const { launcherId } = await this.queries.execute(new GetFarmerQuery(signed('get_login', query), 'session'));
      const { value } = this.sessions.issue(launcherId, this.now());
      await reply
        .header('set-cookie', this.sessions.cookie(value, request.protocol === 'https'))
        .header('cache-control', 'no-store')
        .redirect(dashboardFarmerPath(launcherId), 303);
      return;
    }
    const login = await this.queries.execute(new GetFarmerQuery(signed('get_login', query), 'login'));
    await reply.header('cache-control', 'no-store').send(login);
  }
}

function signed(method: 'get_farmer' | 'get_login', query: AuthenticatedQueryDto): FarmerCredentials {
  return {
    edition: 1,
    method,
    launcherId: bytesToHex(hexToBytes(query.launcher_id, 32)),
    token: BigInt(query.authentication_token),
    signature: hexToBytes(query.signature, 96),
  };
}
