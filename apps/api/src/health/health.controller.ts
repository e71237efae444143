import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { PoolHealthIndicators } from './pool-health.indicators';

/**
 * Probes for orchestrators and load balancers, in @nestjs/terminus's format, public and terse. The figures behind
 * them (positions, lag, heights, errors) are at GET /api/operator/health, behind the operator key.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: PoolHealthIndicators,
  ) {}

  /**
   * Liveness: the process answers HTTP. Deliberately checks no dependency, so a database outage makes the
   * instance unready (taken out of rotation) instead of killed and restarted in a loop.
   */
  @Get()
  live(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    return this.answer(reply, this.health.check([]));
  }

  /**
   * Readiness: 200 when the event store answers and can be written, the read models answer, the projector keeps up
   * with the ledger and a synced full node answers; 503 naming the one that does not (with a one-line reason for
   * the ledger and the projector). Also 503 once the app is shutting down, so a load balancer stops sending
   * requests before the close.
   */
  @Get('ready')
  ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    return this.answer(reply, this.health.check([
        () => this.indicators.checkEventStore(),
        () => this.indicators.checkReadModels(),
        () => this.indicators.checkProjections(),
        () => this.indicators.checkChain(),
      ]));
  }

  /** A failing probe is an answer, not an error: set the status here instead of logging an exception per probe. */
  private async answer(reply: FastifyReply, check: Promise<HealthCheckResult>): Promise<HealthCheckResult> {
    try {
      return await check;
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      void reply.status(503);
      return error.getResponse() as HealthCheckResult;
    }
  }
}
