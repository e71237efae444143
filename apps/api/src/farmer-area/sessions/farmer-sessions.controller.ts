import { Body, Controller, Get, Header, HttpCode, Inject, NotFoundException, Post, Req, Res, UsePipes } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CLOCK, type Clock } from '@pool/runtime';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LoginSessions } from '../../pool-protocol/authentication/login-session';
import { FarmerAreaAuth } from '../farmer-area.auth';
import { EndSessionDto, farmerAreaValidationPipe } from '../farmer-area.dto';
import { FarmerSessions, type FarmerSessionView } from './farmer-sessions';

/** A farmer's open sessions: listed, and ended one by one, this one ("log out") or all of them. */
@ApiTags('farmer area')
@Controller('api/farmer-area')
@UsePipes(farmerAreaValidationPipe)
export class FarmerSessionsController {
  constructor(
    private readonly auth: FarmerAreaAuth,
    private readonly sessions: FarmerSessions,
    private readonly cookies: LoginSessions,
    @Inject(CLOCK) private readonly now: Clock,
  ) {}

  @Get('sessions')
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: "The farmer's open sessions, newest first" })
  async list(@Req() request: FastifyRequest): Promise<{ sessions: FarmerSessionView[] }> {
    const session = await this.auth.session(request);
    return { sessions: await this.sessions.list(session, this.now()) };
  }

  @Post('sessions/end')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'End one session by its handle (x-csrf-token)' })
  async end(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @Body() body: EndSessionDto): Promise<{ ended: number }> {
    const session = await this.auth.change(request);
    if (!(await this.sessions.end(session.launcherId, body.handle, this.now()))) throw new NotFoundException(`no open session ${body.handle}`);
    if (body.handle === FarmerSessions.handle(session)) void reply.header('set-cookie', this.cookies.clearCookie(request.protocol === 'https'));
    return { ended: 1 };
  }

  @Post('sessions/end-all')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'End every session of the farmer, this one included (x-csrf-token)' })
  async endAll(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<{ ended: number }> {
    const session = await this.auth.change(request);
    const ended = await this.sessions.endAll(session.launcherId, this.now());
    void reply.header('set-cookie', this.cookies.clearCookie(request.protocol === 'https'));
    return { ended };
  }

  @Post('logout')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'End this session (x-csrf-token)' })
  async logout(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<{ ended: number }> {
    const session = await this.auth.change(request);
    await this.sessions.end(session.launcherId, FarmerSessions.handle(session), this.now());
    void reply.header('set-cookie', this.cookies.clearCookie(request.protocol === 'https'));
    return { ended: 1 };
  }
}
