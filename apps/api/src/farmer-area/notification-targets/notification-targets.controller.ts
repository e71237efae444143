import { Body, Controller, Get, Header, HttpCode, Inject, NotFoundException, Param, Post, Req, UsePipes } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CLOCK, type Clock } from '@pool/runtime';
import { NOTIFICATION_KINDS, NotificationTargets, type NotificationKind, type NotificationTarget } from '@pool/notifications';
import type { FastifyRequest } from 'fastify';
import { FarmerAreaAuth } from '../farmer-area.auth';
import { farmerAreaValidationPipe, NewNotificationTargetDto, UUID } from '../farmer-area.dto';
import { asHttpErrors } from '../farmer-area.errors';

/**
 * Where the farmer wants to be told (notifier's private notification_targets table): listed with their state
 * (paused after failing deliveries, the last error), added, removed and resumed. A webhook's HMAC secret is in the
 * answer to its addition only.
 */
@ApiTags('farmer area')
@Controller('api/farmer-area/notification-targets')
@UsePipes(farmerAreaValidationPipe)
export class NotificationTargetsController {
  constructor(
    private readonly auth: FarmerAreaAuth,
    private readonly targets: NotificationTargets,
    @Inject(CLOCK) private readonly now: Clock,
  ) {}

  @Get()
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: "The farmer's notification targets" })
  async list(@Req() request: FastifyRequest): Promise<{ targets: NotificationTarget[]; kinds: readonly NotificationKind[] }> {
    const session = await this.auth.session(request);
    return { targets: await this.targets.list(session.launcherId), kinds: NOTIFICATION_KINDS };
  }

  @Post()
  @HttpCode(201)
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'Add a target (x-csrf-token); a webhook answers its HMAC secret here, once' })
  async add(@Req() request: FastifyRequest, @Body() body: NewNotificationTargetDto): Promise<NotificationTarget & { secret?: string }> {
    const session = await this.auth.change(request);
    return asHttpErrors(() => this.targets.add(session.launcherId, { kind: body.kind, address: body.address, events: body.events }, Math.floor(this.now())));
  }

  @Post(':id/remove')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'Remove a target (x-csrf-token)' })
  async remove(@Req() request: FastifyRequest, @Param('id') id: string): Promise<{ removed: true }> {
    const session = await this.auth.change(request);
    if (!UUID.test(id) || !(await this.targets.remove(session.launcherId, id))) throw new NotFoundException(`no notification target ${id}`);
    return { removed: true };
  }

  @Post(':id/resume')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'Resume a paused target (x-csrf-token)' })
  async resume(@Req() request: FastifyRequest, @Param('id') id: string): Promise<{ resumed: true }> {
    const session = await this.auth.change(request);
    if (!UUID.test(id) || !(await this.targets.resume(session.launcherId, id))) throw new NotFoundException(`no notification target ${id}`);
    return { resumed: true };
  }
}
