import { Body, Controller, Get, Header, HttpCode, Inject, Post, Req, UsePipes } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type PoolConfig } from '@pool/config';
import { MAX_FARMER_MINIMUM_PAYOUT } from '@pool/domain';
import { NotificationTargets } from '@pool/notifications';
import { POOL_CONFIG } from '@pool/runtime';
import type { FastifyRequest } from 'fastify';
import { FarmerRecords } from '../../pool-protocol/authentication/farmer-records';
import { LoginSessions } from '../../pool-protocol/authentication/login-session';
import { FarmerAreaAuth } from '../farmer-area.auth';
import { farmerAreaValidationPipe, FarmerSettingsDto } from '../farmer-area.dto';
import { asHttpErrors } from '../farmer-area.errors';
import { FarmerSessions } from '../sessions/farmer-sessions';
import { UpdateFarmerSettingsCommand } from './update-farmer-settings.command';

/** What the farmer area shows of the farmer (read from its own stream: a change is seen at once) and its session. */
export interface FarmerAreaView {
  launcherId: string;
  displayName: string | null;
  /** The farmer's own minimum payout in mojos; null: the pool's. */
  minimumPayout: string | null;
  pool: { minimumPayout: string; maximumFarmerMinimumPayout: string; emailNotifications: boolean };
  session: { handle: string; expiresAt: number };
  /** Send it back as x-csrf-token with every change. */
  csrfToken: string;
}

@ApiTags('farmer area')
@Controller('api/farmer-area')
@UsePipes(farmerAreaValidationPipe)
export class FarmerSettingsController {
  constructor(
    private readonly auth: FarmerAreaAuth,
    private readonly commands: CommandBus,
    private readonly records: FarmerRecords,
    private readonly cookies: LoginSessions,
    private readonly targets: NotificationTargets,
    @Inject(POOL_CONFIG) private readonly config: PoolConfig,
  ) {}

  @Get()
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: "The logged-in farmer's settings and session (cookie from the login link)" })
  async me(@Req() request: FastifyRequest): Promise<FarmerAreaView> {
    return this.view(await this.auth.session(request));
  }

  @Post('settings')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'Change the display name and/or the own minimum payout (x-csrf-token)' })
  async update(@Req() request: FastifyRequest, @Body() body: FarmerSettingsDto): Promise<FarmerAreaView> {
    const session = await this.auth.change(request);
    await asHttpErrors(() =>
      this.commands.execute(
        new UpdateFarmerSettingsCommand(session.launcherId, {
          ...(body.displayName === undefined ? {} : { displayName: body.displayName }),
          ...(body.minimumPayout === undefined ? {} : { minimumPayout: body.minimumPayout === null ? null : BigInt(body.minimumPayout) }),
        }),
      ),
    );
    return this.view(session);
  }

  private async view(session: Awaited<ReturnType<FarmerAreaAuth['session']>>): Promise<FarmerAreaView> {
    const farmer = await asHttpErrors(() => this.records.state(session.launcherId));
    const registered = farmer.status === 'registered' ? farmer : undefined;
    return {
      launcherId: session.launcherId,
      displayName: registered?.displayName ?? null,
      minimumPayout: registered?.minimumPayout === undefined || registered.minimumPayout === null ? null : registered.minimumPayout.toString(),
      pool: {
        minimumPayout: this.config.settings.payouts.minimumPayout.toString(),
        maximumFarmerMinimumPayout: MAX_FARMER_MINIMUM_PAYOUT.toString(),
        emailNotifications: this.targets.emailEnabled,
      },
      session: { handle: FarmerSessions.handle(session), expiresAt: session.expiresAt },
      csrfToken: this.cookies.csrfToken(session),
    };
  }
}
