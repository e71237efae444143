import { Controller, Get, Query, Req, Res, UsePipes } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { bytesToHex, hexToBytes } from '@pool/chia';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { OpenFarmerSessionCommand } from '../../farmer-area/sessions/open-farmer-session.command';
import { FARMER_AREA_PATH, wantsBrowserLogin } from '../authentication/login-session';
import { AuthenticatedQueryDto, V2FarmerQueryDto } from '../protocol.dto';
import { protocolValidationPipe } from '../protocol-validators';
import { GetFarmerQuery, type FarmerCredentials, type GetFarmerResponse } from './get-farmer.query';

/** GET /farmer (v1, signed), GET /v2/farmer (JWT), GET /login (signed like GET /farmer) and GET /v2/login (signed with the v2 key). */
@Controller()
@UsePipes(protocolValidationPipe)
export class GetFarmerController {
  constructor(
    private readonly queries: QueryBus,
    private readonly commands: CommandBus,
  ) {}

  @Get('farmer')
  getFarmer(@Query() query: AuthenticatedQueryDto): Promise<GetFarmerResponse> {
    return this.queries.execute(new GetFarmerQuery({ edition: 1, method: 'get_farmer', ...signed(query) }, 'farmer'));
  }

  @Get('v2/farmer')
  getFarmerV2(@Query() query: V2FarmerQueryDto): Promise<GetFarmerResponse> {
    return this.queries.execute(new GetFarmerQuery({ edition: 2, launcherId: hexToBytes(query.launcher_id, 32), jwt: query.authentication_token_v2 }, 'farmer'));
  }

  /**
   * A browser (the farmer opened the link Chia prints) gets a short-lived session cookie and the farmer area (its
   * settings); an API client gets the farmer record and its recent partials as JSON. Refusals are protocol errors
   * either way.
   */
  @Get('login')
  login(@Query() query: AuthenticatedQueryDto, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.answerLogin({ edition: 1, method: 'get_login', ...signed(query) }, request, reply);
  }

  /** The login link chia-blockchain main prints for a v2 plot NFT: the same query, signed with the v2 key; the same session. */
  @Get('v2/login')
  loginV2(@Query() query: AuthenticatedQueryDto, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.answerLogin({ edition: 2, method: 'get_login', ...signed(query) }, request, reply);
  }

  private async answerLogin(credentials: FarmerCredentials, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (wantsBrowserLogin(request.headers.accept)) {
      const { launcherId } = await this.queries.execute(new GetFarmerQuery(credentials, 'session'));
      // Secure over HTTPS, including behind a TLS proxy the config trusts (trust_proxy makes request.protocol say so).
      const { setCookie } = await this.commands.execute(new OpenFarmerSessionCommand(launcherId, request.headers['user-agent'], request.protocol === 'https'));
      await reply.header('set-cookie', setCookie).header('cache-control', 'no-store').redirect(FARMER_AREA_PATH, 303);
      return;
    }
    const login = await this.queries.execute(new GetFarmerQuery(credentials, 'login'));
    await reply.header('cache-control', 'no-store').send(login);
  }
}

/** The signed query of GET /farmer and the login links (v1 and v2 alike). */
function signed(query: AuthenticatedQueryDto): { launcherId: string; token: bigint; signature: Uint8Array } {
  return {
    launcherId: bytesToHex(hexToBytes(query.launcher_id, 32)),
    token: BigInt(query.authentication_token),
    signature: hexToBytes(query.signature, 96),
  };
}
