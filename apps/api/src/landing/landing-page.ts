import { QueryBus } from '@nestjs/cqrs';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { DASHBOARD_SECURITY_HEADERS } from '../dashboard/dashboard.static';
import { PoolStatsQuery } from '../read-api/pool-stats/pool-stats.query';
import { renderLandingPage, unavailablePage } from './landing-html';

/**
 * `/` is where a person lands who types the pool URL (the one farmers are given) into a browser: the pool's front
 * page, rendered on the server from the same figures as GET /api/pool/stats, under the dashboard's security headers.
 * The pool URL it tells farmers to join with is the one the browser used (behind a proxy: as trust_proxy allows).
 */
export function installLandingPage(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  const queries = app.get(QueryBus);
  fastify.get('/', async (request, reply) => {
    void reply.headers({ ...DASHBOARD_SECURITY_HEADERS, 'cache-control': 'no-cache' }).type('text/html; charset=utf-8');
    try {
      const stats = await queries.execute(new PoolStatsQuery());
      return await reply.send(renderLandingPage(stats, `${request.protocol}://${request.host}`));
    } catch (error) {
      // Read models still being built (or their database away): a page that says so, not a JSON error.
      return await reply.status(503).send(unavailablePage((error as Error).message));
    }
  });
}
